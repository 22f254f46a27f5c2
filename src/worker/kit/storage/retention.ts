/**
 * The platform's records that expire: the deferred engine's job records (deferred_jobs) and Webhook Event claims
 * (webhook_events), both older than one cutoff. Claims only have to outlive Discord's redeliveries (minutes) and a
 * queue's (days at most); the bot's cron chooses the retention in days (INTERACTION_RETENTION_DAYS). Statements, not
 * a run: the cron batches them with the bot's own deletions, so one D1 round trip prunes everything. In this order:
 * deferred_jobs, webhook_events.
 */
export function prunePlatformRecords(db: D1Database, cutoff: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM deferred_jobs WHERE updated_at < ?").bind(cutoff),
    db.prepare("DELETE FROM webhook_events WHERE received_at < ?").bind(cutoff),
  ];
}
