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
import { coveredBySubset } from "./font-subset.ts";
import { encodePng } from "./png.ts";
import type { Rasterise } from "./rasterise.ts";

const require = createRequire(import.meta.url);
/** The two font sets, regular and bold each. */
export const FONT_FILES = {
  full: [require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"), require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")],
  subset: ["DejaVuSans-charts.ttf", "DejaVuSans-Bold-charts.ttf"].map((name) => fileURLToPath(new URL(`./fonts/${name}`, import.meta.url))),
} as const;

// ECharts writes each label as one <text> element; markup inside it would be entities, decoded below.
const TEXT_CONTENT = /<text\b[^>]*>([^<]*)<\/text>/g;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

/** The fonts an SVG needs: the subsets when they cover all of its text, else the full fonts. */
export function fontFilesFor(svg: string): readonly string[] {
  for (const match of svg.matchAll(TEXT_CONTENT)) {
    if (!coveredBySubset(decodeEntities(match[1] ?? ""))) return FONT_FILES.full;
  }
  return FONT_FILES.subset;
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (entity, body: string) => {
    if (body[0] !== "#") return " "; // ECharts names only &amp; &lt; &gt; &quot; &apos;: ASCII
    const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

// A background of #rgb or #rrggbb is opaque, and so is every pixel resvg composites onto it.
const OPAQUE_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export const rasteriseWithResvgNode: Rasterise = async (svg, options) => {
  const image = new Resvg(svg, {
    fitTo: { mode: "width", value: options.width },
    background: options.background,
    font: { fontFiles: [...fontFilesFor(svg)], loadSystemFonts: false, defaultFontFamily: options.defaultFontFamily },
  }).render();
  const png = encodePng(image.pixels, image.width, image.height, { opaque: OPAQUE_COLOUR.test(options.background) });
  return { png, width: image.width, height: image.height };
};
