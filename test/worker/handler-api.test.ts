// The handler API as a bot developer uses it: named jobs that run the same in waitUntil and queue mode (the
// handler once, `ctx.after` in both), follow-ups from a job, middleware before and after steps, module checks
// at listing time, and the `Chart numbers` message command end to end through the Worker.
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { slashCommand } from "../../src/worker/kit/dispatch/definitions.ts";
import { DELETE_ORIGINAL, job } from "../../src/worker/kit/engine/jobs.ts";
import { defineMiddleware, type AfterEvent } from "../../src/worker/kit/dispatch/middleware.ts";
import { createRegistry, RegistryError, type Registry } from "../../src/worker/kit/dispatch/registry.ts";
import { checkModule, checkModules } from "../../src/worker/kit/dispatch/module-checks.ts";
import { defineModule, type CommandModule } from "../../src/worker/kit/dispatch/types.ts";
import { ephemeral } from "../../src/worker/kit/discord/responses.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { handleQueue } from "../../src/worker/kit/engine/queue-consumer.ts";
import type { JobMessage } from "../../src/worker/kit/engine/queue-message.ts";
import { interactionLog } from "../../src/worker/app/middleware/interaction-log.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import {
  BACKEND_HOST,
  BACKEND_URL,
  scriptedBackend,
  TEST_RELAY_SECRET,
  TINY_PNG_BASE64,
} from "../support/backend.worker.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, interaction, signedRequest, sendWith, conforming } from "../support/interactions.worker.ts";

let discord: DiscordEmulator;
let sent: JobMessage[];
const producer = { send: async (body: JobMessage) => void sent.push(body), sendBatch: async () => {} };

beforeEach(async () => {
  discord = createDiscordEmulator();
  sent = [];
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: scriptedBackend().handler });
  await env.DB!.exec("DELETE FROM deferred_jobs;");
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

/** A module whose handler counts its runs, schedules an after task, and defers to a job that sends follow-ups. */
function counting() {
  const runs = { handler: 0, after: 0, job: [] as unknown[] };
  const definition = slashCommand({
    name: "work",
    description: "a heavy test command",
    options: [{ type: 4, name: "n", description: "how many", required: true }],
  });
  const module = defineModule({
    definition,
    jobs: {
      sum: job<{ n: number }>(async ({ n }, task) => {
        runs.job.push(n);
        const note = await task.followUp(`working on ${n}`, { ephemeral: true });
        await task.editFollowUp(note.id, `worked on ${n}`);
        const extra = await task.followUp("temporary");
        await task.deleteFollowUp(extra.id);
        return { data: { content: `sum is ${(n * (n + 1)) / 2}` } };
      }),
    },
    command: ({ options, defer, after }) => {
      runs.handler++;
      after("count", async () => void runs.after++);
      return defer("sum", { n: options.n });
    },
  });
  return { runs, module };
}

async function send(registry: Registry, payload: Record<string, unknown>, workerEnv: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const response = await conforming(
    await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      workerEnv as never,
      ctx,
      registry,
    ),
  );
  await waitOnExecutionContext(ctx);
  return (await response.json()) as { type: number; data?: Record<string, any> };
}

describe("named jobs", () => {
  const waitUntilEnv = () => ({ ...env, HEAVY_LIMITER: undefined });
  const queueEnv = () => ({ ...env, HEAVY_LIMITER: undefined, RELAY_MODE: "queue", JOBS: producer });

  for (const mode of ["waitUntil", "queue"] as const) {
    it(`${mode}: the handler runs once, ctx.after runs, the job runs once from its input, follow-ups go out, one final edit`, async () => {
      const { runs, module } = counting();
      const registry = createRegistry([module]);
      const payload = command("work", [{ type: 4, name: "n", value: 4 }]);
      const workerEnv = mode === "queue" ? queueEnv() : waitUntilEnv();
      expect(await send(registry, payload, workerEnv)).toEqual({ type: 5 });
      if (mode === "queue") {
        expect(runs.job).toEqual([]);
        expect(sent).toEqual([expect.objectContaining({ v: 2, job: "sum", input: { n: 4 }, update: false })]);
        const batch = createMessageBatch("edge-discord-bot-jobs", [
          { id: "m", timestamp: new Date(), attempts: 1, body: sent[0] },
        ]);
        const ctx = createExecutionContext();
        await handleQueue(batch as never, workerEnv as never, registry);
        await waitOnExecutionContext(ctx);
        expect((await getQueueResult(batch as never, ctx)).explicitAcks).toEqual(["m"]);
      }
      expect(runs).toEqual({ handler: 1, after: 1, job: [4] });
      const token = String(payload.token);
      const posts = discord.calls({ method: "POST" }).filter((c) => c.path.includes(token));
      expect(posts).toHaveLength(2);
      expect((posts[0]!.body as { json: { flags?: number } }).json.flags).toBe(64);
      expect(discord.calls({ method: "DELETE" }).filter((c) => c.path.includes(token))).toHaveLength(1);
      const originalEdits = discord.calls({ method: "PATCH" }).filter((c) => c.path.endsWith("/messages/@original"));
      expect(originalEdits).toHaveLength(1);
      expect((originalEdits[0]!.body as { json: { content: string } }).json.content).toBe("sum is 10");
    });
  }

  it("a job that refuses its input (parse) ends in a readable edit and a not_runnable log line", async () => {
    const module = defineModule({
      definition: { name: "strict", description: "validates" },
      jobs: {
        go: job<{ ok: true }>(async () => ({ data: { content: "never" } }), {
          parse: () => {
            throw new Error("input from an older deploy");
          },
        }),
      },
      command: ({ defer }) => defer("go", { ok: true }),
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = command("strict");
    await send(createRegistry([module]), payload, { ...env, HEAVY_LIMITER: undefined });
    const [edit] = discord.calls({ method: "PATCH" });
    expect((edit!.body as { json: { content: string } }).json.content).toMatch(
      /changed after you ran it.*reference `[0-9a-f]{8}`/,
    );
    const line = errors.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === "deferred");
    expect(line).toMatchObject({
      outcome: "not_runnable",
      job: "go",
      error: expect.stringContaining("input from an older deploy"),
    });
  });

  it("defer naming a job the module does not have, or a bare type 5, is a handler error, never 'thinking…'", async () => {
    const registry = createRegistry([
      defineModule({
        definition: { name: "typo", description: "x" },
        jobs: { render: job(async () => ({ data: { content: "x" } })) },
        command: ({ defer }) => defer("rendr" as "render", null),
      }),
      defineModule({ definition: { name: "bare", description: "x" }, command: () => ({ type: 5 }) as never }),
    ]);
    for (const name of ["typo", "bare"]) {
      const body = await send(registry, command(name), { ...env, HEAVY_LIMITER: undefined });
      expect(body).toMatchObject({
        type: 4,
        data: { flags: 64, content: expect.stringMatching(/reference `[0-9a-f]{8}`/) },
      });
    }
    expect(discord.calls()).toHaveLength(0);
  });
});

describe("middleware", () => {
  it("a before step may answer instead of the handler; after steps see every outcome and its duration", async () => {
    const events: AfterEvent[] = [];
    let handled = 0;
    const gate = defineMiddleware({
      name: "only-ada",
      before: ({ interaction: i }) => (i.user?.id === "1" ? undefined : ephemeral("Only Ada may.")),
    });
    const watch = defineMiddleware({ name: "watch", after: (event) => void events.push(event) });
    const registry = createRegistry(
      [
        defineModule({
          definition: { name: "gated", description: "x" },
          use: [gate, watch],
          command: () => (handled++, ephemeral("hi Ada")),
        }),
      ],
      { after: [interactionLog] },
    );
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const refused = await send(
      registry,
      interaction({ type: 2, data: { name: "gated" }, member: { user: { id: "2", username: "bob" } } }),
      { ...env },
    );
    expect(refused).toMatchObject({ type: 4, data: { content: "Only Ada may.", flags: 64 } });
    expect(handled).toBe(0);
    const allowed = await send(
      registry,
      interaction({ type: 2, data: { name: "gated" }, member: { user: { id: "1", username: "ada" } } }),
      { ...env },
    );
    expect(allowed).toMatchObject({ data: { content: "hi Ada" } });
    expect(handled).toBe(1);
    expect(events.map((e) => [e.dispatched.outcome, e.dispatched.answeredBy ?? null, typeof e.handlerMs])).toEqual([
      ["answered_by_middleware", "only-ada", "number"],
      ["ok", null, "number"],
    ]);
    const lines = logs.mock.calls.map((c) => JSON.parse(String(c[0]))).filter((l) => l.event === "interaction");
    expect(lines[0]).toMatchObject({ outcome: "answered_by_middleware", answered_by: "only-ada" });
  });
});

describe("module checks at listing time", () => {
  const base = { definition: { name: "good", description: "fine" }, command: () => ephemeral("x") };
  it.each([
    [{ ...base, autoComplete: () => null }, /the module for "good": exports `autoComplete`, which nothing calls/],
    [{ ...base, definition: { name: "Bad Name", description: "x" } }, /"Bad Name" must be lower-case/],
    [
      { definition: { name: "empty", description: "x" } },
      /the module for "empty": needs a `command` or `subcommands` handler/,
    ],
    [{ ...base, jobs: { render: async () => null } }, /jobs\.render is not a job; build it with job\(run\)/],
    [
      { definition: { name: "Menu", type: 3, description: "no" }, command: () => ephemeral("x") },
      /a context-menu command has no description/,
    ],
  ])("refuses %#", (module, message) => {
    expect(() => checkModule(module as unknown as CommandModule)).toThrow(RegistryError);
    expect(() => checkModules([module as unknown as CommandModule])).toThrow(message);
  });
});

describe("Chart numbers (message command)", () => {
  const chartEnv = () => ({ ...env, HEAVY_LIMITER: undefined, BACKEND_URL, RELAY_SECRET: TEST_RELAY_SECRET });
  const onMessage = (content: string) =>
    interaction({
      type: 2,
      data: {
        name: "Chart numbers",
        type: 3,
        target_id: "77",
        resolved: {
          messages: {
            "77": { id: "77", channel_id: "5", content, author: { id: "9", username: "ada" }, attachments: [] },
          },
        },
      },
    });

  it("charts the numbers of the target message: type 5, then one edit with the PNG and the Line/Bar buttons", async () => {
    const payload = onMessage("Sales: 3, 5, 8 and 13 <@123456> today");
    const ctx = createExecutionContext();
    const response = await sendWith(payload, chartEnv(), ctx);
    expect(await response.json()).toEqual({ type: 5 });
    await waitOnExecutionContext(ctx);
    const edits = discord.calls({ method: "PATCH" });
    expect(edits).toHaveLength(1);
    const message = discord.messagesFor(String(payload.token))[0]!;
    expect(message.attachments).toHaveLength(1);
    const buttons = (message.components as Array<{ components: Array<{ custom_id: string }> }>)[0]!.components.map(
      (b) => b.custom_id.replace(/:[0-9a-z]{12}$/, ":KEY"),
    );
    expect(buttons).toEqual(["chart:line:KEY", "chart:bar:KEY"]);
  });

  it.each([
    ["no numbers", "hello there"],
    ["one number", "just 42"],
  ])("answers %s ephemerally, without deferring", async (_what, content) => {
    const ctx = createExecutionContext();
    const response = await sendWith(onMessage(content), chartEnv(), ctx);
    const body = (await response.json()) as { type: number; data: { flags: number; content: string } };
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(64);
    expect(body.data.content).toMatch(/nothing to chart/);
    await waitOnExecutionContext(ctx);
    expect(discord.calls({ method: "PATCH" })).toHaveLength(0);
  });
});

describe("/chart file: skipped rows", () => {
  it("answers with the chart and an ephemeral follow-up listing the skipped rows' line numbers and reasons", async () => {
    const stats = { count: 2, min: 1, max: 2, mean: 1.5, first: 1, last: 2, change: 1, change_pct: 100 };
    const skipped = [
      { line: 3, reason: "a blank line" },
      { line: 6, reason: "a row of empty cells" },
    ];
    routeOutbound({
      "discord.test": (request) => discord.fetch(request),
      [BACKEND_HOST]: scriptedBackend((call) =>
        Response.json({
          id: call.id,
          result: {
            png: TINY_PNG_BASE64,
            width: 1,
            height: 1,
            kind: "line",
            stats,
            points: [
              { label: "a", value: 1 },
              { label: "b", value: 2 },
            ],
            skipped,
            skippedCount: 2,
          },
        }),
      ).handler,
    });
    const payload = command("chart", [{ type: 11, name: "file", value: "9" }]);
    (payload.data as Record<string, unknown>).resolved = {
      attachments: {
        "9": {
          id: "9",
          filename: "data.csv",
          url: "https://cdn.discordapp.com/attachments/1/2/data.csv?ex=1&hm=2",
          size: 20,
          content_type: "text/csv",
        },
      },
    };
    const ctx = createExecutionContext();
    const response = await sendWith(
      payload,
      { ...env, HEAVY_LIMITER: undefined, BACKEND_URL, RELAY_SECRET: TEST_RELAY_SECRET },
      ctx,
    );
    expect(await response.json()).toEqual({ type: 5 });
    await waitOnExecutionContext(ctx);
    const followUps = discord.calls({ method: "POST" }).filter((c) => c.path.includes(String(payload.token)));
    expect(followUps).toHaveLength(1);
    const note = (followUps[0]!.body as { json: { content: string; flags: number } }).json;
    expect(note.flags).toBe(64);
    expect(note.content).toBe("I skipped 2 rows of your file:\n• line 3: a blank line\n• line 6: a row of empty cells");
    expect(discord.calls({ method: "PATCH" })).toHaveLength(1);
    expect(discord.messagesFor(String(payload.token))[0]!.attachments).toHaveLength(1);
    // The chart first, then the note, each its own message: the note never replaces "thinking…" (and so never
    // turns public), and the final edit never overwrites it (issue 20, defect 1).
    const token = String(payload.token);
    expect(
      discord
        .calls()
        .filter((c) => c.path.includes(token))
        .map((c) => c.method),
    ).toEqual(["PATCH", "POST"]);
    expect(discord.messagesFor(token).map((m) => [m.role, m.attachments.length, m.flags & 64])).toEqual([
      ["original", 1, 0],
      ["followup", 0, 64],
    ]);
  });
});

describe("a job's other messages", () => {
  it("progress edits @original before the end, and the final edit still comes once, last", async () => {
    const module = defineModule({
      definition: { name: "steps", description: "shows progress" },
      jobs: {
        go: job(async (_input: null, task) => {
          await task.progress("step 1 of 2…");
          return { data: { content: "done" } };
        }),
      },
      command: ({ defer }) => defer("go", null),
    });
    await send(createRegistry([module]), command("steps"), { ...env, HEAVY_LIMITER: undefined });
    const edits = discord.calls({ method: "PATCH" }).map((c) => (c.body as { json: { content: string } }).json.content);
    expect(edits).toEqual(["step 1 of 2…", "done"]);
  });

  it("a job that returns DELETE_ORIGINAL ends with one DELETE of @original instead of an edit", async () => {
    const module = defineModule({
      definition: { name: "quiet", description: "answers in a follow-up only" },
      jobs: {
        go: job(async (_input: null, task) => {
          await task.followUp("here you go", { ephemeral: true });
          return DELETE_ORIGINAL;
        }),
      },
      command: ({ defer }) => defer("go", null),
    });
    const payload = command("quiet");
    await send(createRegistry([module]), payload, { ...env, HEAVY_LIMITER: undefined });
    expect(discord.calls({ method: "PATCH" })).toHaveLength(0);
    expect(discord.calls({ method: "DELETE" }).map((c) => c.path)).toEqual([
      expect.stringMatching(/\/messages\/@original$/),
    ]);
  });
});

describe("job inputs", () => {
  it("an input JSON cannot carry is a handler error at once (ephemeral, with a reference), never a stuck 'thinking…'", async () => {
    const module = defineModule({
      definition: { name: "bigint", description: "defers a BigInt" },
      jobs: { go: job(async () => ({ data: { content: "never" } })) },
      command: ({ defer }) => defer("go", { n: 1n } as never),
    });
    const body = await send(createRegistry([module]), command("bigint"), { ...env, HEAVY_LIMITER: undefined });
    expect(body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/reference `[0-9a-f]{8}`/) },
    });
    expect(discord.calls()).toHaveLength(0);
  });
});
