// Chart render time at 10, 1,000 and 10,000 points, for both chart kinds: the median of several runs after a
// warm-up (the first render pays for module and font loading), split into ECharts' SVG step and resvg's
// rasterisation. Prints a Markdown table for BENCHMARKS.md.
//
//   node_modules/.bin/node bench/render.ts [runs=9]

import { cpus } from "node:os";
import { renderAsync } from "@resvg/resvg-js";
import { renderChart, renderChartSvg, type ChartKind } from "../src/backend/jobs/chart/render.ts";
import { rasteriseWithResvgNode } from "../src/backend/jobs/chart/rasterise-node.ts";
import type { Point } from "../src/shared/chart-data/points.ts";

const SIZES = [10, 1_000, 10_000];
const KINDS: ChartKind[] = ["line", "bar"];
const RUNS = Number(process.argv[2] ?? 9);
const WARMUP = 2;

function series(count: number): Point[] {
  // Deterministic, wiggly data: a trend, a slow wave and some jitter, like real metrics.
  return Array.from({ length: count }, (_, i) => ({
    label: `2026-01-${String(i + 1).padStart(5, "0")}`,
    value: 100 + i * 0.01 + Math.sin(i / 40) * 25 + Math.sin(i * 12.9898) * 5,
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

interface Row {
  kind: ChartKind;
  points: number;
  total: number;
  svg: number;
  raster: number;
  pngKiB: number;
}

async function measure(kind: ChartKind, count: number): Promise<Row> {
  const spec = { kind, points: series(count), title: `${count.toLocaleString("en-US")} points` };
  for (let i = 0; i < WARMUP; i++) await renderChart(spec, rasteriseWithResvgNode);
  const totals: number[] = [];
  const svgs: number[] = [];
  const rasters: number[] = [];
  let pngBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    totals.push(await timed(async () => (pngBytes = (await renderChart(spec, rasteriseWithResvgNode)).png.byteLength)));
    let svg = "";
    svgs.push(await timed(() => (svg = renderChartSvg(spec))));
    rasters.push(await timed(() => renderAsync(svg, { fitTo: { mode: "width", value: 800 }, font: { loadSystemFonts: false } })));
  }
  return { kind, points: count, total: median(totals), svg: median(svgs), raster: median(rasters), pngKiB: pngBytes / 1024 };
}

const rows: Row[] = [];
for (const kind of KINDS) for (const count of SIZES) rows.push(await measure(kind, count));

const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
console.log(`Node ${process.version}, ${cpu} (${cpus().length} cores), median of ${RUNS} runs after ${WARMUP} warm-up, 800×450 PNG`);
console.log("");
console.log("| kind | points | render ms (total) | ECharts SVG ms | resvg raster ms¹ | PNG KiB |");
console.log("|------|-------:|------------------:|---------------:|-----------------:|--------:|");
for (const row of rows) {
  console.log(
    `| ${row.kind} | ${row.points.toLocaleString("en-US")} | ${row.total.toFixed(1)} | ${row.svg.toFixed(1)} | ${row.raster.toFixed(1)} | ${row.pngKiB.toFixed(1)} |`,
  );
}
console.log("");
console.log("¹ rasterised without fonts, to separate glyph work from path work; the total includes the DejaVu fonts.");
