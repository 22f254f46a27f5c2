/**
 * The daily report's numbers, read from D1 for one 24-hour window: interactions by command (the rows the Worker
 * records: commands, components, forms; not PINGs or autocomplete), how many of them ended in an error, installs,
 * and the traffic of each of the 24 hours.
 *
 * The interactions and their errors are the platform's records (countInteractionsByRouteAndHour says what counts as
 * an error).
 *
 * Installs come from the Webhook Events table (app_installs, filled by APPLICATION_AUTHORIZED events). The table
 * may not exist (an older schema); then installs are unknown (null), never a failed report.
 */
import { countInteractionsByRouteAndHour } from "../../kit/index.ts";

const HOUR_MS = 3_600_000;
const REPORT_WINDOW_MS = 24 * HOUR_MS;

interface CommandCount {
  /** "/chart", "chart:" (a component prefix), "(none)" for a row without a route. */
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
  /** Null when the install table does not exist. */
  readonly installs: number | null;
  /** 24 counts, one per hour of the window, oldest first. */
  readonly hourly: readonly number[];
}

export async function readDailyStats(db: D1Database, until: number): Promise<DailyStats> {
  const since = until - REPORT_WINDOW_MS;
  // One pass: counts and errors per command and hour; the totals and the two views are summed here.
  const results = await countInteractionsByRouteAndHour(db, since, until);
  const commands = new Map<string, { route: string; count: number; errors: number }>();
  const hourly = new Array<number>(24).fill(0);
  for (const row of results) {
    const command = commands.get(row.route) ?? { route: row.route, count: 0, errors: 0 };
    command.count += row.n;
    command.errors += row.errors;
    commands.set(row.route, command);
    hourly[row.hour] = (hourly[row.hour] ?? 0) + row.n;
  }
  const byCommand = [...commands.values()].sort((a, b) => b.count - a.count || (a.route < b.route ? -1 : 1));
  return {
    since,
    until,
    total: byCommand.reduce((sum, c) => sum + c.count, 0),
    errors: byCommand.reduce((sum, c) => sum + c.errors, 0),
    byCommand,
    installs: await countInstalls(db, since, until),
    hourly,
  };
}

async function countInstalls(db: D1Database, since: number, until: number): Promise<number | null> {
  try {
    const row = await db.prepare("SELECT COUNT(*) AS n FROM app_installs WHERE authorized_at >= ? AND authorized_at < ?").bind(since, until).first<{ n: number }>();
    return row?.n ?? 0;
  } catch (error) {
    if (error instanceof Error && /no such table/i.test(error.message)) return null;
    throw error;
  }
}
