/**
 * The daily report's numbers for one 24-hour window: interactions by command (commands, components, forms; not PINGs
 * or autocomplete), how many ended in an error, installs, and each hour's traffic, errors and time to answer.
 *
 * Interactions come from the usage counters (kit/analytics/), which count each interaction once, when the user got
 * its answer: an immediate one at its response (an error when the dispatcher's outcome was one: a handler that
 * threw, an invalid response), a deferred one when its job ended (an error when the user got an error message, or
 * nothing could be delivered), in waitUntil or queue mode alike.
 *
 * Installs come from the Webhook Events table (D1 app_installs, filled by APPLICATION_AUTHORIZED events). The table
 * may not exist (an older schema); then installs are unknown (null), never a failed report.
 */
import { readUsage, type Env } from "../../kit/index.ts";
import { hourlyUsage, type HourlyUsage } from "./usage-charts.ts";

const HOUR_MS = 3_600_000;
const REPORT_WINDOW_MS = 24 * HOUR_MS;

interface CommandCount {
  /** "/chart", "chart:" (a component prefix), "(none)" for an interaction without a route. */
  readonly route: string;
  readonly count: number;
  readonly errors: number;
}

export interface DailyStats {
  /** The window [since, until) in ms epoch. */
  readonly since: number;
  readonly until: number;
  readonly total: number;
  readonly errors: number;
  /** Most used first. */
  readonly byCommand: readonly CommandCount[];
  /** Null when the install table does not exist (or D1 is not bound). */
  readonly installs: number | null;
  /** 24 counts, one per hour of the window, oldest first. */
  readonly hourly: readonly number[];
  /** The 24 hours' traffic, errors and 95th-percentile time to answer, for the charts. */
  readonly usage: HourlyUsage;
}

export async function readDailyStats(env: Env, until: number): Promise<DailyStats> {
  const since = until - REPORT_WINDOW_MS;
  const rows = await readUsage(env.USAGE, since, until);
  const commands = new Map<string, { route: string; count: number; errors: number }>();
  for (const row of rows) {
    const command = commands.get(row.route) ?? { route: row.route, count: 0, errors: 0 };
    command.count += row.n;
    command.errors += row.errors;
    commands.set(row.route, command);
  }
  const byCommand = [...commands.values()].sort((a, b) => b.count - a.count || (a.route < b.route ? -1 : 1));
  const usage = hourlyUsage(rows, since, 24);
  return {
    since,
    until,
    total: byCommand.reduce((sum, c) => sum + c.count, 0),
    errors: byCommand.reduce((sum, c) => sum + c.errors, 0),
    byCommand,
    installs: env.DB ? await countInstalls(env.DB, since, until) : null,
    hourly: usage.traffic,
    usage,
  };
}

async function countInstalls(db: D1Database, since: number, until: number): Promise<number | null> {
  try {
    const row = await db
      .prepare("SELECT COUNT(*) AS n FROM app_installs WHERE authorized_at >= ? AND authorized_at < ?")
      .bind(since, until)
      .first<{ n: number }>();
    return row?.n ?? 0;
  } catch (error) {
    if (error instanceof Error && /no such table/i.test(error.message)) return null;
    throw error;
  }
}
