// The charts bench/render.ts draws, in every runtime it measures (Node in-process, workerd through
// bench/render-worker.ts) and matplotlib (bench/reference/matplotlib_render.py computes the same formula).

import type { Point } from "../src/shared/chart-data/points.ts";

/** Deterministic, wiggly data: a trend, a slow wave and some jitter, like real metrics. */
export function series(count: number): Point[] {
  return Array.from({ length: count }, (_, i) => ({
    label: `2026-01-${String(i + 1).padStart(5, "0")}`,
    value: 100 + i * 0.01 + Math.sin(i / 40) * 25 + Math.sin(i * 12.9898) * 5,
  }));
}

export const chartTitle = (count: number): string => `${count.toLocaleString("en-US")} points`;
