/**
 * The platform's records that expire: interaction counts (interactions), the deferred engine's job records
 * (deferred_jobs) and Webhook Event claims (webhook_events), all older than one cutoff. Claims only have to outlive Discord's redeliveries
 * (minutes) and a queue's (days at most), but interactions also feed the bot's statistics, hence a retention in
 * days that the bot's cron chooses. Statements, not a run: the cron batches them with the bot's own deletions, so one
 * D1 round trip prunes everything. In this order: interactions, deferred_jobs, webhook_events.
 */
export function prunePlatformRecords(db: D1Database, cutoff: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM interactions WHERE created_at < ?").bind(cutoff),
    db.prepare("DELETE FROM deferred_jobs WHERE updated_at < ?").bind(cutoff),
    db.prepare("DELETE FROM webhook_events WHERE received_at < ?").bind(cutoff),
  ];
}
