/** Builds the chart message: an embed with the statistics, the PNG as an attachment, and kind buttons. */
import { actionRow, button, ButtonStyle, type FinalMessage, type Translate } from "../../../kit/index.ts";
import { CHART_KINDS, type ChartKind, type ChartResult, type ChartStats } from "../../../../shared/jobs/chart.ts";

const FILE_NAME = "chart.png";
// Made on first use, not at import: constructing an Intl formatter loads ICU data (≈ 9 ms in V8), which at module
// scope every isolate would pay at cold start, before answering even a PING (BENCHMARKS.md "Cold start").
let formatter: Intl.NumberFormat | undefined;
const number = {
  format: (n: number) => (formatter ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 })).format(n),
};

/** The buttons' custom_id for a kind and a stored chart's key (the module builds it, with its own name). */
export type ButtonId = (kind: ChartKind, key: string) => string;

/** What the message shows of a render, from the backend or the cache (chart/draw.ts). */
export interface ChartImage {
  readonly png: Uint8Array;
  readonly kind: ChartKind;
  readonly stats: ChartStats;
}

/**
 * `icon`: the bot's chart emoji (`<:chart:id>`, src/worker/app/emojis/), or "" before it is synced. `t`: the user's
 * language, for every label the message shows.
 */
export function chartMessage(
  result: ChartImage,
  title: string | null,
  storeKey: string | null,
  buttonId: ButtonId,
  t: Translate,
  icon = "",
): FinalMessage {
  const { stats } = result;
  const sign = stats.change > 0 ? "+" : "";
  const pct = stats.change_pct === null ? "" : ` (${sign}${number.format(stats.change_pct)} %)`;
  const embed = {
    title: (title ?? t("chartTitle")).slice(0, 256),
    color: 0x5865f2,
    image: { url: `attachment://${FILE_NAME}` },
    fields: [
      { name: t("chartPoints"), value: number.format(stats.count), inline: true },
      { name: t("chartMin"), value: number.format(stats.min), inline: true },
      { name: t("chartMax"), value: number.format(stats.max), inline: true },
      { name: t("chartMean"), value: number.format(stats.mean), inline: true },
      {
        name: t("chartFirstLast"),
        value: `${number.format(stats.first)} → ${number.format(stats.last)}: ${sign}${number.format(stats.change)}${pct}`,
        inline: true,
      },
    ],
    footer: { text: t("chartFooter", result.kind === "line") },
  };
  const components = storeKey
    ? [
        actionRow(
          ...CHART_KINDS.map((kind) =>
            button({
              label: kind === "line" ? t("chartLine") : t("chartBar"),
              customId: buttonId(kind, storeKey),
              style: kind === result.kind ? ButtonStyle.Primary : ButtonStyle.Secondary,
              disabled: kind === result.kind,
            }),
          ),
        ),
      ]
    : [];
  return {
    data: { content: icon, embeds: [embed], components },
    files: [
      {
        name: FILE_NAME,
        contentType: "image/png",
        data: result.png,
        description: t("chartAlt", result.kind === "line", stats.count),
      },
    ],
  };
}

/** Rows the backend skipped, as an ephemeral note to the user: which lines and why. Null when none were. */
export function skippedRowsMessage(result: Pick<ChartResult, "skipped" | "skippedCount">, t: Translate): string | null {
  const { skipped, skippedCount: total } = result;
  if (total === 0) return null;
  const lines = skipped.map((row) => t("skippedLine", row.line, row.reason));
  let text = t("skippedRows", total, lines.join("\n"), total - skipped.length);
  if (text.length > 2000) text = `${text.slice(0, 1999)}…`;
  return text;
}
