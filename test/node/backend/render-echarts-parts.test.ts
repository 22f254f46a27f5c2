// render.ts registers only the ECharts parts the two charts use (echarts/core). An option that needs a part left
// out is no error: ECharts warns once per process and draws something else (without LegacyGridContainLabel,
// `grid.containLabel` is ignored and the axis labels move). So every chart shape must render without a word from
// ECharts, and this file must be the first in its process to render (vitest runs each file in its own module
// graph), which is why it stands alone.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { renderChartSvg, type ChartSpec } from "../../../src/backend/jobs/chart/render.ts";

const said: unknown[][] = [];
beforeAll(() => {
  for (const level of ["warn", "error", "log", "info"] as const)
    vi.spyOn(console, level).mockImplementation((...args) => void said.push(args));
});
afterAll(() => vi.restoreAllMocks());

const wave = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ label: `day ${i + 1}`, value: Math.sin(i / 7) * 40 + (i % 5) - 10 }));

const shapes: ChartSpec[] = [];
for (const kind of ["line", "bar"] as const) {
  for (const count of [1, 10, 61, 1_000, 10_000]) {
    shapes.push(
      { kind, points: wave(count) },
      { kind, points: wave(count), title: "A title", xAxisName: "day", yAxisName: "value" },
    );
  }
}

describe("render: the ECharts parts registered", () => {
  it("draws every chart shape (both kinds, 1 to 10,000 points, with and without title and axis names) without a warning", () => {
    for (const spec of shapes) expect(renderChartSvg(spec)).toMatch(/^<svg /);
    expect(said).toEqual([]);
  });
});
