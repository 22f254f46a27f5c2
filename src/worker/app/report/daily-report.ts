/**
 * The daily report (REPORT_CHANNEL_ID set): reads the past 24 hours from the usage counters (and installs from D1),
 * has the backend draw the traffic, errors and time to answer by hour (usage-charts.ts), and posts one message to
 * the channel with the bot token (kit/discord/bot-rest.ts). Charts that cannot be drawn (no backend configured,
 * backend down or failing) leave the numbers to go out alone, saying why each chart is missing. The caller logs
 * the result.
 */
import { DiscordBotClient, type Config, type Env, type RateLimits } from "../../kit/index.ts";
import { reportMessage } from "./message.ts";
import { readDailyStats } from "./stats.ts";
import { drawUsageCharts } from "./usage-charts.ts";

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

export async function postDailyReport(
  env: Env,
  config: Config,
  until: number,
  options: ReportOptions = {},
): Promise<ReportFields> {
  const channelId = config.reportChannelId;
  // readConfig refuses a REPORT_CHANNEL_ID without DISCORD_TOKEN, so these hold whenever the cron calls this.
  if (!channelId || !config.botToken) throw new Error("report(config): needs REPORT_CHANNEL_ID and DISCORD_TOKEN");
  const stats = await readDailyStats(env, until);
  const charts = await drawUsageCharts(config, stats.usage, `report-${stats.until}`);
  const bot = new DiscordBotClient({
    apiBase: config.discordApiBase,
    botToken: config.botToken,
    deadline: Date.now() + POST_DEADLINE_MS,
    ...(options.limits ? { limits: options.limits } : { env }),
  });
  const sent = await bot.createMessage(channelId, reportMessage(stats, charts));
  const missing = charts.find((chart) => "missing" in chart);
  return {
    report: missing ? "posted_without_chart" : "posted",
    report_message_id: sent.id,
    report_interactions: stats.total,
    report_errors: stats.errors,
    report_installs: stats.installs,
    ...(missing && "missing" in missing ? { report_chart_missing: missing.missing } : {}),
  };
}
