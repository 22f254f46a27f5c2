import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../src/worker/kit/config.ts";
import { runDeferred, TASK_BUDGET_MS } from "../../src/worker/kit/engine/run-deferred.ts";
import { job, type JobResult } from "../../src/worker/kit/engine/jobs.ts";
import type { TaskContext } from "../../src/worker/kit/engine/task-context.ts";
import { defineModule, type CommandModule } from "../../src/worker/kit/dispatch/types.ts";
import type { JobCall } from "../../src/worker/kit/engine/run-deferred.ts";

/** A one-job module, to run the runner on a job that misbehaves on purpose. */
function adhoc(run: (input: null, task: TaskContext) => Promise<JobResult>): [JobCall, CommandModule] {
  const module = defineModule({
    definition: { name: "adhoc", description: "a test job" },
    command: ({ defer }) => defer("work", null),
    jobs: { work: job(run) },
  });
  return [{ job: "work", input: null, update: false }, module];
}
import { parseInteraction } from "../../src/worker/kit/dispatch/interaction.ts";
import { saveChart } from "../../src/worker/app/commands/chart/store.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/app.ts";
import {
  BACKEND_HOST,
  BACKEND_URL,
  scriptedBackend,
  TEST_RELAY_SECRET,
  TINY_PNG_BASE64,
} from "../support/backend.worker.ts";
import { hang, routeOutbound, type Handler } from "../support/outbound.worker.ts";
import { command, component, interaction, sendWith } from "../support/interactions.worker.ts";

// The per-user limiter is tested on its own (limits.test.ts); here every test is one user making many charts. The
// chart cache has its own tests (chart-cache.test.ts): here every render must reach the backend.
const chartEnv = () => ({
  ...env,
  HEAVY_LIMITER: undefined,
  CHART_CACHE: undefined,
  BACKEND_URL,
  RELAY_SECRET: TEST_RELAY_SECRET,
});
let discord: DiscordEmulator;

function withBackend(handler: Handler) {
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: handler });
}

/** Sends a signed interaction through the Worker and waits for its waitUntil work (the final edit). */
async function run(payload: Record<string, unknown>, workerEnv: Record<string, unknown> = chartEnv()) {
  const ctx = createExecutionContext();
  const response = await sendWith(payload, workerEnv, ctx);
  const body = (await response.clone().json()) as { type: number; data?: Record<string, any> };
  await discord.recordInlineResponse(String(payload.token), body);
  await waitOnExecutionContext(ctx);
  return { response, body, token: String(payload.token) };
}

const chartCommand = (options: unknown[]) => command("chart", options);
const patches = () => discord.calls({ method: "PATCH" });

beforeEach(() => {
  discord = createDiscordEmulator();
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("/chart: checks before deferring", () => {
  it.each([
    ["neither values nor file", []],
    [
      "both values and file",
      [
        { type: 3, name: "values", value: "1,2" },
        { type: 11, name: "file", value: "9" },
      ],
    ],
    ["values that are not numbers", [{ type: 3, name: "values", value: "3,5,abc" }]],
    ["more than 1,000 values", [{ type: 3, name: "values", value: Array(1001).fill("1").join(",") }]],
    ["a value too close to zero to chart", [{ type: 3, name: "values", value: "0,1e-320" }]],
    ["values whose difference overflows", [{ type: 3, name: "values", value: "-1.7e308,1.7e308" }]],
    [
      "an unknown kind",
      [
        { type: 3, name: "values", value: "1,2" },
        { type: 3, name: "kind", value: "pie" },
      ],
    ],
  ])("answers %s at once, ephemerally, without deferring", async (_name, options) => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const { body } = await run(chartCommand(options));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(backend.calls).toHaveLength(0);
    expect(discord.calls()).toHaveLength(0);
  });

  it("names the bad entry", async () => {
    withBackend(scriptedBackend().handler);
    const { body } = await run(chartCommand([{ type: 3, name: "values", value: "3,5,abc" }]));
    expect(body.data?.content).toMatch(/abc.*position 3/);
  });

  it.each([
    ["0,1e-320", '"1e-320" at position 2 is too close to zero to chart'],
    ["-1.7e308,1.7e308", '"-1.7e308" at position 1 is too large to chart'],
  ])("names a value a chart cannot hold (%s)", async (values, sentence) => {
    withBackend(scriptedBackend().handler);
    const { body } = await run(chartCommand([{ type: 3, name: "values", value: values }]));
    expect(body.data?.content).toContain(sentence);
  });

  it("Chart numbers answers at once, naming a number in the message that a chart cannot hold", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const message = {
      id: "700000000000000007",
      channel_id: "300000000000000003",
      content: "from 3 to 1e-320 in a week",
      author: { id: "400000000000000009", username: "friend" },
      attachments: [],
      embeds: [],
    };
    const { body } = await run(
      interaction({
        type: 2,
        data: {
          id: "500000000000000006",
          name: "Chart numbers",
          type: 3,
          target_id: message.id,
          resolved: { messages: { [message.id]: message } },
        },
      }),
    );
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data?.content).toContain('"1e-320" at position 2 is too close to zero to chart');
    expect(backend.calls).toHaveLength(0);
  });

  it("refuses an attachment over 1 MiB or that is not a CSV before deferring", async () => {
    withBackend(scriptedBackend().handler);
    const big = chartCommand([{ type: 11, name: "file", value: "9" }]);
    (big.data as Record<string, unknown>).resolved = {
      attachments: {
        "9": { id: "9", filename: "data.csv", url: "https://cdn.discordapp.com/a/data.csv", size: 2_000_000 },
      },
    };
    expect((await run(big)).body).toMatchObject({ type: 4, data: { flags: 64 } });
    const image = chartCommand([{ type: 11, name: "file", value: "9" }]);
    (image.data as Record<string, unknown>).resolved = {
      attachments: {
        "9": {
          id: "9",
          filename: "cat.png",
          url: "https://cdn.discordapp.com/a/cat.png",
          size: 2000,
          content_type: "image/png",
        },
      },
    };
    expect((await run(image)).body.data?.content).toContain("CSV");
  });

  it("says charts are unavailable when the backend is not configured", async () => {
    withBackend(scriptedBackend().handler);
    const { body } = await run(chartCommand([{ type: 3, name: "values", value: "1,2" }]), { ...env });
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data?.content).toContain("not configured");
  });
});

describe("/chart: deferred render", () => {
  it("defers, relays a signed job, and makes exactly one final edit with the chart", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const payload = chartCommand([
      { type: 3, name: "values", value: "3,5,2,8" },
      { type: 3, name: "kind", value: "bar" },
      { type: 3, name: "title", value: "Sales" },
    ]);
    const { body, token } = await run(payload);

    expect(body).toEqual({ type: 5 });
    expect(backend.calls).toEqual([
      { job: "chart", id: payload.id, input: { kind: "bar", title: "Sales", values: "3,5,2,8" }, signatureOk: true },
    ]);
    expect(patches()).toHaveLength(1);
    expect(discord.calls()).toHaveLength(1);

    const [edit] = patches();
    expect(edit!.path).toMatch(/\/messages\/@original$/);
    expect(edit!.headers["user-agent"]).toMatch(/^DiscordBot \(/);
    const multipart = edit!.body as { payload_json: any; files: any[] };
    expect(multipart.files).toEqual([
      { field: "files[0]", filename: "chart.png", size: atob(TINY_PNG_BASE64).length, content_type: "image/png" },
    ]);
    expect(multipart.payload_json.attachments).toEqual([
      { id: "0", filename: "chart.png", description: "bar chart of 4 points" },
    ]);
    const embed = multipart.payload_json.embeds[0];
    expect(embed.title).toBe("Sales");
    expect(embed.image.url).toBe("attachment://chart.png");
    expect(embed.fields.map((f: { name: string; value: string }) => `${f.name}=${f.value}`)).toEqual([
      "Points=4",
      "Min=2",
      "Max=8",
      "Mean=4.5",
      "First → last=3 → 8: +5 (+166.667 %)",
    ]);

    const buttons = multipart.payload_json.components[0].components;
    expect(buttons.map((b: { custom_id: string }) => b.custom_id.replace(/:[0-9a-z]{12}$/, ":KEY"))).toEqual([
      "chart:line:KEY",
      "chart:bar:KEY",
    ]);
    expect(buttons.find((b: { custom_id: string }) => b.custom_id.startsWith("chart:bar")).disabled).toBe(true);

    const key = buttons[0].custom_id.split(":")[2];
    expect(await env.CHART_DATA!.get(`chart:${key}`, "json")).toMatchObject({
      v: 1,
      title: "Sales",
      points: [
        { label: "1", value: 3 },
        { label: "2", value: 5 },
        { label: "3", value: 2 },
        { label: "4", value: 8 },
      ],
    });

    const [message] = discord.messagesFor(token);
    expect(message).toMatchObject({ loading: false, edits: 1 });
    expect(message!.attachments).toHaveLength(1);
  });

  it("sends the user's locale with the job, signed, so the backend words what the user reads in it", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    await run(command("chart", [{ type: 3, name: "values", value: "3,5" }], { locale: "fr" }));
    await run(command("chart", [{ type: 3, name: "values", value: "3,5" }], { locale: "de" }));
    expect(backend.calls.map((call) => call.signatureOk)).toEqual([true, true]);
    expect(backend.locales).toEqual(["fr", "de"]);
  });

  it("passes an attachment's URL to the backend, not its bytes", async () => {
    const backend = scriptedBackend((call) =>
      Response.json({
        id: call.id,
        result: {
          png: TINY_PNG_BASE64,
          width: 1,
          height: 1,
          kind: "line",
          stats: { count: 2, min: 1, max: 2, mean: 1.5, first: 1, last: 2, change: 1, change_pct: 100 },
          points: [
            { label: "a", value: 1 },
            { label: "b", value: 2 },
          ],
        },
      }),
    );
    withBackend(backend.handler);
    const payload = chartCommand([{ type: 11, name: "file", value: "9" }]);
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
    await run(payload);
    expect(backend.calls[0]!.input).toEqual({
      kind: "line",
      file: {
        url: "https://cdn.discordapp.com/attachments/1/2/data.csv?ex=1&hm=2",
        size: 20,
        content_type: "text/csv",
        filename: "data.csv",
      },
    });
    expect(patches()).toHaveLength(1);
  });

  const failures: Array<[string, Handler, RegExp]> = [
    [
      "backend down",
      () => {
        throw new TypeError("connect ECONNREFUSED");
      },
      /unreachable/,
    ],
    ["backend answering garbage", () => new Response("<html>oops</html>", { status: 200 }), /could not read/],
    [
      "backend answering 500",
      () => Response.json({ error: { code: "job_failed", message: "boom" } }, { status: 500 }),
      /failed while working/,
    ],
    [
      "backend busy",
      () =>
        Response.json({ error: { code: "busy", message: "busy" } }, { status: 503, headers: { "Retry-After": "7" } }),
      /busy right now.*in about 7 s/,
    ],
    [
      "backend rejecting the input",
      () =>
        Response.json(
          { error: { code: "invalid_input", field: "values", message: 'values: "x" at position 2 is not a number' } },
          { status: 422 },
        ),
      /could not use your input: values: "x" at position 2/,
    ],
    // Too costly to draw (issue 19): the backend's message is a sentence for the user, shown as it is.
    [
      "backend refusing a chart too costly to draw",
      () =>
        Response.json(
          {
            error: {
              code: "too_costly",
              field: "points",
              retriable: false,
              message: "This chart would take too long to draw. Try fewer rows.",
            },
          },
          { status: 422 },
        ),
      /^⚠️ This chart would take too long to draw\. Try fewer rows\. \(reference/,
    ],
    [
      "backend stopping a render at its time limit",
      () =>
        Response.json(
          {
            error: {
              code: "render_timeout",
              retriable: false,
              message: "This chart took longer than 5 s to draw, so the backend stopped it. Try fewer rows.",
            },
          },
          { status: 422 },
        ),
      /^⚠️ This chart took longer than 5 s to draw, so the backend stopped it\. Try fewer rows\. \(reference/,
    ],
    // An answer that never ends: read whole, it would exhaust the isolate's memory; capped, it is refused.
    [
      "backend answering without end",
      () =>
        new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array(1 << 20).fill(32)) }), { status: 200 }),
      /more than I can deliver/,
    ],
  ];

  it.each(failures)("ends with one readable error edit when the %s", async (_name, handler, expected) => {
    withBackend(scriptedBackend((_call, request) => handler(request)).handler);
    const { body, token } = await run(chartCommand([{ type: 3, name: "values", value: "1,2" }]));
    expect(body.type).toBe(5);
    expect(patches()).toHaveLength(1);
    const payload = (patches()[0]!.body as { json: any }).json;
    expect(payload.content).toMatch(expected);
    expect(payload.content).toMatch(/reference `[0-9a-f]{8}`/);
    expect(payload).toMatchObject({ embeds: [], components: [], attachments: [] });
    expect(discord.messagesFor(token)[0]).toMatchObject({ loading: false });
  });

  it("rides out Discord answering 429 on the final edit", async () => {
    withBackend(scriptedBackend().handler);
    discord.faults.push({
      match: { method: "PATCH" },
      times: 2,
      respond: { status: 429, json: { message: "You are being rate limited.", retry_after: 0.01, global: false } },
    });
    const { token } = await run(chartCommand([{ type: 3, name: "values", value: "1,2" }]));
    expect(patches().map((c) => c.status)).toEqual([429, 429, 200]);
    expect(discord.messagesFor(token)[0]!.attachments).toHaveLength(1);
  });

  it("falls back to a text edit when Discord refuses the result", async () => {
    withBackend(scriptedBackend().handler);
    discord.faults.push({
      match: { method: "PATCH" },
      times: 1,
      respond: { status: 400, json: { code: 50035, message: "Invalid Form Body" } },
    });
    const { token } = await run(chartCommand([{ type: 3, name: "values", value: "1,2" }]));
    expect(patches().map((c) => c.status)).toEqual([400, 200]);
    expect(discord.messagesFor(token)[0]!.content).toMatch(/Discord would not accept it/);
  });

  it("gives up on Discord after bounded retries and logs the undelivered result", async () => {
    withBackend(scriptedBackend().handler);
    discord.faults.push({
      match: { method: "PATCH" },
      times: "always",
      respond: { status: 500, json: { message: "oops" } },
    });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = chartCommand([{ type: 3, name: "values", value: "1,2" }]);
    await run(payload);
    expect(patches()).toHaveLength(3);
    const line = JSON.parse(String(errors.mock.calls.at(-1)?.[0]));
    expect(line).toMatchObject({
      event: "deferred",
      outcome: "undelivered",
      interaction_id: payload.id,
      edit_status: 500,
    });
    expect(JSON.stringify(line)).not.toContain(String(payload.token));
  });
});

describe("deferred tasks", () => {
  const config = () => readConfig(chartEnv() as never);
  const parsed = (payload: Record<string, unknown>) => {
    const result = parseInteraction(new TextEncoder().encode(JSON.stringify(payload)));
    if (!result.ok) throw new Error(result.message);
    return result.interaction;
  };

  it("ends a task that overruns its budget with a timeout edit", async () => {
    withBackend(hang);
    const payload = command("slow");
    await runDeferred(...adhoc(() => new Promise(() => {})), parsed(payload), chartEnv(), config(), "/slow", {
      taskBudgetMs: 50,
    });
    expect(patches()).toHaveLength(1);
    expect((patches()[0]!.body as { json: any }).json.content).toMatch(/longer than I can wait/);
  });

  it("ends a slow backend with a timeout edit (the relay call honours the task's signal)", async () => {
    withBackend(hang);
    const payload = chartCommand([{ type: 3, name: "values", value: "1,2" }]);
    const chart = await import("../../src/worker/app/commands/chart.ts");
    const interactionValue = parsed(payload);
    await runDeferred(
      { job: "render", input: { kind: "line", values: "1,2" }, update: false },
      chart as CommandModule,
      interactionValue,
      chartEnv(),
      config(),
      "/chart",
      { taskBudgetMs: 50 },
    );
    expect((patches()[0]!.body as { json: any }).json.content).toMatch(/longer than I can wait/);
  });

  it("counts the task's budget from the interaction's arrival: time already spent is not given again", async () => {
    withBackend(hang);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const arrivedAt = Date.now() - TASK_BUDGET_MS;
    await runDeferred(...adhoc(() => new Promise(() => {})), parsed(command("late")), chartEnv(), config(), "/late", {
      arrivedAt,
    });
    expect(patches()).toHaveLength(1);
    expect((patches()[0]!.body as { json: any }).json.content).toMatch(/longer than I can wait/);
    const line = errors.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === "deferred");
    expect(line.total_ms).toBeGreaterThanOrEqual(TASK_BUDGET_MS);
  });

  it("a hung D1 claim does not hold the final edit: it times out, is logged, and the chart is delivered", async () => {
    withBackend(scriptedBackend().handler);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const hungDB = {
      prepare: () => ({
        bind: () => ({
          run: () => new Promise(() => {}),
          first: () => new Promise(() => {}),
          all: () => new Promise(() => {}),
        }),
      }),
    };
    const { token } = await run(chartCommand([{ type: 3, name: "values", value: "1,2,3" }]), {
      ...chartEnv(),
      DB: hungDB,
    });
    expect(patches()).toHaveLength(1);
    expect(discord.messagesFor(token)[0]!.attachments).toHaveLength(1);
    const logged = errors.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(logged.find((l) => l.event === "interaction.claim_timeout")).toMatchObject({
      error: expect.stringMatching(/no answer within/),
    });
  });

  it("turns a task's invalid message into an error edit", async () => {
    withBackend(hang);
    await runDeferred(
      ...adhoc(async () => ({ data: { content: "x".repeat(2001) } })),
      parsed(command("big")),
      chartEnv(),
      config(),
      "/big",
    );
    expect((patches()[0]!.body as { json: any }).json.content).toMatch(/Something went wrong/);
  });
});

describe("chart buttons", () => {
  const key = "abcdefghij12";

  it("answers type 6, re-renders the stored points and replaces the attachment", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    await saveChart(env.CHART_DATA!, key, {
      title: "Sales",
      points: [
        { label: "a", value: 1 },
        { label: "b", value: 4 },
      ],
    });
    const { body } = await run(component(`chart:bar:${key}`));
    expect(body).toEqual({ type: 6 });
    expect(backend.calls[0]!.input).toEqual({
      kind: "bar",
      title: "Sales",
      points: [
        { label: "a", value: 1 },
        { label: "b", value: 4 },
      ],
    });
    expect(patches()).toHaveLength(1);
    const multipart = patches()[0]!.body as { payload_json: any; files: any[] };
    expect(multipart.payload_json.attachments).toEqual([
      { id: "0", filename: "chart.png", description: "bar chart of 2 points" },
    ]);
    expect(multipart.payload_json.embeds[0].footer.text).toBe("bar chart");
  });

  it("edits the message to say the data expired when it is gone", async () => {
    withBackend(scriptedBackend().handler);
    const { body } = await run(component(`chart:line:zzzzzzzzzzzz`));
    expect(body).toEqual({ type: 6 });
    const payload = (patches()[0]!.body as { json: any }).json;
    expect(payload.content).toMatch(/expired/);
    expect(payload.components).toEqual([]);
    expect(payload).not.toHaveProperty("attachments");
  });

  it("keeps the chart when a re-render fails, replacing only the text", async () => {
    withBackend(() => {
      throw new TypeError("down");
    });
    await saveChart(env.CHART_DATA!, key, { title: null, points: [{ label: "a", value: 1 }] });
    await run(component(`chart:bar:${key}`));
    const payload = (patches()[0]!.body as { json: any }).json;
    expect(payload.content).toMatch(/unreachable/);
    expect(payload).not.toHaveProperty("embeds");
    expect(payload).not.toHaveProperty("attachments");
  });

  it.each(["chart:pie:abcdefghij12", "chart:bar:../../etc", "chart:bar", "chart:bar:abcdefghij12:extra"])(
    "refuses custom_id %s that is not ours, ephemerally",
    async (id) => {
      withBackend(scriptedBackend().handler);
      const { body } = await run(interaction({ type: 3, data: { custom_id: id, component_type: 2 } }));
      expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(discord.calls()).toHaveLength(0);
    },
  );
});

describe("chart storage trouble", () => {
  it("still sends the chart, without buttons, when KV cannot store its data", async () => {
    withBackend(scriptedBackend().handler);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const brokenKv = {
      put: async () => {
        throw new Error("KV write limit");
      },
      get: async () => null,
    };
    const { token } = await run(chartCommand([{ type: 3, name: "values", value: "1,2" }]), {
      ...chartEnv(),
      CHART_DATA: brokenKv,
    });
    const [message] = discord.messagesFor(token);
    expect(message!.attachments).toHaveLength(1);
    expect(message!.components).toEqual([]);
    expect(
      errors.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === "chart.store_failed"),
    ).toMatchObject({ error: "KV write limit" });
  });
});
