/**
 * The engine's one record of an interaction whose work outlives its response (a deferred job, or side effects a handler
 * scheduled with `ctx.after`), by interaction id, in D1 (deferred_jobs, migrations/0010_deferred_jobs.sql):
 *
 *   claimed ─▶ result_ready ─▶ done (outcome)
 *
 * claimed       at ingress, before any effect (after-response.ts): D1 (SQLite) applies `INSERT … ON CONFLICT DO NOTHING`
 *               atomically, so of two deliveries of one interaction exactly one claims it and runs the effects (KV would
 *               not do: eventually consistent, no conditional write);
 * result_ready  queue mode: the job finished but its final edit must be retried; the result is stored (stored-result.ts)
 *               and the retry delivers it without running the job again;
 * done          the final message went out (or was given up): a redelivered queue message is acknowledged, not redone.
 *               waitUntil mode writes it only for an outcome that is not "ok": the common path costs one write, the claim.
 *
 * No row at all means D1 failed at the claim: the work ran anyway (at-least-once), and the consumer runs it.
 */
export interface JobState {
  readonly state: "claimed" | "result_ready" | "done";
  readonly result: string | null;
}

/** True when this delivery claimed the interaction (the first to): only then may it run the effects. */
export async function claimJob(db: D1Database, interactionId: string, now = Date.now()): Promise<boolean> {
  const result = await db
    .prepare(
      "INSERT INTO deferred_jobs (interaction_id, state, updated_at) VALUES (?, 'claimed', ?) ON CONFLICT DO NOTHING",
    )
    .bind(interactionId, now)
    .run();
  return result.meta.changes === 1;
}

export async function readJobState(db: D1Database, interactionId: string): Promise<JobState | null> {
  return db
    .prepare("SELECT state, result FROM deferred_jobs WHERE interaction_id = ?")
    .bind(interactionId)
    .first<JobState>();
}

/**
 * Moves the record forward, never back: to result_ready (from claimed: `result` is the stored result) or to done (from
 * claimed or result_ready, clearing the result: `outcome` says how it ended). A record already done is kept.
 */
export function advanceJob(
  db: D1Database,
  interactionId: string,
  state: "result_ready" | "done",
  outcome: string | null,
  result: string | null,
  attempts: number,
  now = Date.now(),
): Promise<unknown> {
  return db
    .prepare(
      "INSERT INTO deferred_jobs (interaction_id, state, outcome, result, attempts, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE SET state = ?2, outcome = ?3, result = ?4, attempts = ?5, updated_at = ?6 WHERE state = 'claimed' OR (?2 = 'done' AND state <> 'done')",
    )
    .bind(interactionId, state, outcome, result, attempts, now)
    .run();
}
