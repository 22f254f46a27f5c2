// Rasterises in workerd with resvg's WebAssembly build (@resvg/resvg-wasm, the same resvg 2.6.2 as the Node
// addon). workerd cannot compile WebAssembly from bytes at run time, so wrangler bundles the .wasm file as a
// compiled module (the import below) and initWasm instantiates it once per isolate. The fonts are bundled as Data
// modules (wrangler.backend.toml's rules): a Worker has no font files to load. As on Node (rasterise-node.ts),
// resvg parses the fonts it is given on every render (≈ 7 ms for the full DejaVu fonts in WebAssembly, ≈ 1 ms for
// the Latin subsets), so it gets the subsets unless a text needs a character they lack, then the full fonts of the
// dejavu-fonts-ttf package: the same fonts as Node's, which keeps the two runtimes' PNGs alike. The PNG is encoded
// by png.ts, deflated by workerd's native zlib at level 1 as on Node: resvg's own encoder costs ≈ 10 ms in
// WebAssembly, CompressionStream (a web standard, but zlib's default level 6 and no way to choose) ≈ 3.5 ms, this
// ≈ 1 ms. A Worker is billed for its CPU time, and this is a fifth of a small chart's. It is the one Node API the
// backend Worker uses (nodejs_compat in wrangler.backend.toml; worker-portable.test.ts allows it here only).

import { deflateSync } from "node:zlib";
import { Resvg, initWasm } from "@resvg/resvg-wasm";
import resvgWasm from "@resvg/resvg-wasm/index_bg.wasm";
import dejaVuSans from "dejavu-fonts-ttf/ttf/DejaVuSans.ttf";
import dejaVuSansBold from "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf";
import dejaVuSansSubset from "./fonts/DejaVuSans-charts.ttf";
import dejaVuSansBoldSubset from "./fonts/DejaVuSans-Bold-charts.ttf";
import { svgTextCoveredBySubset } from "./font-subset.ts";
import { encodePng, isOpaqueColour } from "./png.ts";
import type { Rasterise } from "./rasterise.ts";

const FONT_BUFFERS = {
  full: [new Uint8Array(dejaVuSans), new Uint8Array(dejaVuSansBold)],
  subset: [new Uint8Array(dejaVuSansSubset), new Uint8Array(dejaVuSansBoldSubset)],
};
let ready: Promise<void> | undefined;

// zlib format (RFC 1950), what a PNG's IDAT holds; level 1, as on Node (rasterise-node.ts): a chart is mostly runs
// of one colour, which even the fastest level compresses well.
const deflate = (raw: Uint8Array) => deflateSync(raw, { level: 1 });

export const rasteriseWithResvgWasm: Rasterise = async (svg, options) => {
  // A failed init is not kept: the next job tries again rather than failing for the isolate's lifetime.
  ready ??= initWasm(resvgWasm).catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  await ready;
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: options.width },
    background: options.background,
    font: {
      fontBuffers: svgTextCoveredBySubset(svg) ? FONT_BUFFERS.subset : FONT_BUFFERS.full,
      defaultFontFamily: options.defaultFontFamily,
    },
  });
  let pixels: Uint8Array;
  let width: number;
  let height: number;
  try {
    const image = resvg.render();
    try {
      ({ pixels, width, height } = image);
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
  return {
    png: await encodePng(pixels, width, height, { deflate, opaque: isOpaqueColour(options.background) }),
    width,
    height,
  };
};
