// Draws chart points to a PNG: ECharts' server-side SVG renderer builds the SVG (no DOM, no canvas, any JS
// runtime), and the runtime's rasteriser (rasterise.ts: resvg native on Node, resvg WebAssembly in workerd)
// turns it into pixels with the bundled DejaVu fonts.

import * as echarts from "echarts/core";
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from "echarts/charts";
import { GridComponent, TitleComponent, type GridComponentOption, type TitleComponentOption } from "echarts/components";
import { LegacyGridContainLabel } from "echarts/features";
import { SVGRenderer } from "echarts/renderers";

// Only what the two charts use, rather than all of ECharts: every chart type and component registered adds its
// processors to each setOption, ≈ 0.5–1 ms of the SVG step (and less code for the backend Worker to load).
// LegacyGridContainLabel keeps `grid.containLabel`'s layout, so the pixels stay those of CHART_RENDERING.version.
echarts.use([LineChart, BarChart, GridComponent, TitleComponent, LegacyGridContainLabel, SVGRenderer]);
import type { RasterImage, Rasterise } from "./rasterise.ts";
import type { Point } from "../../../shared/chart-data/points.ts";
import { MIN_CHART_SIZE } from "../../../shared/chart-data/number.ts";
import { pointsToDraw } from "./downsample.ts";
import { DRAWN_TEXT_LIMITS, drawnText } from "./drawn-text.ts";
import { CHART_RENDERING, type ChartKind } from "../../../shared/jobs/chart.ts";

export type { ChartKind }; // bench/render.ts imports it from here

export interface ChartSpec {
  kind: ChartKind;
  points: readonly Point[];
  title?: string;
  /** Axis captions, e.g. from a CSV header row. */
  xAxisName?: string;
  yAxisName?: string;
}

// The size (and the version to bump when the pixels change) is shared with the Worker, whose chart cache keys on it.
const { width: CHART_WIDTH, height: CHART_HEIGHT } = CHART_RENDERING;

const FONT_FAMILY = "DejaVu Sans";

// Discord's dark theme: message background, primary and muted text, separators, blurple accent.
const THEME = {
  background: "#2b2d31",
  text: "#f2f3f5",
  mutedText: "#b5bac1",
  gridLine: "#3f4147",
  axisLine: "#4e5058",
  accent: "#5865f2",
} as const;

// Above this many points, per-point symbols are noise and cost render time.
const SYMBOL_LIMIT = 60;

/** The option type of exactly what is registered above: a feature used but not registered is a type error. */
type ChartOption = echarts.ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | TitleComponentOption
>;

/** Whether a line's axis can be fitted to its values: one value, or a spread of at least MIN_CHART_SIZE. */
function fitsOwnRange(points: readonly Point[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const { value } of points) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return max === min || max - min >= MIN_CHART_SIZE;
}

function chartOption(spec: ChartSpec): ChartOption {
  const many = spec.points.length > SYMBOL_LIMIT;
  const axisName = { color: THEME.mutedText, fontFamily: FONT_FAMILY, fontSize: 12 };
  const series: LineSeriesOption | BarSeriesOption =
    spec.kind === "bar"
      ? {
          type: "bar",
          data: spec.points.map((point) => point.value),
          itemStyle: { color: THEME.accent },
          // Draws all bars as one path, and keeps only each pixel column's min and max: with more bars than
          // pixels the rest are invisible anyway, and rasterising 10,000 sub-pixel bars costs ~200 ms.
          large: true,
          largeThreshold: 500,
          sampling: "minmax",
          barMinWidth: 2,
          barCategoryGap: many ? "0%" : "20%",
          // The axes are fitted to the data, so nothing needs clipping; resvg draws a clip path through a
          // full-canvas mask, which cost ≈ 3–7 ms a chart.
          clip: false,
        }
      : {
          type: "line",
          data: spec.points.map((point) => point.value),
          lineStyle: { color: THEME.accent, width: 2 },
          itemStyle: { color: THEME.accent },
          symbol: "circle",
          showSymbol: !many,
          symbolSize: 6,
          // Largest-triangle-three-buckets keeps peaks while drawing about one point per pixel.
          sampling: "lttb",
          clip: false, // as for bars
        };
  return {
    animation: false,
    backgroundColor: THEME.background,
    textStyle: { fontFamily: FONT_FAMILY, color: THEME.text },
    title: spec.title
      ? {
          text: spec.title,
          left: "center",
          top: 14,
          textStyle: { color: THEME.text, fontFamily: FONT_FAMILY, fontSize: 18, fontWeight: "bold" },
        }
      : undefined,
    grid: { left: 24, right: 32, top: spec.title ? 64 : 32, bottom: spec.xAxisName ? 44 : 24, containLabel: true },
    xAxis: {
      type: "category",
      data: spec.points.map((point) => point.label),
      name: spec.xAxisName,
      nameLocation: "middle",
      nameGap: 30,
      nameTextStyle: axisName,
      boundaryGap: spec.kind === "bar",
      axisLine: { lineStyle: { color: THEME.axisLine } },
      axisTick: { show: false },
      axisLabel: {
        color: THEME.mutedText,
        fontFamily: FONT_FAMILY,
        hideOverlap: true,
        width: 90,
        overflow: "truncate",
      },
    },
    yAxis: {
      type: "value",
      name: spec.yAxisName,
      nameTextStyle: { ...axisName, align: "left" },
      // Bars must start at zero to be honest; a line reads better fitted to its own range, unless that range is
      // narrower than ECharts can label (its ticks carry at most 20 decimals: two values 1e-20 apart failed its
      // axis assertion, a 500). Such a line is drawn from zero, as flat as its values are to the eye.
      scale: spec.kind === "line" && fitsOwnRange(spec.points),
      axisLine: { show: false },
      splitLine: { lineStyle: { color: THEME.gridLine } },
      axisLabel: { color: THEME.mutedText, fontFamily: FONT_FAMILY },
    },
    series: [series],
  };
}

// ECharts wraps a line series in a clip path even with `clip: false` (it widens the clip rectangle instead, for the
// entry animation), and resvg draws any clip path through a full-canvas mask: ≈ 2–3 ms of a line chart's render.
// The axes are fitted to the data, so that clip never cuts a pixel (test/node/backend/render-svg.test.ts compares
// the pixels); the reference is dropped and the unused <clipPath> definition costs nothing.
const CLIP_REFERENCE = / clip-path="url\(#[^)"]*\)"/g;
// ECharts' SSR output carries CSS hover rules for the browser; a PNG has no hover, and resvg parses the stylesheet.
const HOVER_STYLESHEET = /<style\b[^>]*><!\[CDATA\[[^\]]*:hover[^\]]*\]\]>\s*<\/style>/;

/**
 * Renders the SVG string only; exported for tests and the benchmark's breakdown. A new ECharts instance per
 * chart: init and dispose cost ≈ 0.05 ms, and an instance kept between charts keeps zrender's animation timer
 * running and its state between renders.
 */
export function renderChartSvg(spec: ChartSpec): string {
  return leanSvg(echartsSvg(spec), spec);
}

/** ECharts' SVG exactly as it renders it, before leanSvg; exported for the test that compares the two. */
export function echartsSvg(spec: ChartSpec): string {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption(chartOption(drawable(spec)));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * The spec as ECharts may see it, and the one way a spec reaches chartOption: at most MAX_DRAWN_POINTS points
 * (downsample.ts), and every string on one line and bounded (drawn-text.ts), whatever path it took to get here.
 */
function drawable(spec: ChartSpec): ChartSpec {
  const optional = (text: string | undefined, max: number) =>
    text === undefined ? undefined : drawnText(text, max) || undefined;
  return {
    kind: spec.kind,
    points: pointsToDraw(spec.points, spec.kind).map((point) => ({
      label: drawnText(point.label, DRAWN_TEXT_LIMITS.label),
      value: point.value,
    })),
    title: optional(spec.title, DRAWN_TEXT_LIMITS.title),
    xAxisName: optional(spec.xAxisName, DRAWN_TEXT_LIMITS.axisName),
    yAxisName: optional(spec.yAxisName, DRAWN_TEXT_LIMITS.axisName),
  };
}

/** What resvg would spend time on without drawing a different pixel: see CLIP_REFERENCE and HOVER_STYLESHEET. */
function leanSvg(svg: string, spec: ChartSpec): string {
  const lean = svg.replace(CLIP_REFERENCE, "").replace(HOVER_STYLESHEET, "");
  // Hundreds of bars a pixel or two wide: anti-aliasing their edges costs resvg ≈ 5 ms and shows nothing (each
  // edge falls on a pixel column either way); text is not a shape, and stays smooth.
  return spec.kind === "bar" && spec.points.length > SYMBOL_LIMIT
    ? lean.replace("<svg ", '<svg shape-rendering="crispEdges" ')
    : lean;
}

export function renderChart(spec: ChartSpec, rasterise: Rasterise): Promise<RasterImage> {
  return rasterise(renderChartSvg(spec), {
    width: CHART_WIDTH,
    background: THEME.background,
    defaultFontFamily: FONT_FAMILY,
  });
}
