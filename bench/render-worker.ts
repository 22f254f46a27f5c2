// bench/render.ts's charts drawn in workerd, the way the backend Worker draws them (render.ts's ECharts SVG, then
// rasterise-wasm.ts: resvg's WebAssembly build and the bundled fonts), without the job's HTTP contract around
// them. GET /render?kind=line&points=1000 answers the PNG; any other path answers at once, so the bench can
// subtract what a request costs by itself. Built with wrangler.backend.toml's rules (bench/render-workerd.ts).

import { renderChart, type ChartKind, type ChartSpec } from "../src/backend/jobs/chart/render.ts";
import { rasteriseWithResvgWasm } from "../src/backend/jobs/chart/rasterise-wasm.ts";
import { chartTitle, series } from "./render-series.ts";

// As in the Node bench, the data is made once per chart, outside what is measured.
const specs = new Map<string, ChartSpec>();

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname !== "/render") return new Response("ok");
    const kind: ChartKind = url.searchParams.get("kind") === "bar" ? "bar" : "line";
    const count = Number(url.searchParams.get("points"));
    const key = `${kind}/${count}`;
    let spec = specs.get(key);
    if (!spec) specs.set(key, (spec = { kind, points: series(count), title: chartTitle(count) }));
    const image = await renderChart(spec, rasteriseWithResvgWasm);
    return new Response(image.png, { headers: { "content-type": "image/png" } });
  },
} satisfies ExportedHandler;
