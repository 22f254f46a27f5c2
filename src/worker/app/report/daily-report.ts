/**
 * The daily report (REPORT_CHANNEL_ID set): reads the past 24 hours from D1, has the backend draw the traffic by
 * hour with the chart job every /chart uses (src/shared/jobs/chart.ts), and posts one message to the channel with
 * the bot token (src/worker/kit/discord/bot-rest.ts). A chart that cannot be drawn (no backend configured, backend down
 * or failing) leaves the numbers to go out alone, saying why the chart is missing. The caller logs the result.
 */
import { base64ToBytes, ConfigError, DiscordBotClient, RelayError, relayJob, requireRelay, type Config, type Env, type RateLimits } from "../../kit/index.ts";
import { chartJob } from "../../../shared/jobs/chart.ts";
import { reportMessage, type ReportChart } from "./message.ts";
import { readDailyStats, type DailyStats } from "./stats.ts";

/** A cron run may take minutes of wall time; the post still should not wait on rate limits for longer than this. */
const POST_DEADLINE_MS = 60_000;

export interface ReportFields {
  readonly report: "posted" | "posted_without_chart";
  readonly report_message_id: string;
  readonly report_interactions: number;
  readonly report_errors: number;
  readonly report_installs: number | null;
  readonly report_chart_missing?: string;
}

export interface ReportOptions {
  /** The isolate's rate-limit state by default. */
  readonly limits?: RateLimits;
}

export async function postDailyReport(env: Env, config: Config, until: number, options: ReportOptions = {}): Promise<ReportFields> {
  const channelId = config.reportChannelId;
  // readConfig refuses a REPORT_CHANNEL_ID without DISCORD_TOKEN, so these hold whenever the cron calls this.
  if (!channelId || !config.botToken) throw new Error("report(config): needs REPORT_CHANNEL_ID and DISCORD_TOKEN");
  if (!env.DB) throw new Error("report(stats): the D1 binding DB is not bound");
  const stats = await readDailyStats(env.DB, until);
  const chart = await drawTraffic(config, stats);
  const bot = new DiscordBotClient({ apiBase: config.discordApiBase, botToken: config.botToken, deadline: Date.now() + POST_DEADLINE_MS, ...(options.limits ? { limits: options.limits } : { env }) });
  const sent = await bot.createMessage(channelId, reportMessage(stats, chart));
  return {
    report: "png" in chart ? "posted" : "posted_without_chart",
    report_message_id: sent.id,
    report_interactions: stats.total,
    report_errors: stats.errors,
    report_installs: stats.installs,
    ...("missing" in chart ? { report_chart_missing: chart.missing } : {}),
  };
}

async function drawTraffic(config: Config, stats: DailyStats): Promise<ReportChart> {
  let target;
  try {
    // The BACKEND service binding when bound, else BACKEND_URL: the same choice as /chart's.
    target = requireRelay(config);
  } catch (error) {
    if (error instanceof ConfigError) return { missing: "no backend is configured (BACKEND_URL, RELAY_SECRET)" };
    throw error;
  }
  // Each bar is one hour of the window, labelled by its UTC start (the window ends when the cron fired, e.g. 03:17).
  const hour = (i: number) => new Date(stats.since + i * 3_600_000).toISOString().slice(11, 16);
  try {
    const result = await relayJob(target, chartJob, `report-${stats.until}`, {
      kind: "bar",
      title: "Interactions per hour (UTC)",
      points: stats.hourly.map((value, i) => ({ label: hour(i), value })),
    });
    return { png: base64ToBytes(result.png) };
  } catch (error) {
    // The kind, not the message: the report channel is no place for the relay's operator detail (URLs).
    return { missing: `the backend's chart job failed (${error instanceof RelayError ? error.kind : "unexpected error"})` };
  }
}
