/** Idempotency for the queue consumer: a finished job is recorded once, by interaction id (D1). */
export async function isJobDone(db: D1Database, interactionId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS done FROM jobs_done WHERE interaction_id = ?").bind(interactionId).first()) !== null;
}

export async function markJobDone(db: D1Database, interactionId: string, outcome: string, attempts: number, now = Date.now()): Promise<void> {
  await db
    .prepare("INSERT INTO jobs_done (interaction_id, outcome, attempts, finished_at) VALUES (?, ?, ?, ?) ON CONFLICT (interaction_id) DO NOTHING")
    .bind(interactionId, outcome, attempts, now)
    .run();
}
