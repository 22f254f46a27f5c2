/**
 * The webhook_events table (migrations/0005_app_events.sql): one row per Webhook Event handled, which makes a
 * redelivered event a no-op. Discord retries a delivery it got no 2xx for, for up to 10 minutes
 * (https://discord.com/developers/docs/events/webhook-events), and `INSERT … ON CONFLICT DO NOTHING` lets exactly
 * one of two deliveries win. The platform owns these claims; what an event records is the bot's (app/storage/).
 */
export async function claimEvent(db: D1Database, key: string, type: string, now: number): Promise<boolean> {
  const result = await db
    .prepare("INSERT INTO webhook_events (key, type, received_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING")
    .bind(key, type, now)
    .run();
  return result.meta.changes === 1;
}

/** Gives a claim back after its handler failed, so a redelivery may try again. */
export async function releaseEvent(db: D1Database, key: string): Promise<void> {
  await db.prepare("DELETE FROM webhook_events WHERE key = ?").bind(key).run();
}
