// Where a chart is drawn: a function from a chart spec to a PNG, chosen by the entry point as the rasteriser is. The
// backend Worker draws in the request's own isolate (drawInThisThread with resvg's WebAssembly build): workerd has no
// threads to hand work to, and bills and limits each request's CPU on its own (DEPLOYMENT.md says what happens at the
// limit). The Node server draws on worker threads (render-pool.ts), so the event loop that answers /health and every
// other request never runs a render. Jobs reach it through JobContext.drawChart and do not know which it is.

import { renderChart, type ChartSpec } from "./render.ts";
import type { RasterImage, Rasterise } from "./rasterise.ts";

export type DrawChart = (spec: ChartSpec) => Promise<RasterImage>;

/** Draws on the calling thread: the backend Worker, render-thread.ts inside a Node render thread, and in-process tests. */
export function drawInThisThread(rasterise: Rasterise): DrawChart {
  return (spec) => renderChart(spec, rasterise);
}
