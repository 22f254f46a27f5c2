/**
 * The interactions table: one row per interaction users made (commands, components, forms), for /admin stats and the
 * daily report's counts. It is no longer the duplicate guard: the deferred engine's own record is
 * (src/worker/kit/engine/job-record.ts, table deferred_jobs), claimed only by interactions with work after the response.
 */
/** What a row records of an interaction (structural: storage imports no dispatch types). */
interface RecordedInteraction {
  readonly id: string;
  readonly type: number;
  readonly user: { readonly id: string } | null;
  readonly guildId: string | null;
}

/** `outcome` is the dispatcher's (e.g. "ok", "deferred", "handler_error"): the daily report counts errors from it. */
export async function recordInteraction(db: D1Database, interaction: RecordedInteraction, route: string | null, outcome: string, now = Date.now()): Promise<void> {
  await db
    .prepare("INSERT INTO interactions (id, type, route, user_id, guild_id, created_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
    .bind(interaction.id, interaction.type, route, interaction.user?.id ?? null, interaction.guildId, now, outcome)
    .run();
}

/** A deferred job's final outcome, when it is not "ok" (a success keeps "deferred": no write on the common path). */
export async function recordFinalOutcome(db: D1Database, interactionId: string, outcome: string): Promise<void> {
  await db.prepare("UPDATE interactions SET outcome = ? WHERE id = ?").bind(outcome, interactionId).run();
}

export interface InteractionCountFilter {
  /** Only interactions at or after this time (ms epoch). */
  readonly sinceMs?: number;
  /** Only this guild's interactions; undefined counts every guild (operators only). */
  readonly guildId?: string;
}

export async function countInteractions(db: D1Database, filter: InteractionCountFilter = {}): Promise<number> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.sinceMs !== undefined) {
    where.push("created_at >= ?");
    params.push(filter.sinceMs);
  }
  if (filter.guildId !== undefined) {
    where.push("guild_id = ?");
    params.push(filter.guildId);
  }
  const sql = `SELECT COUNT(*) AS n FROM interactions${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}`;
  const row = await db.prepare(sql).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}

/** The outcomes that are errors: the dispatcher's (dispatcher.ts) and a deferred job's (run-deferred.ts logDeferred). */
const ERROR_SQL = "(i.outcome IN ('handler_error', 'invalid_response', 'task_error', 'not_runnable', 'undelivered') OR EXISTS (SELECT 1 FROM deferred_jobs j WHERE j.interaction_id = i.id AND j.state = 'done' AND j.outcome <> 'ok'))";

export interface RouteHourCount {
  /** "/chart", "chart:" (a component prefix), "(none)" for a row without a route. */
  readonly route: string;
  /** Whole hours since `since`. */
  readonly hour: number;
  readonly n: number;
  /**
   * How many ended in an error: the dispatcher's outcome was one (a handler that threw, an invalid response), a job
   * run in waitUntil ended badly (after-response.ts replaces the outcome), or the queue consumer finished its job with
   * an error message or could not deliver it (the engine's job record, deferred_jobs).
   */
  readonly errors: number;
}

/** Interactions recorded in [since, until), counted per route and hour, with their errors: one pass over D1. */
export async function countInteractionsByRouteAndHour(db: D1Database, since: number, until: number): Promise<readonly RouteHourCount[]> {
  const { results } = await db
    .prepare(`SELECT COALESCE(i.route, '(none)') AS route, CAST((i.created_at - ?1) / 3600000 AS INTEGER) AS hour, COUNT(*) AS n, SUM(CASE WHEN ${ERROR_SQL} THEN 1 ELSE 0 END) AS errors FROM interactions i WHERE i.created_at >= ?1 AND i.created_at < ?2 GROUP BY 1, 2`)
    .bind(since, until)
    .all<RouteHourCount>();
  return results;
}
