// The deferred engine's defects of issue 20, each reproduced first: the ack before any job code, a hung queue send,
// a job past its budget or its final edit, the fallback after a component, dead custom_ids in a final edit, and
// what the queue retries (issue 19: only what never reached the backend or was refused as busy).
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import { readConfig } from "../../src/worker/kit/config.ts";
import { dispatch } from "../../src/worker/kit/dispatch/dispatcher.ts";
import { parseInteraction, type Interaction } from "../../src/worker/kit/dispatch/interaction.ts";
import { createRegistry, type Registry } from "../../src/worker/kit/dispatch/registry.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { actionRow, button } from "../../src/worker/kit/discord/components.ts";
import { afterResponse } from "../../src/worker/kit/engine/after-response.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { handleQueue } from "../../src/worker/kit/engine/queue-consumer.ts";
import type { JobMessage } from "../../src/worker/kit/engine/queue-message.ts";
import { runDeferred } from "../../src/worker/kit/engine/run-deferred.ts";
import type { TaskContext } from "../../src/worker/kit/engine/task-context.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { scaled, scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import { interactionLog } from "../../src/worker/app/middleware/interaction-log.ts";
import { saveChart } from "../../src/worker/app/commands/chart/store.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { routeOutbound, type Handler } from "../support/outbound.worker.ts";
import { command, component, signedRequest } from "../support/interactions.worker.ts";

let discord: DiscordEmulator;
const baseEnv = () => ({
  ...env,
  HEAVY_LIMITER: undefined,
  CHART_CACHE: undefined,
  BACKEND_URL,
  RELAY_SECRET: TEST_RELAY_SECRET,
});
const patches = () => discord.calls({ method: "PATCH" });
const contentOf = (call: { body: unknown } | undefined) =>
  ((call?.body as { json?: { content?: string } }).json?.content ?? "") as string;
const lines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);

function outbound(backend: Handler = scriptedBackend().handler) {
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: backend });
}

function parsed(payload: Record<string, unknown>): Interaction {
  const result = parseInteraction(new TextEncoder().encode(JSON.stringify(payload)));
  if (!result.ok) throw new Error(result.message);
  return result.interaction;
}

beforeEach(async () => {
  discord = createDiscordEmulator();
  await env.DB!.exec("DELETE FROM deferred_jobs;");
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("the ack is never late (defect 2)", () => {
  it("a job that computes for 1 s before its first await starts only after the response is on its way", async () => {
    outbound();
    let responded = false;
    const seenAtStart: boolean[] = [];
    const module = defineModule({
      definition: { name: "crunch", description: "computes before its first await" },
      jobs: {
        go: job(async () => {
          seenAtStart.push(responded);
          const until = Date.now() + 1_000;
          while (Date.now() < until) {
            // busy: a second of synchronous work before the first await
          }
          return { data: { content: "crunched" } };
        }),
      },
      command: ({ defer }) => defer("go", null),
    });
    const payload = command("crunch");
    const ctx = createExecutionContext();
    const response = await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      { ...baseEnv(), DB: undefined } as never,
      ctx,
      createRegistry([module]),
    );
    responded = true;
    expect(await response.json()).toEqual({ type: 5 });
    await waitOnExecutionContext(ctx);
    expect(seenAtStart).toEqual([true]);
    expect(contentOf(patches()[0])).toBe("crunched");
  });
});

describe("where the runtime cannot promise the ack, it is detected and reported by name", () => {
  function computing(ms: () => number) {
    return defineModule({
      definition: { name: "hog", description: "computes before it answers" },
      command: () => {
        const until = Date.now() + ms();
        while (Date.now() < until) {
          // busy: the event loop is blocked, so no timer (the auto-deferral's included) can fire
        }
        return { type: 4, data: { content: "done" } };
      },
    });
  }
  async function send(module: ReturnType<typeof computing>) {
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    const payload = command("hog");
    const ctx = createExecutionContext();
    const registry = createRegistry([module], { after: [interactionLog] });
    const response = await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      { ...baseEnv(), DB: undefined } as never,
      ctx,
      registry,
    );
    expect(await response.json()).toMatchObject({ type: 4, data: { content: "done" } });
    await waitOnExecutionContext(ctx);
    return lines(logged).filter((l) => l.interaction_id === payload.id);
  }

  it("a handler whose synchronous work holds the response past the margin: engine.ack_late with its ms, and in the interaction's line", async () => {
    const restore = scaleTimingsForTests(1 / 10); // ACK_LATE_MS (2.8 s) becomes 280 ms
    try {
      const logged = await send(computing(() => scaled(3_000)));
      const late = logged.find((l) => l.event === "engine.ack_late");
      expect(late).toMatchObject({ route: "/hog", level: "warn" });
      expect(late!.ack_ms).toBeGreaterThanOrEqual(scaled(3_000));
      expect(logged.find((l) => l.event === "interaction")).toMatchObject({ outcome: "ok", ack_late_ms: late!.ack_ms });
    } finally {
      restore();
    }
  });

  it("an answer inside the margin reports nothing", async () => {
    const logged = await send(computing(() => 0));
    expect(logged.map((l) => l.event)).toEqual(["interaction"]);
    expect(logged[0]).not.toHaveProperty("ack_late_ms");
  });
});

describe("one record per deferred job, owned by the engine (deferred_jobs)", () => {
  const records = async () =>
    (await env.DB!.prepare("SELECT interaction_id, state, outcome FROM deferred_jobs").all()).results;
  async function deliver(payload: Record<string, unknown>) {
    const ctx = createExecutionContext();
    await worker.fetch((await signedRequest(JSON.stringify(payload))) as never, baseEnv() as never, ctx);
    await waitOnExecutionContext(ctx);
  }

  it("an interaction with no work after its response claims nothing; a deferred one claims once, and its duplicate runs nothing", async () => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    await deliver(command("ping"));
    expect(await records()).toEqual([]);
    const chart = command("chart", [{ type: 3, name: "values", value: "4,1,3" }]);
    await deliver(chart);
    await deliver(chart);
    expect(await records()).toEqual([{ interaction_id: chart.id, state: "claimed", outcome: null }]);
    expect(backend.calls).toHaveLength(1);
    expect(patches()).toHaveLength(1);
    expect(
      lines(logged)
        .filter((l) => l.event === "interaction.duplicate")
        .map((l) => l.interaction_id),
    ).toEqual([chart.id]);
  });

  it("a waitUntil job that ends badly is recorded as done with its outcome", async () => {
    outbound(() => Response.json({ error: { code: "job_failed", message: "boom" } }, { status: 500 }));
    vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const chart = command("chart", [{ type: 3, name: "values", value: "9,1,3" }]);
    await deliver(chart);
    expect(await records()).toEqual([{ interaction_id: chart.id, state: "done", outcome: "task_error" }]);
  });
});

describe("a hung queue send (defect 3)", () => {
  it("falls back to running the job within a time limit, and the late-delivered message does not run it again", async () => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    const late: JobMessage[] = [];
    const hungQueue = { send: (body: JobMessage) => (late.push(body), new Promise<void>(() => {})) };
    const queueEnv = { ...baseEnv(), RELAY_MODE: "queue", JOBS: hungQueue };
    const config = readConfig(queueEnv as never);
    const registry: Registry = createRegistry((await import("../../src/worker/app/commands/index.ts")).commands);
    const payload = command("chart", [{ type: 3, name: "values", value: "1,2,3" }]);
    const interaction = parsed(payload);
    const dispatched = await dispatch(interaction, {
      registry,
      env: queueEnv as never,
      config,
      request: new Request("https://w/interactions"),
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await afterResponse(interaction, dispatched, queueEnv as never, config, { enqueueTimeoutMs: 50 });
    expect(patches()).toHaveLength(1);
    expect(discord.messagesFor(String(payload.token))[0]!.attachments).toHaveLength(1);
    expect(lines(errors).find((l) => l.event === "deferred.enqueue_failed")).toMatchObject({
      interaction_id: payload.id,
      error: expect.stringMatching(/no answer within 50 ms/),
    });
    // The send was only slow: the message arrives after all. The consumer must not render or edit again.
    expect(late).toHaveLength(1);
    const batch = createMessageBatch("edge-discord-bot-jobs", [
      { id: "late", timestamp: new Date(), attempts: 1, body: late[0] },
    ]);
    const qctx = createExecutionContext();
    await handleQueue(batch as never, queueEnv as never, registry);
    expect((await getQueueResult(batch as never, qctx)).explicitAcks).toEqual(["late"]);
    expect(backend.calls).toHaveLength(1);
    expect(patches()).toHaveLength(1);
  });

  it("a hung KV put does not turn a rendered chart into a timeout: the chart goes out, without buttons", async () => {
    outbound();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hungKv = { put: () => new Promise(() => {}), get: async () => null };
    const payload = command("chart", [{ type: 3, name: "values", value: "1,2" }]);
    const ctx = createExecutionContext();
    const restore = scaleTimingsForTests(1 / 40); // the hang ends through the Worker's own storage limit, 40× shorter
    await worker.fetch(
      (await signedRequest(JSON.stringify(payload))) as never,
      { ...baseEnv(), CHART_DATA: hungKv } as never,
      ctx,
    );
    await waitOnExecutionContext(ctx).finally(restore);
    const [message] = discord.messagesFor(String(payload.token));
    expect(message!.attachments).toHaveLength(1);
    expect(message!.components).toEqual([]);
  });
});

describe("a hung KV read behind a button (every call time-boxed)", () => {
  it("ends in an error edit that keeps the chart, through the storage limit rather than the job's whole budget", async () => {
    outbound();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const hungKv = { get: () => new Promise(() => {}), put: async () => {} };
    const restore = scaleTimingsForTests(1 / 40);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.fetch(
      (await signedRequest(JSON.stringify(component("chart:bar:abcdefghij12")))) as never,
      { ...baseEnv(), CHART_DATA: hungKv } as never,
      ctx,
    );
    await waitOnExecutionContext(ctx).finally(restore);
    const edit = (patches()[0]!.body as { json: Record<string, unknown> }).json;
    expect(edit.content).toMatch(/Something went wrong.*reference/);
    expect(edit).not.toHaveProperty("embeds");
    expect(lines(errors).find((l) => l.event === "deferred")).toMatchObject({
      error: expect.stringMatching(/storage\(chart_data\.load\): no answer within/),
    });
  });
});

describe("a job past its budget, or past its final edit, cannot edit or follow up (defect 6)", () => {
  it("refuses the late progress and follow-up with a named error and a log line; the timeout text stays", async () => {
    outbound();
    let finished!: Promise<unknown[]>;
    const module = defineModule({
      definition: { name: "stubborn", description: "ignores its signal" },
      jobs: {
        go: job(async (_input: null, task: TaskContext) => {
          finished = (async () => {
            await new Promise((resolve) => task.signal.addEventListener("abort", resolve, { once: true }));
            // Wait for the runner's final edit to have gone out, then try to change it.
            await vi.waitFor(() => expect(patches()).toHaveLength(1), { timeout: 5_000, interval: 5 });
            return Promise.all([
              task.progress("step 2 of 2…").catch((e: unknown) => e),
              task.followUp("stray").catch((e: unknown) => e),
            ]);
          })();
          await finished;
          return { data: { content: "never" } };
        }),
      },
      command: ({ defer }) => defer("go", null),
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = command("stubborn");
    const interaction = parsed(payload);
    const config = readConfig(baseEnv() as never);
    await runDeferred(
      { job: "go", input: null, update: false },
      module,
      interaction,
      baseEnv() as never,
      config,
      "/stubborn",
      { taskBudgetMs: 20 },
    );
    const refused = await finished;
    expect(refused.map((e) => (e as Error).name)).toEqual(["TaskClosedError", "TaskClosedError"]);
    expect(patches()).toHaveLength(1);
    expect(contentOf(patches()[0])).toMatch(/longer than I can wait/);
    expect(discord.calls({ method: "POST" })).toHaveLength(0);
    expect(
      lines(errors)
        .filter((l) => l.event === "deferred.refused")
        .map((l) => l.action),
    ).toEqual(["progress", "follow_up"]);
  });
});

describe("the fallback after a component keeps the message (defect 7)", () => {
  it("Discord refusing a redrawn chart: the fallback edit replaces only the text", async () => {
    outbound();
    const key = "abcdefghij12";
    await saveChart(env.CHART_DATA!, key, {
      title: null,
      points: [
        { label: "a", value: 1 },
        { label: "b", value: 2 },
      ],
    });
    discord.faults.push({
      match: { method: "PATCH" },
      times: 1,
      respond: { status: 400, json: { code: 50035, message: "Invalid Form Body" } },
    });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await worker.fetch(
      (await signedRequest(JSON.stringify(component(`chart:bar:${key}`)))) as never,
      baseEnv() as never,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(patches().map((c) => c.status)).toEqual([400, 200]);
    const fallback = (patches()[1]!.body as { json: Record<string, unknown> }).json;
    expect(fallback.content).toMatch(/Discord would not accept it/);
    expect(fallback).not.toHaveProperty("embeds");
    expect(fallback).not.toHaveProperty("attachments");
    expect(fallback).not.toHaveProperty("components");
  });
});

describe("a final edit's custom_ids are checked like an immediate reply's (defect 8)", () => {
  it("a button no handler receives becomes an error edit with a reference, not a dead button", async () => {
    outbound();
    const module = defineModule({
      definition: { name: "typo", description: "ships a dead button" },
      jobs: {
        go: job(async () => ({
          data: { content: "here", components: [actionRow(button({ label: "More", customId: "tpyo:more" }))] },
        })),
      },
      command: ({ defer }) => defer("go", null),
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = command("typo");
    const ctx = createExecutionContext();
    await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      baseEnv() as never,
      ctx,
      createRegistry([module]),
    );
    await waitOnExecutionContext(ctx);
    expect(patches()).toHaveLength(1);
    expect(contentOf(patches()[0])).toMatch(/Something went wrong.*reference `[0-9a-f]{8}`/);
    expect(lines(errors).find((l) => l.event === "deferred")).toMatchObject({
      outcome: "task_error",
      error: expect.stringMatching(/"tpyo:more" routes to no module/),
    });
  });
});

describe("what the queue retries (issue 19)", () => {
  const queueEnv = () => ({ ...baseEnv(), RELAY_MODE: "queue", JOBS: { send: async () => {} } });
  const body = (payload: Record<string, unknown>): JobMessage => ({
    v: 2,
    interaction: payload,
    route: "/chart",
    job: "render",
    input: { kind: "line", values: "1,2,3" },
    enqueued_at: Date.now(),
    update: false,
  });

  it.each([
    [
      "a backend that failed the job (500)",
      () => Response.json({ error: { code: "job_failed", message: "boom" } }, { status: 500 }),
      /failed while working/,
    ],
  ])("%s is not retried: it would fail again; the user reads the error at once", async (_name, backend, expected) => {
    outbound(backend);
    vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = command("chart", [{ type: 3, name: "values", value: "1,2,3" }]);
    const batch = createMessageBatch("edge-discord-bot-jobs", [
      { id: "m", timestamp: new Date(), attempts: 1, body: body(payload) },
    ]);
    const ctx = createExecutionContext();
    await services.queue(batch as never, queueEnv() as never, ctx);
    const result = await getQueueResult(batch as never, ctx);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toEqual(["m"]);
    expect(contentOf(patches()[0])).toMatch(expected);
  });

  it.each([
    [
      "unreachable",
      () => {
        throw new TypeError("connect ECONNREFUSED");
      },
    ],
    [
      "busy (503)",
      () =>
        new Response(JSON.stringify({ error: { code: "busy", message: "busy" } }), {
          status: 503,
          headers: { "Retry-After": "3" },
        }),
    ],
  ])(
    "a backend that is %s is retried: the job never reached it, or was refused before it started",
    async (_name, backend) => {
      outbound(backend);
      vi.spyOn(console, "log").mockImplementation(() => {});
      const payload = command("chart", [{ type: 3, name: "values", value: "1,2,3" }]);
      const batch = createMessageBatch("edge-discord-bot-jobs", [
        { id: "m", timestamp: new Date(), attempts: 1, body: body(payload) },
      ]);
      const ctx = createExecutionContext();
      await services.queue(batch as never, queueEnv() as never, ctx);
      expect((await getQueueResult(batch as never, ctx)).retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    },
  );
});

describe("queue mode delivers without re-running (defect 4)", () => {
  const queueEnv = () => ({ ...baseEnv(), RELAY_MODE: "queue", JOBS: { send: async () => {} } });

  function counting() {
    const runs: number[] = [];
    const module = defineModule({
      definition: { name: "once", description: "counts its runs" },
      jobs: {
        go: job(async (_input: null, task: TaskContext) => {
          runs.push(runs.length + 1);
          await task.followUp("a note for you", { ephemeral: true });
          return { data: { content: "the result" } };
        }),
      },
      command: ({ defer }) => defer("go", null),
    });
    return { runs, registry: createRegistry([module]) };
  }
  const body = (payload: Record<string, unknown>): JobMessage => ({
    v: 2,
    interaction: payload,
    route: "/once",
    job: "go",
    input: null,
    enqueued_at: Date.now(),
    update: false,
  });

  async function consume(registry: Registry, message: JobMessage, attempts: number) {
    const batch = createMessageBatch("edge-discord-bot-jobs", [
      { id: "m", timestamp: new Date(), attempts, body: message },
    ]);
    const ctx = createExecutionContext();
    await handleQueue(batch as never, queueEnv() as never, registry);
    return getQueueResult(batch as never, ctx);
  }

  it("a failed final edit is retried with the stored result: the job and its follow-up run once", async () => {
    outbound();
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { runs, registry } = counting();
    const payload = command("once");
    discord.faults.push({
      match: { method: "PATCH" },
      times: 3,
      respond: { status: 503, json: { message: "unavailable" } },
    });
    expect((await consume(registry, body(payload), 1)).retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    expect(discord.calls({ method: "POST" })).toHaveLength(0);
    expect((await consume(registry, body(payload), 2)).explicitAcks).toEqual(["m"]);
    expect(runs).toEqual([1]);
    const token = String(payload.token);
    expect(discord.messagesFor(token).map((m) => [m.role, m.content, m.flags & 64])).toEqual([
      ["original", "the result", 0],
      ["followup", "a note for you", 64],
    ]);
    // A redelivery after that is a duplicate: nothing runs or is sent again.
    expect((await consume(registry, body(payload), 3)).explicitAcks).toEqual(["m"]);
    expect(runs).toEqual([1]);
    expect(discord.calls({ method: "POST" })).toHaveLength(1);
  });

  it("a delivery retry waits at least Discord's retry_after", async () => {
    outbound();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { registry } = counting();
    discord.faults.push({
      match: { method: "PATCH" },
      times: 1,
      respond: { status: 429, json: { message: "You are being rate limited.", retry_after: 90, global: false } },
    });
    const batch = createMessageBatch("edge-discord-bot-jobs", [
      { id: "m", timestamp: new Date(), attempts: 1, body: body(command("once")) },
    ]);
    const retried = vi.spyOn(batch.messages[0]!, "retry");
    await handleQueue(batch as never, queueEnv() as never, registry);
    expect(retried).toHaveBeenCalledWith({ delaySeconds: 90 });
  });
});

describe("queue mode never leaves the user in silence (issue 21)", () => {
  const queueEnv = () => ({ ...baseEnv(), RELAY_MODE: "queue", JOBS: { send: async () => {} } });
  const body = (payload: Record<string, unknown>): JobMessage => ({
    v: 2,
    interaction: payload,
    route: "/chart",
    job: "render",
    input: { kind: "line", values: "1,2,3" },
    enqueued_at: Date.now(),
    update: false,
  });
  async function consume(message: JobMessage, attempts: number) {
    const batch = createMessageBatch("edge-discord-bot-jobs", [
      { id: "m", timestamp: new Date(), attempts, body: message },
    ]);
    const ctx = createExecutionContext();
    await services.queue(batch as never, queueEnv() as never, ctx);
    return getQueueResult(batch as never, ctx);
  }

  it("backend down: one status edit in the user's language at the first retry, then the final error, and nothing between", async () => {
    outbound(() => {
      throw new TypeError("connect ECONNREFUSED");
    });
    vi.spyOn(console, "log").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = command("chart", [{ type: 3, name: "values", value: "1,2,3" }], { locale: "de" });
    expect((await consume(body(payload), 1)).retryMessages).toHaveLength(1);
    expect(patches()).toHaveLength(1);
    const status = (patches()[0]!.body as { json: Record<string, unknown> }).json;
    expect(status.content).toMatch(
      /^⏳ Der Dienst antwortet nicht; ich versuche es weiter\. Die Antwort kommt hier in spätestens \d+ Min\.$/,
    );
    expect(status).toMatchObject({ embeds: [], components: [], attachments: [] });
    for (const attempts of [2, 3, 4]) expect((await consume(body(payload), attempts)).retryMessages).toHaveLength(1);
    expect(patches()).toHaveLength(1);
    expect((await consume(body(payload), 5)).explicitAcks).toEqual(["m"]);
    expect(patches()).toHaveLength(2);
    // The final error is in the user's language too.
    expect(contentOf(patches()[1])).toMatch(
      /^⚠️ Das Backend ist gerade nicht erreichbar\. .*\(Referenz `[0-9a-f]{8}`\)$/,
    );
  });
});

describe("auto-deferral: never 'The application did not respond'", () => {
  let restore: () => void;
  beforeEach(() => {
    restore = scaleTimingsForTests(1 / 40); // the 2.5 s margin becomes ≈ 60 ms
  });
  afterEach(() => restore());

  /** A module whose handlers answer only when the test releases them, after the acknowledgement has been seen. */
  function slow() {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const module = defineModule({
      definition: { name: "slowpoke", description: "answers late" },
      command: async ({ options: _o }) => {
        await gate;
        return { type: 4, data: { content: "late but here" } };
      },
      component: async () => {
        await gate;
        return { type: 7, data: { content: "updated late" } };
      },
    });
    return { release, registry: createRegistry([module]) };
  }

  async function send(registry: Registry, payload: Record<string, unknown>, release: () => void) {
    const ctx = createExecutionContext();
    const warn = vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      baseEnv() as never,
      ctx,
      registry,
    );
    const body = await response.json();
    release();
    await waitOnExecutionContext(ctx);
    return { body, logged: lines(warn) };
  }

  it("a command whose handler has not answered at the margin gets type 5, and its answer becomes the edit of @original", async () => {
    outbound();
    const { release, registry } = slow();
    const payload = command("slowpoke");
    const { body, logged } = await send(registry, payload, release);
    expect(body).toEqual({ type: 5 });
    expect(patches().map(contentOf)).toEqual(["late but here"]);
    expect(logged.find((l) => l.event === "interaction.auto_deferred")).toMatchObject({
      interaction_id: payload.id,
      route: "/slowpoke",
      ack_type: 5,
      level: "warn",
    });
  });

  it("a component gets type 6, and its update becomes the edit of its message", async () => {
    outbound();
    const { release, registry } = slow();
    const { body } = await send(registry, component("slowpoke:x"), release);
    expect(body).toEqual({ type: 6 });
    expect(patches().map(contentOf)).toEqual(["updated late"]);
  });

  it("a handler that never answers after the auto-deferral still leaves the user a final message, and one log line", async () => {
    outbound();
    const module = defineModule({
      definition: { name: "hangs", description: "never answers" },
      command: () => new Promise<never>(() => {}),
    });
    const payload = command("hangs");
    const ctx = createExecutionContext();
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      baseEnv() as never,
      ctx,
      createRegistry([module]),
    );
    expect(await response.json()).toEqual({ type: 5 });
    await waitOnExecutionContext(ctx);
    expect(patches()).toHaveLength(1);
    expect(contentOf(patches()[0])).toMatch(/took longer than I can wait.*reference `[0-9a-f]{8}`/);
    const ref = /reference `([0-9a-f]{8})`/.exec(contentOf(patches()[0]))![1];
    // (On a loaded machine the auto-deferral's scaled timer may itself fire late enough to be reported as engine.ack_late.)
    const mine = [...lines(logged), ...lines(errors)].filter(
      (l) => l.interaction_id === payload.id && l.event !== "engine.ack_late",
    );
    expect(mine).toEqual([
      expect.objectContaining({
        event: "interaction.auto_deferred",
        outcome: "no_answer",
        ack_type: 5,
        ref,
        level: "error",
      }),
    ]);
  });
});
