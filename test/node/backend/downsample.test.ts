// Sampling before ECharts keeps what a chart shows: every point when they fit the canvas, and otherwise the ends,
// the extremes and the order of the data.

import { describe, expect, it } from "vitest";
import { MAX_DRAWN_POINTS, pointsToDraw } from "../../../src/backend/jobs/chart/downsample.ts";
import { renderChartSvg } from "../../../src/backend/jobs/chart/render.ts";
import type { Point } from "../../../src/shared/chart-data/points.ts";

const wave = (count: number): Point[] =>
  Array.from({ length: count }, (_, i) => ({ label: `p${i}`, value: Math.sin(i / 50) * 10 + (i % 7) }));
const indexOf = (point: Point) => Number(point.label.slice(1));

describe("pointsToDraw", () => {
  it.each(["line", "bar"] as const)("keeps every %s point when they fit the canvas", (kind) => {
    const points = wave(MAX_DRAWN_POINTS);
    expect(pointsToDraw(points, kind)).toBe(points);
  });

  it.each(["line", "bar"] as const)(
    "gives a %s chart of 10,000 points at most one point per pixel column, in order, extremes included",
    (kind) => {
      const points = wave(10_000);
      points[4_321] = { label: "p4321", value: 1_000 }; // a spike
      points[7_654] = { label: "p7654", value: -1_000 }; // a dip
      const drawn = pointsToDraw(points, kind);
      expect(drawn.length).toBeLessThanOrEqual(MAX_DRAWN_POINTS);
      expect(drawn.length).toBeGreaterThan(MAX_DRAWN_POINTS * 0.9);
      const indices = drawn.map(indexOf);
      expect(indices).toEqual([...indices].sort((a, b) => a - b));
      expect(new Set(indices).size).toBe(indices.length);
      expect(indices).toEqual(expect.arrayContaining([4_321, 7_654]));
      if (kind === "line") expect([indices[0], indices.at(-1)]).toEqual([0, 9_999]);
    },
  );

  it("draws many bars without anti-aliased edges, and a few bars and every line with", () => {
    expect(renderChartSvg({ kind: "bar", points: wave(1_000) })).toMatch(/^<svg shape-rendering="crispEdges" /);
    expect(renderChartSvg({ kind: "bar", points: wave(10) })).not.toContain("crispEdges");
    expect(renderChartSvg({ kind: "line", points: wave(1_000) })).not.toContain("crispEdges");
  });
});
