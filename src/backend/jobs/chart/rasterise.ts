// The seam between drawing a chart (render.ts: ECharts builds an SVG, the same in every runtime) and turning that
// SVG into a PNG, which needs a runtime-specific resvg: the native addon on Node (rasterise-node.ts) or the
// WebAssembly build in workerd (the backend Worker's entry). The entry point picks one and hands it to
// createBackend; jobs reach it through their JobContext, so no shared backend module imports either build.

export interface RasteriseOptions {
  /** Output width in pixels; the SVG is scaled to fit it and the height follows its aspect ratio. */
  width: number;
  /** CSS colour painted under the SVG (PNG has no page background of its own). */
  background: string;
  /** Family used for text whose font-family is missing or unknown; the implementation bundles it. */
  defaultFontFamily: string;
}

export interface RasterImage {
  png: Uint8Array;
  width: number;
  height: number;
}

export type Rasterise = (svg: string, options: RasteriseOptions) => Promise<RasterImage>;
