/**
 * Reads usage counters for a window of whole minutes: every month's object the window touches, in parallel, each
 * read time-boxed (a store that hangs fails the read, it never holds a report or an /admin answer).
 */
import { withStorageTimeout } from "../storage/deadline.ts";
import { LATENCY_BOUNDS_MS, type CounterRow } from "./cells.ts";
import type { UsageCounters } from "./usage-counters.ts";
import { monthOf } from "./record.ts";

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1_440;

class UsageUnavailableError extends Error {
  override readonly name = "UsageUnavailableError";
}

/**
 * Rows of the minutes in [since, until) (ms epoch, to whole minutes), summed per `grain` minutes (see
 * UsageCounters.read); `guild`: that server's hourly totals.
 */
export async function readUsage(
  ns: DurableObjectNamespace<UsageCounters> | undefined,
  since: number,
  until: number,
  grain = 1,
  guild?: string,
): Promise<CounterRow[]> {
  if (!ns) throw new UsageUnavailableError("usage(read): the Durable Object binding USAGE is not bound");
  const [from, to] = [Math.floor(since / MINUTE_MS), Math.ceil(until / MINUTE_MS)];
  const months = new Set<string>();
  for (let minute = from; minute < to; minute += DAY_MINUTES) months.add(monthOf(minute * MINUTE_MS));
  months.add(monthOf((to - 1) * MINUTE_MS));
  const parts = await Promise.all(
    [...months].map((name) =>
      withStorageTimeout(ns.get(ns.idFromName(name)).read(from, to, grain, guild), "usage.read"),
    ),
  );
  return parts.flat();
}

/** The time under which `share` of the histogram's answers fall (the bucket's upper bound), or null with none. */
export function quantileMs(latency: readonly number[], share: number): number | null {
  const total = latency.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [i, n] of latency.entries()) {
    seen += n;
    if (seen >= share * total) return LATENCY_BOUNDS_MS[i] ?? LATENCY_BOUNDS_MS.at(-1)! * 2;
  }
  return null;
}
