// Rasterises on Node with resvg's native addon (@resvg/resvg-js). It is given the DejaVu fonts and told not to load
// system fonts, so text looks the same on a developer laptop and on a fresh server without any fonts installed.
// resvg-js 2.6 takes fonts only as files, and parses them on every render: it gets the Latin subsets of the fonts
// (fonts/, font-subset.ts) unless a text of the SVG needs a character they lack, then the full fonts of the
// dejavu-fonts-ttf package. The PNG is encoded by png.ts, faster than resvg's encoder.
//
// Both steps run on the event loop, not libuv's thread pool (renderAsync, zlib's async deflate): a chart is never
// more than 800×450 pixels and 800 drawn points (downsample.ts), so the work is bounded at a few milliseconds, and
// the two hops to the pool and back cost ≈ 1–2 ms of wall time on top of it (BENCHMARKS.md, "Backend render").
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { svgTextCoveredBySubset } from "./font-subset.ts";
import { deflateSync } from "node:zlib";
import { encodePng, isOpaqueColour } from "./png.ts";
import type { Rasterise } from "./rasterise.ts";

const require = createRequire(import.meta.url);
/** The two font sets, regular and bold each. */
export const FONT_FILES = {
  full: [
    require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
    require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
  ],
  subset: ["DejaVuSans-charts.ttf", "DejaVuSans-Bold-charts.ttf"].map((name) =>
    fileURLToPath(new URL(`./fonts/${name}`, import.meta.url)),
  ),
} as const;

/** The fonts an SVG needs: the subsets when they cover all of its text, else the full fonts. */
export function fontFilesFor(svg: string): readonly string[] {
  return svgTextCoveredBySubset(svg) ? FONT_FILES.subset : FONT_FILES.full;
}

// Level 1: a chart is mostly runs of one colour, which even the fastest level compresses well (png.ts).
const deflateFast = (raw: Uint8Array) => deflateSync(raw, { level: 1 });

export const rasteriseWithResvgNode: Rasterise = async (svg, options) => {
  const image = new Resvg(svg, {
    fitTo: { mode: "width", value: options.width },
    background: options.background,
    font: { fontFiles: [...fontFilesFor(svg)], loadSystemFonts: false, defaultFontFamily: options.defaultFontFamily },
  }).render();
  const png = await encodePng(image.pixels, image.width, image.height, {
    deflate: deflateFast,
    opaque: isOpaqueColour(options.background),
  });
  return { png, width: image.width, height: image.height };
};
