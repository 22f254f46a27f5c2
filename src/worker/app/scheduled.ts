/**
 * The daily cron: prunes expired state, posts the daily report when REPORT_CHANNEL_ID is set
 * (src/worker/app/report/), and logs one summary line. What users do is counted by the usage counters
 * (kit/analytics/), whose month objects expire by themselves after INTERACTION_RETENTION_DAYS; the interactions
 * table they replaced is gone (migration 0011), and so is its prune. Feedback is kept for its own retention. The
 * deferred engine's job records (deferred_jobs) follow INTERACTION_RETENTION_DAYS: a record only has to outlive the
 * queue's redeliveries (days at most), and one knob is easier to reason about than two.
 * Webhook-event claims (webhook_events) only have to outlive Discord's 10 minutes of redeliveries, and entitlements
 * that were deleted or ended stop mattering: both follow INTERACTION_RETENTION_DAYS too. Installs and removals are
 * kept: they are the history /admin stats counts. The chart cache's daily hit counts (chart_cache_days) follow
 * INTERACTION_RETENTION_DAYS. Chart data and cached charts live in KV with a TTL, so KV expires them without help.
 */
import { errorFields, log, prunePlatformRecords, readConfig, type Config, type Env } from "../kit/index.ts";
import { postDailyReport } from "./report/daily-report.ts";
import { utcDay } from "./storage/chart-cache-stats.ts";

const DAY_MS = 86_400_000;

export interface PruneSummary {
  feedback_deleted: number;
  /** Rows of deferred_jobs (the name is kept from the jobs_done table it replaced: operators' queries read it). */
  jobs_done_deleted: number;
  webhook_events_deleted: number;
  entitlements_deleted: number;
  chart_cache_days_deleted: number;
}

export async function pruneExpiredState(env: Env, config: Config, now = Date.now()): Promise<PruneSummary> {
  const summary: PruneSummary = {
    feedback_deleted: 0,
    jobs_done_deleted: 0,
    webhook_events_deleted: 0,
    entitlements_deleted: 0,
    chart_cache_days_deleted: 0,
  };
  if (!env.DB) return summary;
  const cutoff = now - config.interactionRetentionDays * DAY_MS;
  const feedbackDays = config.feedbackRetentionDays;
  // The platform's records (claims, finished jobs) and the bot's, in one batch: one D1 round trip.
  const [jobsDone, webhookEvents, feedback, entitlements, cacheDays] = await env.DB.batch([
    ...prunePlatformRecords(env.DB, cutoff),
    env.DB.prepare("DELETE FROM feedback WHERE created_at < ?").bind(now - feedbackDays * DAY_MS),
    env.DB.prepare(
      "DELETE FROM entitlements WHERE event_at < ? AND (deleted = 1 OR (ends_at IS NOT NULL AND ends_at < ?))",
    ).bind(cutoff, cutoff),
    env.DB.prepare("DELETE FROM chart_cache_days WHERE day < ?").bind(utcDay(cutoff)),
  ]);
  summary.jobs_done_deleted = jobsDone?.meta.changes ?? 0;
  summary.webhook_events_deleted = webhookEvents?.meta.changes ?? 0;
  summary.feedback_deleted = feedback?.meta.changes ?? 0;
  summary.entitlements_deleted = entitlements?.meta.changes ?? 0;
  summary.chart_cache_days_deleted = cacheDays?.meta.changes ?? 0;
  return summary;
}

/** One log line per run: what was pruned, and (REPORT_CHANNEL_ID set) the report that was posted. A failure throws after it. */
export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const started = Date.now();
  const line = (fields: Record<string, unknown>) =>
    log("scheduled", { cron: controller.cron, ...fields, ms: Date.now() - started });
  let config: Config;
  let summary: PruneSummary;
  try {
    // Inside the try: a misconfigured deploy still leaves its one log line (naming the problems) before it throws.
    config = readConfig(env);
    summary = await pruneExpiredState(env, config, controller.scheduledTime);
  } catch (error) {
    line({ outcome: "error", ...errorFields(error) });
    throw error;
  }
  const pruned = { ...summary, chart_data: "expires by KV TTL", chart_cache: "expires by KV TTL" };
  if (!config.reportChannelId) return line({ outcome: "ok", ...pruned, report: "off" });
  try {
    line({ outcome: "ok", ...pruned, ...(await postDailyReport(env, config, controller.scheduledTime)) });
  } catch (error) {
    // The prune's numbers stay in the line; the run still fails, so the dashboard shows it.
    line({ outcome: "error", ...pruned, report: "error", ...errorFields(error) });
    throw error;
  }
}
