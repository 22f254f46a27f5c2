/**
 * The platform's records that expire: interaction claims (interactions), finished queue jobs (jobs_done) and Webhook
 * Event claims (webhook_events), all older than one cutoff. Claims only have to outlive Discord's redeliveries
 * (minutes) and a queue's (days at most), but interactions also feed the bot's statistics, hence a retention in
 * days that the bot's cron chooses. Statements, not a run: the cron batches them with the bot's own deletions, so one
 * D1 round trip prunes everything.
 */
export interface PlatformPrune {
  readonly statements: readonly D1PreparedStatement[];
  /** What each statement deleted, from the batch's results for these statements (in order). */
  summarise(results: readonly (D1Result | undefined)[]): { interactions_deleted: number; jobs_done_deleted: number; webhook_events_deleted: number };
}

export function prunePlatformRecords(db: D1Database, cutoff: number): PlatformPrune {
  return {
    statements: [
      db.prepare("DELETE FROM interactions WHERE created_at < ?").bind(cutoff),
      db.prepare("DELETE FROM jobs_done WHERE finished_at < ?").bind(cutoff),
      db.prepare("DELETE FROM webhook_events WHERE received_at < ?").bind(cutoff),
    ],
    summarise: ([interactions, jobsDone, webhookEvents]) => ({
      interactions_deleted: interactions?.meta.changes ?? 0,
      jobs_done_deleted: jobsDone?.meta.changes ?? 0,
      webhook_events_deleted: webhookEvents?.meta.changes ?? 0,
    }),
  };
}
