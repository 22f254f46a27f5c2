/**
 * The interactions table: one row per interaction that has side effects. Claiming a row is how duplicate
 * deliveries are suppressed: D1 (SQLite) applies `INSERT … ON CONFLICT DO NOTHING` atomically, so of two
 * deliveries of the same interaction id exactly one sees `changes = 1` and runs the side effects. KV would
 * not do: it is eventually consistent and has no conditional write.
 */
import type { Interaction } from "../dispatch/interaction.ts";

export async function claimInteraction(db: D1Database, interaction: Interaction, route: string | null, now = Date.now()): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO interactions (id, type, route, user_id, guild_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
    .bind(interaction.id, interaction.type, route, interaction.user?.id ?? null, interaction.guildId, now)
    .run();
  return result.meta.changes === 1;
}

export async function countInteractions(db: D1Database, sinceMs?: number): Promise<number> {
  const row = sinceMs === undefined
    ? await db.prepare("SELECT COUNT(*) AS n FROM interactions").first<{ n: number }>()
    : await db.prepare("SELECT COUNT(*) AS n FROM interactions WHERE created_at >= ?").bind(sinceMs).first<{ n: number }>();
  return row?.n ?? 0;
}
