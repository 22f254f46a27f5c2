/**
 * What the usage counters hold, shared by the isolates' sums (record.ts), the Durable Object (usage-counters.ts) and
 * the reads (read-usage.ts). No runtime import here: scripts load the command modules on Node, which has no
 * `cloudflare:workers` for the Durable Object's base class.
 */

/** Upper bounds (ms) of the answer-time histogram; the last bucket is everything slower. */
export const LATENCY_BOUNDS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
/** Histogram buckets: one per bound, and one for everything slower. */
export const BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** One (minute, route, server) cell of an isolate's sums; `guild` "" for DMs and user installs outside servers. */
export interface CounterCell {
  /** Minutes since the epoch (UTC). */
  readonly minute: number;
  readonly route: string;
  readonly guild: string;
  n: number;
  errors: number;
  readonly latency: number[];
}

/** A minute's counts as read back per route, or (`guild` given) an hour's totals of the server (at its first minute). */
export interface CounterRow {
  readonly minute: number;
  readonly route: string;
  readonly n: number;
  readonly errors: number;
  /** Empty for a server's rows (the histogram is the bot's, for operators). */
  readonly latency: readonly number[];
}

export function latencyBucket(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  return i < 0 ? BUCKETS - 1 : i;
}

export function emptyHistogram(): number[] {
  return new Array<number>(BUCKETS).fill(0);
}
