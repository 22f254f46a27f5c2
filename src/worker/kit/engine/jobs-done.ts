/**
 * The queue consumer's idempotency record, by interaction id (D1): a finished job is recorded once, and a redelivery
 * is acknowledged without doing the work again. A job whose result is ready but whose delivery is being retried has
 * outcome RESULT_READY and its result stored (stored-result.ts): the retry delivers it and does not run the job.
 */
export const RESULT_READY = "result_ready";

export interface JobState {
  readonly outcome: string;
  readonly result: string | null;
}

export async function readJobState(db: D1Database, interactionId: string): Promise<JobState | null> {
  return db.prepare("SELECT outcome, result FROM jobs_done WHERE interaction_id = ?").bind(interactionId).first<JobState>();
}

/** Stores a result to deliver later; a row already there (done, or a result stored before) is kept. */
export async function storeJobResult(db: D1Database, interactionId: string, result: string, attempts: number, now = Date.now()): Promise<void> {
  await db
    .prepare("INSERT OR IGNORE INTO jobs_done (interaction_id, outcome, attempts, finished_at, result) VALUES (?, ?, ?, ?, ?)")
    .bind(interactionId, RESULT_READY, attempts, now, result)
    .run();
}

/** Records the job as done; replaces a stored result (now delivered or given up), never another final outcome. */
export async function markJobDone(db: D1Database, interactionId: string, outcome: string, attempts: number, now = Date.now()): Promise<void> {
  await db
    .prepare(
      "INSERT INTO jobs_done (interaction_id, outcome, attempts, finished_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET outcome = ?2, attempts = ?3, finished_at = ?4, result = NULL WHERE outcome = ?5",
    )
    .bind(interactionId, outcome, attempts, now, RESULT_READY)
    .run();
}
