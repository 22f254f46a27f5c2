// Summary numbers returned with every chart, so the Worker can write "min 3, max 12, +40 %" in the message
// without re-reading the data. `change_pct` is relative to |first| (so -10 → -5 reads as +50 %) and null when
// first is 0, where a percentage has no meaning.

import type { Point } from "../../../shared/chart-data/points.ts";
import type { ChartStats } from "../../../shared/jobs/chart.ts";

/** `points` must be non-empty: every parser rejects empty data before this runs. */
export function computeStats(points: readonly Point[]): ChartStats {
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined) throw new Error("backend(chart.stats): no points to summarise");
  let min = first.value;
  let max = first.value;
  let sum = 0;
  for (const { value } of points) {
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  const change = last.value - first.value;
  return {
    count: points.length,
    min,
    max,
    mean: Number.isFinite(sum) ? sum / points.length : overflowSafeMean(points),
    first: first.value,
    last: last.value,
    change,
    change_pct: first.value === 0 ? null : (change / Math.abs(first.value)) * 100,
  };
}

// Values near ±1.8e308 can overflow a plain sum; dividing first keeps every term, and the total, finite.
function overflowSafeMean(points: readonly Point[]): number {
  let mean = 0;
  for (const { value } of points) mean += value / points.length;
  return mean;
}
