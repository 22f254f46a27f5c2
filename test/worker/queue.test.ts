import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import services from "../../src/worker/services.ts";
import { MAX_ATTEMPTS, retryDelaySeconds } from "../../src/worker/kit/engine/queue-consumer.ts";
import type { JobMessage } from "../../src/worker/kit/engine/queue-message.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { routeOutbound, type Handler } from "../support/outbound.worker.ts";
import { scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import { command, sendWith } from "../support/interactions.worker.ts";

const QUEUE = "edge-discord-bot-jobs";
let discord: DiscordEmulator;
let sent: JobMessage[];
const producer = { send: async (body: JobMessage) => void sent.push(body), sendBatch: async () => {} };
// No chart cache (chart-cache.test.ts tests it): these tests count backend calls across identical charts.
const queueEnv = () => ({
  ...env,
  HEAVY_LIMITER: undefined,
  CHART_CACHE: undefined,
  BACKEND_URL,
  RELAY_SECRET: TEST_RELAY_SECRET,
  RELAY_MODE: "queue",
  JOBS: producer,
});

function outbound(backend: Handler) {
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: backend });
}

async function acknowledge(payload: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const response = await sendWith(payload, queueEnv(), ctx);
  await waitOnExecutionContext(ctx);
  return (await response.json()) as { type: number };
}

async function consume(messages: Array<{ body: unknown; attempts?: number; id?: string }>, queue = QUEUE) {
  const batch = createMessageBatch(
    queue,
    messages.map((m, i) => ({
      id: m.id ?? `msg-${i}`,
      timestamp: new Date(),
      attempts: m.attempts ?? 1,
      body: m.body,
    })),
  );
  const ctx = createExecutionContext();
  await services.queue(batch as never, queueEnv() as never, ctx);
  return getQueueResult(batch as never, ctx);
}

const chart = () => command("chart", [{ type: 3, name: "values", value: "3,5,2,8" }]);
const patches = () => discord.calls({ method: "PATCH" });

beforeEach(async () => {
  discord = createDiscordEmulator();
  sent = [];
  await env.DB!.exec("DELETE FROM deferred_jobs;");
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("queue relay mode", () => {
  it("backs off exponentially, capped at a minute, and gives up within the token's lifetime", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelaySeconds)).toEqual([2, 4, 8, 16, 32, 60, 60]);
    const worstCase = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(i + 1)).reduce(
      (a, b) => a + b,
      0,
    );
    expect(worstCase * 1000 + MAX_ATTEMPTS * 30_000).toBeLessThan(13 * 60_000);
  });

  it("acknowledges with type 5 and enqueues the interaction instead of finishing it in waitUntil", async () => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    const payload = chart();
    expect(await acknowledge(payload)).toEqual({ type: 5 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      v: 2,
      route: "/chart",
      job: "render",
      input: { kind: "line", values: expect.any(String) },
      update: false,
      interaction: { id: payload.id, token: payload.token },
    });
    expect(backend.calls).toHaveLength(0);
    expect(discord.calls()).toHaveLength(0);
  });

  it("the consumer finishes the job with one final edit and acknowledges it", async () => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    const payload = chart();
    await acknowledge(payload);
    const result = await consume([{ body: sent[0] }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
    expect(backend.calls).toHaveLength(1);
    expect(patches()).toHaveLength(1);
    expect(discord.messagesFor(String(payload.token))[0]!.attachments).toHaveLength(1);
  });

  it("acknowledges a redelivered job that is already done without redoing it", async () => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    await acknowledge(chart());
    await consume([{ body: sent[0] }]);
    const again = await consume([{ body: sent[0], id: "msg-again", attempts: 2 }]);
    expect(again.explicitAcks).toEqual(["msg-again"]);
    expect(backend.calls).toHaveLength(1);
    expect(patches()).toHaveLength(1);
  });

  it("retries with backoff while the backend is down, then makes the error edit on the last attempt", async () => {
    outbound(() => {
      throw new TypeError("connect ECONNREFUSED");
    });
    await acknowledge(chart());
    const first = await consume([{ body: sent[0], attempts: 1 }]);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["msg-0"]);
    const third = await consume([{ body: sent[0], attempts: 3 }]);
    expect(third.retryMessages.map((m) => m.msgId)).toEqual(["msg-0"]);
    // No final edit while retrying; only the one status edit of the first retry (issue 21).
    expect(patches().map((c) => (c.body as { json: { content: string } }).json.content)).toEqual([
      expect.stringMatching(/^⏳/),
    ]);
    const last = await consume([{ body: sent[0], attempts: MAX_ATTEMPTS }]);
    expect(last.explicitAcks).toEqual(["msg-0"]);
    expect(patches()).toHaveLength(2);
    expect((patches()[1]!.body as { json: { content: string } }).json.content).toMatch(/unreachable/);
  });

  it("recovers when the backend comes back before attempts run out", async () => {
    let up = false;
    const backend = scriptedBackend();
    outbound((request) => {
      if (!up) throw new TypeError("down");
      return backend.handler(request);
    });
    const payload = chart();
    await acknowledge(payload);
    expect((await consume([{ body: sent[0], attempts: 1 }])).retryMessages).toHaveLength(1);
    up = true;
    expect((await consume([{ body: sent[0], attempts: 2 }])).explicitAcks).toEqual(["msg-0"]);
    // The status edit of the first retry (issue 21), then the chart.
    expect(patches()).toHaveLength(2);
    expect(discord.messagesFor(String(payload.token))[0]!.embeds).toHaveLength(1);
  });

  it("retries when Discord keeps failing the final edit, and records the job as undelivered at the end", async () => {
    outbound(scriptedBackend().handler);
    discord.faults.push({
      match: { method: "PATCH" },
      times: "always",
      respond: { status: 503, json: { message: "unavailable" } },
    });
    await acknowledge(chart());
    expect((await consume([{ body: sent[0], attempts: 1 }])).retryMessages).toHaveLength(1);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await consume([{ body: sent[0], attempts: MAX_ATTEMPTS }])).explicitAcks).toEqual(["msg-0"]);
    const line = errors.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === "deferred");
    expect(line).toMatchObject({ outcome: "undelivered", mode: "queue", attempts: MAX_ATTEMPTS });
    expect(await env.DB!.prepare("SELECT outcome FROM deferred_jobs").first()).toEqual({ outcome: "undelivered" });
  });

  it("handles each message on its own: a crash on one does not fail the batch", async () => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    await acknowledge(chart());
    await acknowledge(chart());
    // A body the consumer crashes on (a bug, not an outage: JSON.stringify throws on a BigInt): that message
    // alone is retried.
    const crashing = {
      v: 2,
      interaction: { id: 1n },
      route: "/chart",
      job: "render",
      input: null,
      update: false,
      enqueued_at: Date.now(),
    };
    vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await consume([
      { body: sent[0] },
      { body: crashing },
      { body: sent[1] },
      { body: { nonsense: true } },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-2", "msg-3"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["msg-1"]);
    expect(patches()).toHaveLength(2);
    expect(new Set(patches().map((c) => c.path)).size).toBe(2);
  });

  const lines = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
  const downDB = () => ({
    prepare: () => {
      throw new Error("D1_ERROR: database unavailable");
    },
    batch: async () => {
      throw new Error("D1_ERROR: database unavailable");
    },
  });
  const hungDB = () => ({
    prepare: () => ({
      bind: () => ({
        first: () => new Promise(() => {}),
        run: () => new Promise(() => {}),
        all: () => new Promise(() => {}),
      }),
    }),
  });
  async function consumeWith(
    overrides: Record<string, unknown>,
    messages: Array<{ body: unknown; attempts?: number }>,
    queue = QUEUE,
  ) {
    const batch = createMessageBatch(
      queue,
      messages.map((m, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
    );
    const ctx = createExecutionContext();
    await services.queue(batch as never, { ...queueEnv(), ...overrides } as never, ctx);
    return getQueueResult(batch as never, ctx);
  }

  it("D1 down: the consumer still makes the final edit, acknowledges, and says it ran without the duplicate check", async () => {
    outbound(scriptedBackend().handler);
    const payload = chart();
    await acknowledge(payload);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await consumeWith({ DB: downDB() }, [{ body: sent[0] }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
    expect(patches()).toHaveLength(1);
    expect(discord.messagesFor(String(payload.token))[0]!.attachments).toHaveLength(1);
    const storage = lines(errors).filter((l) => l.event === "queue.storage_unavailable");
    expect(storage.map((l) => l.step)).toEqual(["check", "record"]);
  });

  it("D1 down: the dead-letter consumer still makes its error edit and logs it", async () => {
    outbound(scriptedBackend().handler);
    const payload = chart();
    await acknowledge(payload);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await consumeWith({ DB: downDB() }, [{ body: sent[0], attempts: 8 }], `${QUEUE}-dlq`);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(patches()).toHaveLength(1);
    expect((patches()[0]!.body as { json: { content: string } }).json.content).toMatch(/Something went wrong/);
    expect(lines(errors).find((l) => l.event === "queue.dead_letter")).toMatchObject({
      interaction_id: payload.id,
      delivered: true,
    });
  });

  it("D1 hanging: the deferred job record's check times out and the job still ends in its final edit", async () => {
    outbound(scriptedBackend().handler);
    const payload = chart();
    await acknowledge(payload);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // The Worker's limits 40× shorter: the hang ends through its own 1.5 s storage limit, without waiting 1.5 s × 2.
    const restore = scaleTimingsForTests(1 / 40);
    const result = await consumeWith({ DB: hungDB() }, [{ body: sent[0] }]).finally(restore);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(discord.messagesFor(String(payload.token))[0]!.attachments).toHaveLength(1);
    expect(lines(errors).find((l) => l.event === "queue.storage_unavailable")).toMatchObject({
      step: "check",
      error: expect.stringMatching(/no answer within/),
    });
  });

  it("a job whose backend a deploy removed (BACKEND_URL) still ends in a final edit and one log line", async () => {
    outbound(scriptedBackend().handler);
    const payload = chart();
    await acknowledge(payload);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const result = await consumeWith({ BACKEND_URL: "" }, [{ body: sent[0] }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(patches()).toHaveLength(1);
    expect((patches()[0]!.body as { json: { content: string } }).json.content).toMatch(/not set up on this bot yet/);
    const deferred = lines(errors).filter((l) => l.event === "deferred");
    expect(deferred).toHaveLength(1);
    expect(deferred[0]).toMatchObject({
      interaction_id: payload.id,
      outcome: "task_error",
      job: "render",
      mode: "queue",
    });
    expect(
      await env.DB!.prepare("SELECT outcome FROM deferred_jobs WHERE interaction_id = ?").bind(payload.id).first(),
    ).toEqual({ outcome: "error_message" });
  });

  it.each([
    [
      "a command renamed by a deploy",
      (body: Record<string, any>) => ({
        ...body,
        interaction: { ...body.interaction, data: { ...body.interaction.data, name: "plot" } },
      }),
    ],
    ["a job renamed by a deploy", (body: Record<string, any>) => ({ ...body, job: "draw" })],
  ])("%s ends in one edit asking to run it again, and one log line, without retries", async (_name, change) => {
    const backend = scriptedBackend();
    outbound(backend.handler);
    const payload = chart();
    await acknowledge(payload);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await consume([{ body: change(sent[0] as Record<string, any>) }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect(result.retryMessages).toEqual([]);
    expect(backend.calls).toHaveLength(0);
    expect(patches()).toHaveLength(1);
    expect((patches()[0]!.body as { json: { content: string } }).json.content).toMatch(
      /This command changed after you ran it, so I could not finish it\. Please run it again\. \(reference `[0-9a-f]{8}`\)/,
    );
    expect(lines(errors).filter((l) => l.event === "deferred")).toEqual([
      expect.objectContaining({ interaction_id: payload.id, outcome: "not_runnable", mode: "queue" }),
    ]);
  });

  it("runs a batch's messages concurrently: a slow job does not hold back the next one", async () => {
    const backend = scriptedBackend();
    const first = chart();
    await acknowledge(first);
    await acknowledge(chart());
    // The first job's backend call answers only once the second job's final edit has been made: handled one
    // after the other, the first would wait for the second forever (until its budget ran out).
    outbound(async (request) => {
      const { id } = (await request.clone().json()) as { id: string };
      if (id === first.id) await vi.waitFor(() => expect(patches()).toHaveLength(1), { timeout: 4_000, interval: 5 });
      return backend.handler(request);
    });
    const result = await consume([{ body: sent[0] }, { body: sent[1] }]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1"]);
    expect(patches()).toHaveLength(2);
    expect(patches()[1]!.path).toContain(String(first.token));
  });

  it("falls back to waitUntil when enqueueing fails, so the result is not lost", async () => {
    outbound(scriptedBackend().handler);
    const ctx = createExecutionContext();
    const brokenQueue = {
      ...queueEnv(),
      JOBS: {
        send: async () => {
          throw new Error("queue unavailable");
        },
      },
    };
    const payload = chart();
    await sendWith(payload, brokenQueue, ctx);
    await waitOnExecutionContext(ctx);
    expect(patches()).toHaveLength(1);
    expect(discord.messagesFor(String(payload.token))[0]!.attachments).toHaveLength(1);
  });

  it("the dead-letter consumer makes a last error edit and logs the context without the token", async () => {
    outbound(scriptedBackend().handler);
    const payload = chart();
    await acknowledge(payload);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const result = await consume([{ body: sent[0], attempts: 8 }], `${QUEUE}-dlq`);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    expect((patches()[0]!.body as { json: { content: string } }).json.content).toMatch(/Something went wrong/);
    const line = errors.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === "queue.dead_letter");
    expect(line).toMatchObject({ interaction_id: payload.id, route: "/chart", command: "chart", delivered: true });
    expect(JSON.stringify(line)).not.toContain(String(payload.token));
    // Neither the user's input nor (for uploads) the signed attachment URLs: the line names, it does not copy.
    expect(line).not.toHaveProperty("data");
    expect(JSON.stringify(line)).not.toContain("3,5,2,8");
  });
});
