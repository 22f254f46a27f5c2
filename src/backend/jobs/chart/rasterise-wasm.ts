// Rasterises in workerd with resvg's WebAssembly build (@resvg/resvg-wasm, the same resvg 2.6.2 as the Node
// addon). workerd cannot compile WebAssembly from bytes at run time, so wrangler bundles the .wasm file as a
// compiled module (the import below) and initWasm instantiates it once per isolate. The DejaVu fonts come from the
// same dejavu-fonts-ttf package as on Node, bundled as Data modules (wrangler.backend.toml's rules): a Worker has
// no font files to load, and the same fonts keep the two runtimes' PNGs alike.

import { Resvg, initWasm } from "@resvg/resvg-wasm";
import resvgWasm from "@resvg/resvg-wasm/index_bg.wasm";
import dejaVuSans from "dejavu-fonts-ttf/ttf/DejaVuSans.ttf";
import dejaVuSansBold from "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf";
import type { Rasterise } from "./rasterise.ts";

const FONT_BUFFERS = [new Uint8Array(dejaVuSans), new Uint8Array(dejaVuSansBold)];
let ready: Promise<void> | undefined;

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
    font: { fontBuffers: FONT_BUFFERS, defaultFontFamily: options.defaultFontFamily },
  });
  try {
    const image = resvg.render();
    try {
      return { png: image.asPng(), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
};
