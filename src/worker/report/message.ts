/**
 * The daily report as one channel message: an embed with the numbers, and the traffic chart as its image when the
 * backend drew one (otherwise the embed says why the chart is missing, and the numbers still go out).
 */
import type { FileUpload, FinalMessage } from "../discord/messages.ts";
import type { DailyStats } from "./stats.ts";

const CHART_FILE = "traffic.png";
/** An embed field's value limit. */
const FIELD_MAX = 1024;
const number = new Intl.NumberFormat("en-US");

export type ReportChart = { readonly png: Uint8Array } | { readonly missing: string };

export function reportMessage(stats: DailyStats, chart: ReportChart): FinalMessage {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const errorShare = stats.total > 0 ? ` (${((stats.errors / stats.total) * 100).toFixed(1)} %)` : "";
  const peak = stats.hourly.reduce((best, n, i) => (n > stats.hourly[best]! ? i : best), 0);
  const embed = {
    title: "Daily report",
    color: 0x5865f2,
    description: `The 24 hours from <t:${seconds(stats.since)}:f> to <t:${seconds(stats.until)}:f>.`,
    fields: [
      { name: "Interactions", value: number.format(stats.total), inline: true },
      { name: "Errors", value: `${number.format(stats.errors)}${errorShare}`, inline: true },
      { name: "Installs", value: stats.installs === null ? "not recorded" : number.format(stats.installs), inline: true },
      { name: "By command", value: commandLines(stats) },
      {
        name: "Traffic by hour",
        value: "png" in chart
          ? stats.total > 0 ? `Busiest hour: from <t:${seconds(stats.since + peak * 3_600_000)}:t> (${number.format(stats.hourly[peak]!)}).` : "No traffic."
          : `Chart missing: ${chart.missing}`.slice(0, FIELD_MAX),
      },
    ],
    ...("png" in chart ? { image: { url: `attachment://${CHART_FILE}` } } : {}),
    footer: { text: "Commands, buttons and forms the bot answered; installs from Webhook Events." },
    timestamp: new Date(stats.until).toISOString(),
  };
  const files: FileUpload[] = "png" in chart ? [{ name: CHART_FILE, contentType: "image/png", data: chart.png, description: "Interactions per hour over the last 24 hours" }] : [];
  return { data: { embeds: [embed], allowed_mentions: { parse: [] } }, files };
}

/** One line per command, most used first, cut to the field's limit with a count of the rest. */
function commandLines(stats: DailyStats): string {
  if (stats.byCommand.length === 0) return "None.";
  let value = "";
  for (const [i, c] of stats.byCommand.entries()) {
    const line = `\`${c.route}\` ${number.format(c.count)}${c.errors > 0 ? ` (${number.format(c.errors)} ${c.errors === 1 ? "error" : "errors"})` : ""}\n`;
    const rest = `… and ${stats.byCommand.length - i} more`;
    if (value.length + line.length + rest.length > FIELD_MAX) return value + rest;
    value += line;
  }
  return value.trimEnd();
}
