// Fewer points for ECharts when there are more than the canvas has pixel columns. ECharts samples too (lttb for
// lines, minmax for bars), but only after building its model, category axis and labels for every point: for
// 10,000 points that was most of the SVG step. Sampling the same way first gives it at most MAX_DRAWN_POINTS.
// Pixels stay faithful: a line keeps the points LTTB picks (peaks and troughs survive), bars keep each bucket's
// lowest and highest value in order, which is all a pixel column of bars can show.

import type { Point } from "../../../shared/chart-data/points.ts";
import { CHART_RENDERING } from "../../../shared/jobs/chart.ts";
import type { ChartKind } from "../../../shared/jobs/chart.ts";

/** No plot is wider than the canvas, so no chart shows more points than it has pixel columns. */
export const MAX_DRAWN_POINTS = CHART_RENDERING.width;

export function pointsToDraw(points: readonly Point[], kind: ChartKind): readonly Point[] {
  if (points.length <= MAX_DRAWN_POINTS) return points;
  return kind === "line"
    ? largestTriangleThreeBuckets(points, MAX_DRAWN_POINTS)
    : bucketMinMax(points, MAX_DRAWN_POINTS);
}

/** Steinarsson's LTTB: first and last points, then per bucket the point making the largest triangle. */
function largestTriangleThreeBuckets(points: readonly Point[], target: number): Point[] {
  const sampled: Point[] = [points[0]!];
  const every = (points.length - 2) / (target - 2);
  let previous = 0;
  for (let bucket = 0; bucket < target - 2; bucket++) {
    const start = Math.floor(bucket * every) + 1;
    const end = Math.min(Math.floor((bucket + 1) * every) + 1, points.length - 1);
    // The next bucket's average is the triangle's third corner.
    const nextEnd = Math.min(Math.floor((bucket + 2) * every) + 1, points.length);
    let averageX = 0;
    let averageY = 0;
    for (let i = end; i < nextEnd; i++) {
      averageX += i;
      averageY += points[i]!.value;
    }
    const count = Math.max(1, nextEnd - end);
    averageX /= count;
    averageY /= count;
    const anchorY = points[previous]!.value;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const area = Math.abs(
        (previous - averageX) * (points[i]!.value - anchorY) - (previous - i) * (averageY - anchorY),
      );
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    sampled.push(points[best]!);
    previous = best;
  }
  sampled.push(points[points.length - 1]!);
  return sampled;
}

/** Each of target/2 buckets gives its lowest and its highest point, in their original order. */
function bucketMinMax(points: readonly Point[], target: number): Point[] {
  const buckets = Math.floor(target / 2);
  const sampled: Point[] = [];
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = Math.floor((bucket * points.length) / buckets);
    const end = Math.floor(((bucket + 1) * points.length) / buckets);
    let low = start;
    let high = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i]!.value < points[low]!.value) low = i;
      if (points[i]!.value > points[high]!.value) high = i;
    }
    if (low === high) sampled.push(points[low]!);
    else sampled.push(points[Math.min(low, high)]!, points[Math.max(low, high)]!);
  }
  return sampled;
}
