/** Feedback storage (D1). Writes are idempotent by interaction id: a re-delivered modal submit stores once. */
export interface FeedbackEntry {
  readonly interactionId: string;
  readonly userId: string | null;
  readonly guildId: string | null;
  readonly text: string;
  readonly createdAt: number;
}

export async function saveFeedback(db: D1Database, entry: FeedbackEntry): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO feedback (interaction_id, user_id, guild_id, text, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (interaction_id) DO NOTHING")
    .bind(entry.interactionId, entry.userId, entry.guildId, entry.text, entry.createdAt)
    .run();
  return result.meta.changes === 1;
}

export async function latestFeedback(db: D1Database, limit: number): Promise<FeedbackEntry[]> {
  const { results } = await db
    .prepare("SELECT interaction_id, user_id, guild_id, text, created_at FROM feedback ORDER BY created_at DESC, id DESC LIMIT ?")
    .bind(limit)
    .all<{ interaction_id: string; user_id: string | null; guild_id: string | null; text: string; created_at: number }>();
  return results.map((r) => ({ interactionId: r.interaction_id, userId: r.user_id, guildId: r.guild_id, text: r.text, createdAt: r.created_at }));
}

export async function countFeedback(db: D1Database): Promise<number> {
  return (await db.prepare("SELECT COUNT(*) AS n FROM feedback").first<{ n: number }>())?.n ?? 0;
}
