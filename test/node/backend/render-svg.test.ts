// What render.ts trims from ECharts' SVG before resvg sees it (the line series' clip path and the CSS hover rules,
// BENCHMARKS.md "Backend render") must not change what a chart looks like: each chart is rasterised from ECharts'
// own SVG and from the trimmed one, and no channel of any pixel may differ by more than 1/255 (drawing through
// resvg's clip mask rounds some anti-aliased edge pixels of the line one step differently; a missing or moved
// shape differs by far more).

import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { FONT_FILES } from "../../../src/backend/jobs/chart/rasterise-node.ts";
import { echartsSvg, renderChartSvg, type ChartSpec } from "../../../src/backend/jobs/chart/render.ts";

const pixels = (svg: string) =>
  new Resvg(svg, {
    fitTo: { mode: "width", value: 800 },
    background: "#2b2d31",
    font: { fontFiles: [...FONT_FILES.subset], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
  }).render().pixels;

/** The largest difference of any channel of any pixel between two same-sized images. */
function maxDifference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

const wave = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, i) => ({ label: `day ${i + 1}`, value: offset + Math.sin(i / 7) * 40 + (i % 5) }));

const charts: Array<[string, ChartSpec]> = [
  ["a titled 10-point line with symbols", { kind: "line", title: "Ten points", points: wave(10) }],
  [
    "a 1,000-point line crossing zero, with axis names",
    { kind: "line", title: "Load", points: wave(1_000, -10), xAxisName: "day", yAxisName: "req/s" },
  ],
  [
    "a line whose extremes touch the plot's edges",
    {
      kind: "line",
      points: [
        { label: "a", value: 0 },
        { label: "b", value: 1e6 },
        { label: "c", value: -1e6 },
      ],
    },
  ],
  ["a bar chart", { kind: "bar", title: "Bars", points: wave(12, 50) }],
];

describe("render: the SVG handed to resvg", () => {
  it.each(charts)("draws %s as ECharts' own SVG does", (_name, spec) => {
    const original = echartsSvg(spec);
    const lean = renderChartSvg(spec);
    expect(lean).not.toMatch(/clip-path=|<style/);
    expect(maxDifference(pixels(lean), pixels(original))).toBeLessThanOrEqual(1);
  });

  it("trims what ECharts really writes (a clip path around the line, a hover stylesheet)", () => {
    const original = echartsSvg(charts[0]![1]);
    expect(original).toMatch(/<g clip-path="url\(#[^)]+\)">/);
    expect(original).toMatch(/<style[^>]*><!\[CDATA\[[^\]]*:hover/);
    expect(renderChartSvg(charts[0]![1]).length).toBeLessThan(original.length);
  });

  it("would notice a changed image", () => {
    const drawn = renderChartSvg({ kind: "line", points: wave(10) });
    expect(
      maxDifference(
        pixels(drawn),
        pixels(drawn.replace(/<path d="M[^"]*" fill="none"[^>]*stroke-width="2"[^>]*><\/path>/, "")),
      ),
    ).toBeGreaterThan(64); // the line itself removed
    expect(
      maxDifference(pixels(drawn), pixels(renderChartSvg({ kind: "line", points: wave(10).reverse() }))),
    ).toBeGreaterThan(64);
  });
});
