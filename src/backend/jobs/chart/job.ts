// The `chart` job: turns numbers (typed inline, attached as CSV, or stored points for a re-render) into a PNG line
// or bar chart plus summary stats. The parsed points are returned too, so the Worker can store them and ask for a
// re-render (another kind or title) without the attachment, whose signed URL expires. Its name, wire input and
// result are the contract in src/shared/jobs/chart.ts, which the Worker's relay call names too.

import { InputError } from "../../errors.ts";
import { bytesToBase64 } from "../../base64.ts";
import { downloadAttachment, redactUrl } from "../../attachment.ts";
import { defineJob, type JobContext } from "../job.ts";
import { CHART_MAX_INPUT_BYTES, parseChartInput, type ChartInput } from "./input.ts";
import { parseCsv } from "../../../shared/chart-data/csv.ts";
import { computeStats } from "./stats.ts";
import { rowText } from "../../i18n/wording.ts";
import { refuseTooCostly } from "./render-cost.ts";
import type { ChartSpec } from "./render.ts";
import { chartJob as contract, type ChartResult, type SkippedRow } from "../../../shared/jobs/chart.ts";
import { MAX_FILE_BYTES, type Point } from "../../../shared/chart-data/points.ts";

interface ChartData {
  points: Point[];
  /** CSV rows that gave no point (csv.ts says which); none for inline values or stored points. */
  skipped: SkippedRow[];
  skippedCount: number;
  xAxisName?: string;
  yAxisName?: string;
}

async function loadData(input: ChartInput, ctx: JobContext): Promise<ChartData> {
  const { source } = input;
  if (source.type !== "file") return { points: source.points, skipped: [], skippedCount: 0 };

  const started = performance.now();
  const download = await downloadAttachment(source.url, {
    allowedHosts: ctx.attachmentHosts,
    fetch: ctx.fetch,
    maxBytes: MAX_FILE_BYTES,
    field: "file.url",
  });
  ctx.log({
    event: "attachment_fetched",
    id: ctx.id,
    url: redactUrl(source.url),
    bytes: download.bytes.byteLength,
    ms: Math.round(performance.now() - started),
  });
  // A NUL byte never occurs in text; catching it here gives a clearer message than a "not a number" on row 1.
  if (download.bytes.includes(0)) {
    throw new InputError("file", "file: this is not a text file; attach a CSV (.csv or .txt)", { key: "fileNotText" });
  }
  const csv = parseCsv(new TextDecoder("utf-8").decode(download.bytes));
  return {
    points: csv.points,
    // The reasons in the user's language; the parser's English stays in its own result.
    skipped: csv.skipped.map((row, i) => ({ line: row.line, reason: rowText(ctx.sentences, csv.skippedProblems[i]!) })),
    skippedCount: csv.skippedCount,
    xAxisName: csv.header?.label,
    yAxisName: csv.header?.value,
  };
}

export const chartJob = defineJob<ChartInput, ChartResult>({
  name: contract.name,
  maxInputBytes: CHART_MAX_INPUT_BYTES,
  validate: (input, ctx) => parseChartInput(input, ctx.attachmentHosts),
  async run(input, ctx) {
    const data = await loadData(input, ctx);
    const spec: ChartSpec = {
      kind: input.kind,
      points: data.points,
      title: input.title,
      xAxisName: data.xAxisName || undefined,
      yAxisName: data.yAxisName || undefined,
    };
    // Before drawing, on both backends: the backend Worker cannot stop a render once it runs (render-cost.ts).
    refuseTooCostly(spec, ctx.renderBudget, input.source.type);
    const image = await ctx.drawChart(spec);
    return {
      png: bytesToBase64(image.png),
      width: image.width,
      height: image.height,
      kind: input.kind,
      stats: computeStats(data.points),
      points: data.points,
      skipped: data.skipped,
      skippedCount: data.skippedCount,
    };
  },
});
