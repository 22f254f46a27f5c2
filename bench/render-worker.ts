// bench/render.ts's charts drawn in workerd, the way the backend Worker draws them (render.ts's ECharts SVG, then
// rasterise-wasm.ts: resvg's WebAssembly build and the bundled fonts), without the job's HTTP contract around
// them. GET /render?kind=line&points=1000 answers the PNG; any other path answers at once, so the bench can
// subtract what a request costs by itself. Built with wrangler.backend.toml's rules (bench/render-workerd.ts).
//
// For bench/render-adversarial.ts: PUT /spec?key=k stores a chart spec (JSON) once, so GET /render?key=k measures
// its render without parsing a megabyte of JSON each time; GET /spin?n=N computes for N iterations without a pause,
// to see what workerd does with a request that runs past cpu_ms (a Worker's clock stands still while it computes,
// so the loop counts iterations, not milliseconds).

import { renderChart, type ChartKind, type ChartSpec } from "../src/backend/jobs/chart/render.ts";
import { rasteriseWithResvgWasm } from "../src/backend/jobs/chart/rasterise-wasm.ts";
import { chartTitle, series } from "./render-series.ts";

// As in the Node bench, the data is made once per chart, outside what is measured.
const specs = new Map<string, ChartSpec>();

function spin(iterations: number): number {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (x * 31 + i) % 1_000_003;
  return x;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/spec" && request.method === "PUT") {
      specs.set(`spec/${url.searchParams.get("key")}`, await request.json());
      return new Response("stored");
    }
    if (url.pathname === "/spin") return new Response(String(spin(Number(url.searchParams.get("n")))));
    if (url.pathname !== "/render") return new Response("ok");
    const stored = url.searchParams.get("key");
    let spec: ChartSpec | undefined;
    if (stored !== null) {
      spec = specs.get(`spec/${stored}`);
      if (!spec) return new Response(`no spec ${stored}`, { status: 404 });
    } else {
      const kind: ChartKind = url.searchParams.get("kind") === "bar" ? "bar" : "line";
      const count = Number(url.searchParams.get("points"));
      const key = `${kind}/${count}`;
      spec = specs.get(key);
      if (!spec) specs.set(key, (spec = { kind, points: series(count), title: chartTitle(count) }));
    }
    const image = await renderChart(spec, rasteriseWithResvgWasm);
    return new Response(image.png, { headers: { "content-type": "image/png" } });
  },
} satisfies ExportedHandler;
