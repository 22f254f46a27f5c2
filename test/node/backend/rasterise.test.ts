// The rasteriser seam: the chart job draws through whatever Rasterise the entry point gave createBackend, with
// the chart's own width, background and font, so Node (resvg-js) and the backend Worker (resvg-wasm) differ only
// in that one function.

import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { createNodeBackend, type ChartResult, type RasteriseOptions } from "../../../src/backend/index.ts";
import { rasteriseWithResvgNode } from "../../../src/backend/jobs/chart/rasterise-node.ts";
import { NOW_MS, SECRET, logCollector, pngSize, signedJobRequest } from "./support.ts";

describe("chart rasteriser seam", () => {
  it("renders through the rasteriser passed to createBackend", async () => {
    const calls: Array<{ svg: string; options: RasteriseOptions }> = [];
    const backend = createNodeBackend({
      relaySecret: SECRET,
      now: () => NOW_MS,
      log: logCollector().log,
      rasterise: async (svg, options) => {
        calls.push({ svg, options });
        return { png: new Uint8Array([1, 2, 3]), width: 7, height: 5 };
      },
    });
    const response = await backend.fetch(await signedJobRequest("chart", { id: "1", input: { values: "a=1, b=2" } }));
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: ChartResult };
    expect(result).toMatchObject({ png: Buffer.from([1, 2, 3]).toString("base64"), width: 7, height: 5 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.svg).toMatch(/^<svg/);
    expect(calls[0]?.options).toEqual({ width: 800, background: "#2b2d31", defaultFontFamily: "DejaVu Sans" });
  });

  it("rasterises an SVG to a PNG of the requested width on Node", async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15">Hi</text></svg>';
    const image = await rasteriseWithResvgNode(svg, {
      width: 80,
      background: "#000000",
      defaultFontFamily: "DejaVu Sans",
    });
    expect({ width: image.width, height: image.height }).toEqual({ width: 80, height: 40 });
    expect(pngSize(image.png)).toEqual({ width: 80, height: 40 });
  });
});
