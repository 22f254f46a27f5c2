/**
 * The daily report as one channel message: an embed with the numbers and the traffic chart as its image, then one
 * embed per other chart (errors, time to answer). A chart the backend could not draw is a field saying why, and the
 * numbers still go out.
 */
import type { FileUpload, FinalMessage } from "../../kit/index.ts";
import type { DailyStats } from "./stats.ts";
import type { DrawnChart } from "./usage-charts.ts";

/** An embed field's value limit. */
const FIELD_MAX = 1024;

export function reportMessage(stats: DailyStats, charts: readonly DrawnChart[]): FinalMessage {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const errorShare = stats.total > 0 ? ` (${((stats.errors / stats.total) * 100).toFixed(1)} %)` : "";
  const files: FileUpload[] = [];
  const missing: { name: string; value: string }[] = [];
  for (const chart of charts) {
    if ("file" in chart) files.push(chart.file);
    else missing.push({ name: chart.name, value: `Chart missing: ${chart.missing}` });
  }
  const [first, ...others] = files.map((file) => ({ image: { url: `attachment://${file.name}` } }));
  const embed = {
    title: "Daily report",
    color: 0x5865f2,
    description: `<t:${seconds(stats.since)}:f> to <t:${seconds(stats.until)}:f>`,
    fields: [
      { name: "Interactions", value: `${stats.total}`, inline: true },
      { name: "Errors", value: `${stats.errors}${errorShare}`, inline: true },
      { name: "Installs", value: stats.installs === null ? "not recorded" : `${stats.installs}`, inline: true },
      { name: "By command", value: commandLines(stats) },
      ...missing,
    ],
    ...first,
  };
  return {
    data: {
      embeds: [embed, ...others.map((image) => ({ color: 0x5865f2, ...image }))],
      allowed_mentions: { parse: [] },
    },
    files,
  };
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
