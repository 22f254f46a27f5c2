/**
 * Counts what users do, per isolate, and sends the sums to the month's UsageCounters object (usage-counters.ts):
 * at once when the isolate sent nothing within the flush interval, else when the interval has passed, so one
 * isolate calls the store at most once per interval however busy it is. Nothing here is awaited on the 3-second
 * path: recordUsage only adds to a map and hands the send to waitUntil, and the send has a time limit. A store that
 * fails or hangs costs its counts (logged with how many), never a user's answer.
 */
import type { Config } from "../config.ts";
import type { Dispatched } from "../dispatch/dispatcher.ts";
import { InteractionType, type Interaction } from "../dispatch/interaction.ts";
import type { Env } from "../env.ts";
import { describeError, log } from "../log.ts";
import { withStorageTimeout } from "../storage/deadline.ts";
import type { UsageCounters } from "./usage-counters.ts";
import { emptyHistogram, latencyBucket, type CounterCell } from "./cells.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** One call to the store per isolate per second at most: see usage-counters.ts for the load this gives. */
let flushEveryMs = 1_000;

export interface UsageEvent {
  readonly route: string | null;
  readonly guildId: string | null;
  readonly error: boolean;
  /** Arrival to the user's answer (the response, or a deferred job's final message). */
  readonly ms: number;
}

/** What users do: commands, components and forms; PINGs and autocomplete keystrokes are not counted. */
const COUNTED = new Set<number>([InteractionType.Command, InteractionType.Component, InteractionType.ModalSubmit]);

/**
 * Counts an interaction answered without a job, at its answer (the dispatcher's outcome says whether it was an
 * error). One with a job is counted when the job ends (countJobEnd), so its outcome is the one the user saw.
 */
export function countAnswer(
  env: Env,
  ctx: ExecutionContext,
  config: Config,
  interaction: Interaction,
  dispatched: Dispatched,
  arrivedAt: number,
): void {
  if (dispatched.deferred || !COUNTED.has(interaction.type)) return;
  const error = dispatched.outcome === "handler_error" || dispatched.outcome === "invalid_response";
  recordUsage(
    env,
    (promise) => ctx.waitUntil(promise),
    { route: dispatched.route, guildId: interaction.guildId, error, ms: Date.now() - arrivedAt },
    config.interactionRetentionDays,
  );
}

/**
 * Counts a deferred interaction when its job ended: `outcome` "ok" (the result was delivered) or what went wrong;
 * null when it was handed to the queue (the consumer counts it). Resolves when the send it started (if any) ends.
 */
export async function countJobEnd(
  env: Env,
  config: Config,
  interaction: Interaction,
  route: string | null,
  outcome: string | null,
  arrivedAt: number,
): Promise<void> {
  let send: Promise<unknown> | undefined;
  if (outcome !== null)
    recordUsage(
      env,
      (promise) => (send = promise),
      { route, guildId: interaction.guildId, error: outcome !== "ok", ms: Date.now() - arrivedAt },
      config.interactionRetentionDays,
    );
  await send;
}

let cells = new Map<string, CounterCell>();
let scheduled = false;
let lastFlush = 0;

/** The month's object name: "usage:<UTC year>-<month>". */
export function monthOf(ms: number): string {
  return `usage:${new Date(ms).toISOString().slice(0, 7)}`;
}

export function recordUsage(
  env: Env,
  waitUntil: (promise: Promise<unknown>) => void,
  event: UsageEvent,
  retentionDays: number,
  at = Date.now(),
): void {
  const ns = env.USAGE;
  if (!ns) return;
  const minute = Math.floor(at / MINUTE_MS);
  const route = event.route ?? "(none)";
  const guild = event.guildId ?? "";
  const key = `${minute} ${guild} ${route}`;
  let cell = cells.get(key);
  if (!cell) cells.set(key, (cell = { minute, route, guild, n: 0, errors: 0, latency: emptyHistogram() }));
  cell.n++;
  if (event.error) cell.errors++;
  cell.latency[latencyBucket(event.ms)]!++;
  if (scheduled) return;
  scheduled = true;
  const wait = Math.max(0, lastFlush + flushEveryMs - Date.now());
  waitUntil(new Promise((resolve) => setTimeout(resolve, wait)).then(() => flush(ns, retentionDays)));
}

async function flush(ns: DurableObjectNamespace<UsageCounters>, retentionDays: number): Promise<void> {
  const batch = cells;
  cells = new Map();
  scheduled = false;
  lastFlush = Date.now();
  const byMonth = new Map<string, CounterCell[]>();
  for (const cell of batch.values()) {
    const name = monthOf(cell.minute * MINUTE_MS);
    byMonth.get(name)?.push(cell) ?? byMonth.set(name, [cell]);
  }
  await Promise.all(
    [...byMonth].map(async ([name, list]) => {
      // The month's object may go once its last hour is older than the retention.
      const expiresAt = Date.UTC(Number(name.slice(6, 10)), Number(name.slice(11, 13)), 1) + retentionDays * DAY_MS;
      try {
        await withStorageTimeout(ns.get(ns.idFromName(name)).add(list, expiresAt), "usage.add");
      } catch (error) {
        log("usage.write_failed", {
          level: "error",
          events: list.reduce((sum, c) => sum + c.n, 0),
          error: describeError(error),
        });
      }
    }),
  );
}

/** For tests only: the flush interval (0: every event batch is sent at once), from a fresh start; returns the restorer. */
export function flushUsageEveryMsForTests(ms: number): () => void {
  flushEveryMs = ms;
  lastFlush = 0;
  return () => {
    flushEveryMs = 1_000;
  };
}
