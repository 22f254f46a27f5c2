// What a chart will cost to draw, estimated from its validated input before anything is drawn, in "ordinary charts":
// 1 is the render of a 1,000-point line with short labels and a short title (≈ 10 ms on Node, ≈ 11 ms of workerd CPU;
// BENCHMARKS.md, "Backend render"). The chart job refuses a spec over the budget with 422 too_costly, naming what
// makes it costly, on both backends (the job is the same code in both). Why an estimate and not only a time limit:
// the backend Worker cannot stop a render itself. workerd gives the whole request `cpu_ms` and then fails it, and
// every other request of the isolate waits while a render computes (DEPLOYMENT.md, "What an expensive chart costs"),
// so a chart too costly to draw must be refused before it starts. The Node server also stops a render at a
// wall-clock limit (render-pool.ts); the estimate keeps that limit for what no estimate foresaw.
//
// The model follows where the time goes (bench/render-adversarial.ts --calibrate measures each term as the difference
// of two charts, on Node and in workerd; the constants are the larger of the two, rounded up):
//   a fixed part: ECharts' model and layout, resvg's pass over the 800×450 canvas, the PNG;
//   each drawn point (at most MAX_DRAWN_POINTS: downsample.ts), and the elements ECharts draws one by one: a line's
//     symbols (≤ 60 points) and bars outside large mode (≤ 500);
//   the title's and axis names' characters, which resvg shapes and draws whole;
//   the category labels' characters, far cheaper: ECharts measures up to MEASURED_LABELS of them whole to space the
//     axis (by a width table, not by shaping), and the few it draws are cut to fit 90 pixels;
//   text the Latin font subsets cannot draw: resvg loads the full DejaVu fonts for that chart, and other scripts cost
//     more to shape.
// On the shared 2-core machine the terms measured ±50% from run to run; the constants are rounded up from the larger
// readings, so the estimate errs high. BENCHMARKS.md, "Render cost", prints the estimate beside the measured cost.
// With the input bounds (points.ts, drawn-text.ts), every chart within the documented limits is estimated within the
// default budget; the estimate is what keeps that true when a limit moves, and what an operator tightens with
// BACKEND_RENDER_BUDGET (a smaller cpu_ms, a slower host).

import { TooCostlyError } from "../../errors.ts";
import { SUBSET_RANGES } from "./font-subset.ts";
import { MAX_DRAWN_POINTS } from "./downsample.ts";
import { DRAWN_TEXT_LIMITS, drawnText } from "./drawn-text.ts";
import type { ChartSpec } from "./render.ts";
import type { CostDriver } from "../../../shared/http-error.ts";

/** The target: no accepted chart costs more than ten ordinary ones. */
export const DEFAULT_RENDER_BUDGET = 10;

// Calibrated constants, in ordinary charts (see the header comment).
const FIXED = 0.6;
const PER_POINT = { line: 0.0005, bar: 0.0008 } as const;
const PER_SYMBOL = 0.01; // a line of at most SYMBOL_LIMIT points draws a circle on each
const PER_SEPARATE_BAR = 0.001; // bars below ECharts' largeThreshold are one element each
const PER_TEXT_CHAR = 0.002; // title and axis names
const PER_LABEL_CHAR = 0.00005;
const FULL_FONTS = 0.8;
const PER_CHAR_OUTSIDE_SUBSET = 0.0001;
/** ECharts measures at most this many category labels whole (it samples 40 to space the axis, then lays out the grid). */
const MEASURED_LABELS = 80;
// render.ts' thresholds, where ECharts changes how it draws.
const SYMBOL_LIMIT = 60;
const LARGE_BAR_THRESHOLD = 500;

export interface RenderCost {
  /** In ordinary charts. */
  units: number;
  /** What makes it costly, largest part first, as a user would say it ("10,000 points"). */
  drivers: string[];
  /** The same, as data, for the user's language (src/backend/i18n/). */
  causes: CostDriver[];
}

function outsideSubset(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x7f) continue;
    if (!SUBSET_RANGES.some(([from, to]) => code >= from && code <= to)) return true;
  }
  return false;
}

/** Linear in the number of points (one pass over the labels' lengths), so estimating never costs what drawing does. */
export function estimateRenderCost(spec: ChartSpec): RenderCost {
  const drawn = Math.min(spec.points.length, MAX_DRAWN_POINTS);
  let longestLabel = 0;
  let foreign = false;
  for (const { label } of spec.points) {
    const length = Math.min(label.length, DRAWN_TEXT_LIMITS.label);
    if (length > longestLabel) longestLabel = length;
    if (!foreign && outsideSubset(label.slice(0, DRAWN_TEXT_LIMITS.label))) foreign = true;
  }
  const texts = [
    spec.title === undefined ? "" : drawnText(spec.title, DRAWN_TEXT_LIMITS.title),
    spec.xAxisName === undefined ? "" : drawnText(spec.xAxisName, DRAWN_TEXT_LIMITS.axisName),
    spec.yAxisName === undefined ? "" : drawnText(spec.yAxisName, DRAWN_TEXT_LIMITS.axisName),
  ];
  foreign ||= texts.some(outsideSubset);
  const labelChars = Math.min(drawn, MEASURED_LABELS) * longestLabel;
  const otherChars = texts.reduce((sum, text) => sum + text.length, 0);
  const chars = labelChars + otherChars;

  const parts: Array<[number, string, CostDriver]> = [
    [
      PER_POINT[spec.kind] * drawn,
      `${spec.points.length.toLocaleString("en-US")} points`,
      { key: "points", count: spec.points.length },
    ],
    [
      spec.kind === "line" && drawn <= SYMBOL_LIMIT ? PER_SYMBOL * drawn : 0,
      `a symbol on each of ${drawn} points`,
      { key: "symbols", count: drawn },
    ],
    [
      spec.kind === "bar" && drawn <= LARGE_BAR_THRESHOLD ? PER_SEPARATE_BAR * drawn : 0,
      `${drawn} separate bars`,
      { key: "bars", count: drawn },
    ],
    [
      PER_LABEL_CHAR * labelChars,
      `labels of up to ${longestLabel} characters`,
      { key: "labels", longest: longestLabel },
    ],
    [
      PER_TEXT_CHAR * otherChars,
      `${otherChars} characters of title and axis names`,
      { key: "text", chars: otherChars },
    ],
    [
      foreign ? FULL_FONTS + PER_CHAR_OUTSIDE_SUBSET * chars : 0,
      "text outside the Latin alphabet (drawn with the full fonts)",
      { key: "foreign" },
    ],
  ];
  const units = FIXED + parts.reduce((sum, [cost]) => sum + cost, 0);
  const ranked = parts.filter(([cost]) => cost > 0).sort((a, b) => b[0] - a[0]);
  return { units, drivers: ranked.map(([, what]) => what), causes: ranked.map(([, , cause]) => cause) };
}

/** Throws 422 too_costly, naming the estimate, the budget and what drives the cost, when the spec is over budget. */
export function refuseTooCostly(spec: ChartSpec, budget: number, field: string): void {
  const { units, drivers, causes } = estimateRenderCost(spec);
  if (units <= budget) return;
  const times = (value: number) => (Math.round(value * 10) / 10).toLocaleString("en-US");
  throw new TooCostlyError(
    "too_costly",
    `This chart would take too long to draw: about ${times(units)} times an ordinary chart, and the limit is ${times(budget)} ` +
      `(${drivers.slice(0, 3).join(", ")}). Try fewer rows, shorter labels or a shorter title.`,
    { field, cost: Math.round(units * 100) / 100, budget },
    { key: "tooCostly", units, budget, drivers: causes.slice(0, 3) },
  );
}
