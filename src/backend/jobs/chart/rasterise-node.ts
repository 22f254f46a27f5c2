// Rasterises on Node with resvg's native addon (@resvg/resvg-js). It is given the DejaVu fonts from the
// dejavu-fonts-ttf package and told not to load system fonts, so text looks the same on a developer laptop and on
// a fresh server without any fonts installed. renderAsync runs on libuv's thread pool instead of blocking the
// event loop.

import { createRequire } from "node:module";
import { renderAsync } from "@resvg/resvg-js";
import type { Rasterise } from "./rasterise.ts";

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
];

export const rasteriseWithResvgNode: Rasterise = async (svg, options) => {
  const image = await renderAsync(svg, {
    fitTo: { mode: "width", value: options.width },
    background: options.background,
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: options.defaultFontFamily },
  });
  return { png: image.asPng(), width: image.width, height: image.height };
};
