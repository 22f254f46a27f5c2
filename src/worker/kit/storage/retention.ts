/**
 * The platform's records that expire: interaction claims (interactions), finished queue jobs (jobs_done) and Webhook
 * Event claims (webhook_events), all older than one cutoff. Claims only have to outlive Discord's redeliveries
 * (minutes) and a queue's (days at most), but interactions also feed the bot's statistics, hence a retention in
 * days that the bot's cron chooses. Statements, not a run: the cron batches them with the bot's own deletions, so one
 * D1 round trip prunes everything. In this order: interactions, jobs_done, webhook_events.
 */
export function prunePlatformRecords(db: D1Database, cutoff: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM interactions WHERE created_at < ?").bind(cutoff),
    db.prepare("DELETE FROM jobs_done WHERE finished_at < ?").bind(cutoff),
    db.prepare("DELETE FROM webhook_events WHERE received_at < ?").bind(cutoff),
  ];
}
