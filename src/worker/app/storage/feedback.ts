/**
 * Feedback storage (D1). Writes are idempotent by interaction id: a re-delivered modal submit stores once.
 * Reads take the guild they are scoped to (undefined = every guild, for operators only: see AdminScope).
 */
export interface FeedbackEntry {
  readonly interactionId: string;
  readonly userId: string | null;
  readonly guildId: string | null;
  readonly text: string;
  /** /feedback's radio group (bug, idea, other); null on entries from before it existed. */
  readonly category: string | null;
  /** The uploaded screenshot's filename, when one came (never its URL). */
  readonly fileName: string | null;
  readonly createdAt: number;
}

export async function saveFeedback(db: D1Database, entry: FeedbackEntry): Promise<boolean> {
  const result = await db
    .prepare(
      "INSERT INTO feedback (interaction_id, user_id, guild_id, text, category, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (interaction_id) DO NOTHING",
    )
    .bind(entry.interactionId, entry.userId, entry.guildId, entry.text, entry.category, entry.fileName, entry.createdAt)
    .run();
  return result.meta.changes === 1;
}

type FeedbackRow = {
  interaction_id: string;
  user_id: string | null;
  guild_id: string | null;
  text: string;
  category: string | null;
  file_name: string | null;
  created_at: number;
};
const COLUMNS = "interaction_id, user_id, guild_id, text, category, file_name, created_at";

export async function latestFeedback(db: D1Database, limit: number, guildId?: string): Promise<FeedbackEntry[]> {
  const statement =
    guildId === undefined
      ? db.prepare(`SELECT ${COLUMNS} FROM feedback ORDER BY created_at DESC, id DESC LIMIT ?`).bind(limit)
      : db
          .prepare(`SELECT ${COLUMNS} FROM feedback WHERE guild_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`)
          .bind(guildId, limit);
  const { results } = await statement.all<FeedbackRow>();
  return results.map((r) => ({
    interactionId: r.interaction_id,
    userId: r.user_id,
    guildId: r.guild_id,
    text: r.text,
    category: r.category,
    fileName: r.file_name,
    createdAt: r.created_at,
  }));
}

export async function countFeedback(db: D1Database, guildId?: string): Promise<number> {
  const statement =
    guildId === undefined
      ? db.prepare("SELECT COUNT(*) AS n FROM feedback")
      : db.prepare("SELECT COUNT(*) AS n FROM feedback WHERE guild_id = ?").bind(guildId);
  return (await statement.first<{ n: number }>())?.n ?? 0;
}
