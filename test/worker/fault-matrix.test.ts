// The fault matrix of issue 20 (and 21 for queue mode): every external call between the user and the final message
// (D1, KV read and write, the queue send, the backend, Discord's PATCH of @original and POST of a follow-up, and the
// bot's rate limiter, told of the PATCH's 429 in that cell: issue 24, and the
// usage counters of issue 24, which count the interaction when its job ends) ×
// {fails, hangs, is slow (2.5 s)} × {waitUntil, queue} → the user gets exactly one final message (the result, or a
// readable error with a reference id), no follow-up twice, one final log line for the interaction, and nothing
// left running (no request still open, no timer of the Worker's pending, no job still running: test/support/left-running.worker.ts). DEPLOYMENT.md's table ("Fault matrix") says what users read and operators see in each cell.
//
// Time is scaled (src/worker/kit/timing.ts): every limit of the Worker shrinks 20×, so a hang ends through the Worker's
// own deadlines (a 20 s backend timeout becomes 1 s) and "slow" is 2.5 s scaled alike. No cell sleeps real seconds.
// Not more: the work between the deadlines (rendering, D1, the emulator) does not shrink, and on a loaded machine two
// hung PATCHes (2 × 10 s) then the edit must still fit in the final edit's 28 s at scale (8 s of margin: 400 ms).
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { commands, registryOptions } from "../../src/worker/app/index.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { handleQueue, MAX_ATTEMPTS } from "../../src/worker/kit/engine/queue-consumer.ts";
import type { JobMessage } from "../../src/worker/kit/engine/queue-message.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { scaled, scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import { createDiscordEmulator, type DiscordEmulator, type FaultSpec } from "../../src/emulator/core.ts";
import {
  BACKEND_HOST,
  BACKEND_URL,
  chartResult,
  scriptedBackend,
  TEST_RELAY_SECRET,
} from "../support/backend.worker.ts";
import { trackJobs, trackWorkerTimers } from "../support/left-running.worker.ts";
import { hang, openRequests, routeOutbound, type Handler } from "../support/outbound.worker.ts";
import { command, signedRequest } from "../support/interactions.worker.ts";

/** "down" (connection refused: the job never reached the backend, so the queue retries it) is the backend's only. */
type Fault = "fails" | "hangs" | "slow" | "down";
type Mode = "waitUntil" | "queue";
type Call =
  | "D1"
  | "KV read"
  | "KV write"
  | "queue send"
  | "backend"
  | "Discord PATCH"
  | "Discord POST"
  | "limiter"
  | "usage store";

const jobs = trackJobs(commands);
const registry = createRegistry(jobs.modules, registryOptions);
let discord: DiscordEmulator;
let chartNumber = 0;
let restore: () => void;

beforeEach(async () => {
  restore = scaleTimingsForTests(1 / 20);
  discord = createDiscordEmulator();
  await env.DB!.exec("DELETE FROM deferred_jobs;");
});
afterEach(() => {
  restore();
  vi.restoreAllMocks();
  discord.close();
});

/** Applies `fault` to a storage call: throws, never settles, or answers after 2.5 s (scaled). */
function faulty<T>(fault: Fault, call: () => Promise<T>): Promise<T> {
  if (fault === "fails" || fault === "down") return Promise.reject(new Error("injected: storage unavailable"));
  if (fault === "hangs") return new Promise<T>(() => {});
  return new Promise<void>((resolve) => setTimeout(resolve, scaled(2_500))).then(call);
}

function faultyD1(fault: Fault, real: D1Database): D1Database {
  const statement = (sql: string, values: unknown[] = []) => {
    const bound = () => real.prepare(sql).bind(...values);
    return {
      bind: (...more: unknown[]) => statement(sql, more),
      run: () => faulty(fault, () => bound().run()),
      first: (column?: string) => faulty(fault, () => (column ? bound().first(column) : bound().first())),
      all: () => faulty(fault, () => bound().all()),
    };
  };
  return {
    prepare: (sql: string) => statement(sql),
    batch: () => faulty(fault, async () => []),
    exec: (sql: string) => real.exec(sql),
  } as unknown as D1Database;
}

function faultyKv(real: KVNamespace, faults: { read?: Fault; write?: Fault }): KVNamespace {
  return {
    get: (key: string, type: "json") =>
      faults.read ? faulty(faults.read, () => real.get(key, type)) : real.get(key, type),
    getWithMetadata: (...args: [string, "arrayBuffer"]) =>
      faults.read ? faulty(faults.read, () => real.getWithMetadata(...args)) : real.getWithMetadata(...args),
    put: (...args: Parameters<KVNamespace["put"]>) =>
      faults.write ? faulty(faults.write, () => real.put(...args)) : real.put(...args),
  } as unknown as KVNamespace;
}

/** The DISCORD_LIMITER namespace whose one object fails, hangs or answers in 2.5 s (scaled). */
function faultyLimiter(fault: Fault): DurableObjectNamespace {
  return {
    idFromName: () => ({}),
    get: () => ({ fetch: () => faulty(fault, async () => new Response(null, { status: 204 })) }),
  } as unknown as DurableObjectNamespace;
}

/** The usage counters' namespace (env.USAGE) whose objects' writes fail, hang or are slow. */
function faultyUsage(fault: Fault): unknown {
  return { idFromName: (name: string) => name, get: () => ({ add: () => faulty(fault, async () => {}) }) };
}

function backendFor(fault: Fault | undefined, skipped: boolean): Handler {
  const answer = (input: Record<string, any>) => {
    const result = chartResult(input);
    return skipped ? { ...result, skipped: [{ line: 3, reason: "a blank line" }], skippedCount: 1 } : result;
  };
  const ok = scriptedBackend((call) => Response.json({ id: call.id, result: answer(call.input) })).handler;
  if (fault === "fails")
    return () => Response.json({ error: { code: "job_failed", message: "injected" } }, { status: 500 });
  if (fault === "hangs") return hang;
  if (fault === "down")
    return () => {
      throw new TypeError("connect ECONNREFUSED");
    };
  if (fault === "slow")
    return async (request) => (await new Promise((resolve) => setTimeout(resolve, scaled(2_500))), ok(request));
  return ok;
}

/**
 * Discord faults are passing ones (Discord comes back): two failed calls, one hung call, or one slow one. One hang, not
 * two: each hang takes a whole per-attempt timeout (10 s) of the final edit's 28 s, and the work between attempts
 * (the job, the emulator answering) is real time that scaling does not shrink; with two, the last attempt was left
 * the tail of the deadline, too short for the emulator to answer on a loaded machine (a train at load 20 missed the
 * edit). Production has the same arithmetic with 8 s to spare; the test keeps a hang's whole path (timeout, retry).
 */
function discordFault(method: "PATCH" | "POST", fault: Fault): FaultSpec {
  if (fault === "fails")
    return { match: { method }, times: 2, respond: { status: 500, json: { message: "injected" } } };
  if (fault === "hangs") return { match: { method }, times: 1, hang: true };
  return { match: { method }, times: 1, delayMs: scaled(2_500) };
}

/** What the user must read in @original at the end, per cell; null: the chart. */
function expectedError(call: Call, fault: Fault): RegExp | null {
  if (call !== "backend" || fault === "slow") return null;
  return fault === "fails"
    ? /failed while working on this/
    : fault === "down"
      ? /unreachable/
      : /took too long|took longer than I can wait/;
}

const CALLS: readonly Call[] = [
  "D1",
  "KV read",
  "KV write",
  "queue send",
  "backend",
  "Discord PATCH",
  "Discord POST",
  "limiter",
  "usage store",
];
const FAULTS: readonly Fault[] = ["fails", "hangs", "slow"];
const cells = (["waitUntil", "queue"] as const).flatMap((mode) => [
  ...CALLS.filter((call) => mode === "queue" || call !== "queue send").flatMap((call) =>
    FAULTS.map((fault) => [mode, call, fault] as const),
  ),
  [mode, "backend", "down"] as const,
]);

describe("fault matrix", () => {
  it.each(cells)(
    "%s mode, %s %s: exactly one final message, no follow-up twice, one final log line",
    async (mode: Mode, call: Call, fault: Fault) => {
      // A follow-up exists only for a CSV with skipped rows: that cell charts a file, every other one typed values
      // (whose chart the cache is asked for, so the KV read happens).
      const withNote = call === "Discord POST";
      const payload = withNote
        ? command("chart", [{ type: 11, name: "file", value: "9" }], {
            data: {
              id: "500000000000000005",
              name: "chart",
              type: 1,
              options: [{ type: 11, name: "file", value: "9" }],
              resolved: {
                attachments: {
                  "9": {
                    id: "9",
                    filename: "data.csv",
                    url: "https://cdn.discordapp.com/attachments/1/2/data.csv?ex=1&hm=2",
                    size: 20,
                    content_type: "text/csv",
                  },
                },
              },
            },
          })
        : command("chart", [{ type: 3, name: "values", value: `3,5,2,${++chartNumber}` }]); // a chart no cell drew before
      const token = String(payload.token);
      routeOutbound({
        "discord.test": (request) => discord.fetch(request),
        [BACKEND_HOST]: backendFor(call === "backend" ? fault : undefined, withNote),
      });
      if (call === "Discord PATCH") discord.faults.push(discordFault("PATCH", fault));
      if (call === "Discord POST") discord.faults.push(discordFault("POST", fault));
      // The limiter is told of a webhook's invalid answers only: one 429 on the PATCH makes the Worker tell it.
      if (call === "limiter")
        discord.faults.push({
          match: { method: "PATCH" },
          times: 1,
          respond: { status: 429, json: { message: "You are being rate limited.", retry_after: 0.01, global: false } },
        });

      const queued: JobMessage[] = [];
      const send = async (body: JobMessage) => void queued.push(body);
      const workerEnv = {
        ...env,
        HEAVY_LIMITER: undefined,
        BACKEND_URL,
        RELAY_SECRET: TEST_RELAY_SECRET,
        RELAY_MODE: mode,
        JOBS: {
          send: call === "queue send" ? (body: JobMessage) => (queued.push(body), faulty(fault, async () => {})) : send,
        },
        DB: call === "D1" ? faultyD1(fault, env.DB!) : env.DB,
        USAGE: call === "usage store" ? faultyUsage(fault) : env.USAGE,
        CHART_CACHE: faultyKv(
          env.CHART_CACHE!,
          call === "KV read" ? { read: fault } : call === "KV write" ? { write: fault } : {},
        ),
        CHART_DATA: faultyKv(env.CHART_DATA!, call === "KV write" ? { write: fault } : {}),
        DISCORD_LIMITER: call === "limiter" ? faultyLimiter(fault) : env.DISCORD_LIMITER,
      };
      const pendingTimers = trackWorkerTimers();
      const logs = vi.spyOn(console, "log").mockImplementation(() => {});
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});

      const ctx = createExecutionContext();
      const response = await handleInteractionRequest(
        (await signedRequest(JSON.stringify(payload))) as never,
        workerEnv as never,
        ctx,
        registry,
      );
      expect(await response.json()).toEqual({ type: 5 });
      await waitOnExecutionContext(ctx);

      // Queue mode: deliver what was enqueued, as Queues would, until the consumer acknowledges it.
      const readableEdits = () =>
        discord
          .calls({ method: "PATCH" })
          .filter((c) => c.path.endsWith(`/${token}/messages/@original`) && c.status === 200);
      let readableAfterFirstAttempt = queued.length === 0 || readableEdits().length > 0;
      for (let attempts = 1, pending = [...queued]; pending.length > 0 && attempts <= MAX_ATTEMPTS; attempts++) {
        const batch = createMessageBatch(
          "edge-discord-bot-jobs",
          pending.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
        );
        const retried = new Set<string>();
        for (const message of batch.messages)
          vi.spyOn(message, "retry").mockImplementation(() => void retried.add(message.id));
        await handleQueue(batch as never, workerEnv as never, registry);
        pending = pending.filter((_, i) => retried.has(`m${i}`));
        if (attempts === 1) readableAfterFirstAttempt = readableEdits().length > 0;
      }
      // Issue 21: within 30 s of the interaction the user reads something in @original (the result, the final error or
      // the status). Queues delivers the first attempt within max_batch_timeout (1 s, wrangler.toml) and an attempt
      // ends within the relay's 20 s timeout, while a retry waits retryDelaySeconds (2 s and up) on top: so the
      // readable message must be there once the first attempt ends, never only after a retry.
      if (mode === "queue")
        expect(readableAfterFirstAttempt, "a readable edit after the queue's first attempt").toBe(true);

      // Exactly one final message: the chart, or a readable error with a reference id (a status edit, issue 21, is not
      // a final message and never looks like one).
      const [original, ...followUps] = discord.messagesFor(token);
      const finals = discord
        .calls({ method: "PATCH" })
        .filter(
          (c) =>
            c.path.endsWith(`/${token}/messages/@original`) &&
            c.status === 200 &&
            !/^⏳/.test(String((c.body as { json?: { content?: string } }).json?.content ?? "")),
        );
      expect(finals, "one final edit").toHaveLength(1);
      const error = expectedError(call, fault);
      if (error) expect(original!.content).toMatch(new RegExp(`(${error.source}).*reference \`[0-9a-f]{8}\``));
      else expect(original!.attachments, "the chart").toHaveLength(1);

      // Queue mode while the backend is down: the user read one status edit (issue 21) before the final message, and
      // nothing else changed @original in between.
      const statuses = discord
        .calls({ method: "PATCH" })
        .filter((c) => /^⏳/.test(String((c.body as { json?: { content?: string } }).json?.content ?? "")));
      expect(statuses).toHaveLength(mode === "queue" && call === "backend" && fault === "down" ? 1 : 0);

      // No follow-up twice: the CSV's note once, after the chart, ephemeral; nothing else.
      expect(followUps.map((m) => [m.content.slice(0, 20), m.flags & 64])).toEqual(
        withNote ? [["I skipped 1 row of y", 64]] : [],
      );

      // One final log line for the interaction (retries log "retrying" lines; the final one is the job's outcome).
      const lines = [...logs.mock.calls, ...errors.mock.calls].map(
        (c) => JSON.parse(String(c[0])) as Record<string, unknown>,
      );
      const finalLines = lines.filter(
        (l) =>
          l.event === "deferred" &&
          l.interaction_id === payload.id &&
          l.outcome !== "retrying" &&
          l.outcome !== "enqueued",
      );
      expect(finalLines, JSON.stringify(finalLines)).toHaveLength(1);
      expect(lines.filter((l) => l.event === "interaction" && l.interaction_id === payload.id)).toHaveLength(1);
      // The limiter that could not be told is named in one log line; the user's message did not wait for it.
      if (call === "limiter")
        expect(lines.filter((l) => l.event === "discord.limiter.unreachable" && l.status === 429)).toHaveLength(1);
      // The usage store's trouble costs the interaction's count (logged), never its answer.
      if (call === "usage store")
        expect(lines.filter((l) => l.event === "usage.write_failed")).toEqual([expect.objectContaining({ events: 1 })]);

      // Nothing left running once the cell's waitUntil work (and, in queue mode, the consumer) has ended: no request to
      // Discord or the backend still open, no timer of the Worker's still pending, no job still running.
      expect({ requests: openRequests(), timers: pendingTimers(), jobs: jobs.running() }).toEqual({
        requests: [],
        timers: [],
        jobs: [],
      });
    },
  );
});
