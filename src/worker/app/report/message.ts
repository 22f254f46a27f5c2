/**
 * The daily report as one channel message: an embed with the numbers, and the traffic chart as its image when the
 * backend drew one (otherwise the embed says why the chart is missing, and the numbers still go out).
 */
import type { FileUpload, FinalMessage } from "../../kit/index.ts";
import type { DailyStats } from "./stats.ts";

const CHART_FILE = "traffic.png";
/** An embed field's value limit. */
const FIELD_MAX = 1024;

export type ReportChart = { readonly png: Uint8Array } | { readonly missing: string };

export function reportMessage(stats: DailyStats, chart: ReportChart): FinalMessage {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const errorShare = stats.total > 0 ? ` (${((stats.errors / stats.total) * 100).toFixed(1)} %)` : "";
  const embed = {
    title: "Daily report",
    color: 0x5865f2,
    description: `<t:${seconds(stats.since)}:f> to <t:${seconds(stats.until)}:f>`,
    fields: [
      { name: "Interactions", value: `${stats.total}`, inline: true },
      { name: "Errors", value: `${stats.errors}${errorShare}`, inline: true },
      { name: "Installs", value: stats.installs === null ? "not recorded" : `${stats.installs}`, inline: true },
      { name: "By command", value: commandLines(stats) },
      ...("missing" in chart ? [{ name: "Traffic by hour", value: `Chart missing: ${chart.missing}` }] : []),
    ],
    ...("png" in chart ? { image: { url: `attachment://${CHART_FILE}` } } : {}),
  };
  const files: FileUpload[] = "png" in chart ? [{ name: CHART_FILE, contentType: "image/png", data: chart.png }] : [];
  return { data: { embeds: [embed], allowed_mentions: { parse: [] } }, files };
}

/** One line per command, most used first, cut to the field's limit with a count of the rest. */
function commandLines(stats: DailyStats): string {
  if (stats.byCommand.length === 0) return "None.";
  let value = "";
  for (const [i, c] of stats.byCommand.entries()) {
    const line = `\`${c.route}\` ${c.count}${c.errors > 0 ? ` (${c.errors} ${c.errors === 1 ? "error" : "errors"})` : ""}\n`;
    const rest = `… and ${stats.byCommand.length - i} more`;
    if (value.length + line.length + rest.length > FIELD_MAX) return value + rest;
    value += line;
  }
  return value.trimEnd();
}
