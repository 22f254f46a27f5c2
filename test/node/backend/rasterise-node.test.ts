// The Node rasteriser's speed measures must not change what a chart looks like: the font subsets draw covered text
// exactly as the full fonts do and give way to them for other characters, and the PNG encoder's output decodes to
// the pixels resvg drew.

import { Buffer } from "node:buffer";
import { crc32, deflateSync, inflateSync } from "node:zlib";
import { Resvg, renderAsync } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { FONT_FILES, fontFilesFor, rasteriseWithResvgNode } from "../../../src/backend/jobs/chart/rasterise-node.ts";
import { encodePng } from "../../../src/backend/jobs/chart/png.ts";
import { renderChartSvg } from "../../../src/backend/jobs/chart/render.ts";
import { pngSize } from "./support.ts";

const text = (content: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="28" style="font-size:18px;font-family:DejaVu Sans;">${content}</text></svg>`;

async function pixels(svg: string, fontFiles: readonly string[]): Promise<Buffer> {
  const image = await renderAsync(svg, {
    background: "#2b2d31",
    font: { fontFiles: [...fontFiles], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
  });
  return image.pixels;
}

/** Decodes a PNG of filter-0 rows (what encodePng writes): the chunks, their CRCs, and the raw RGBA. */
function decode(png: Uint8Array): { width: number; height: number; rgba: Buffer } {
  const bytes = Buffer.from(png);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    expect(bytes.readUInt32BE(offset + 8 + length)).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)));
    if (type === "IHDR") [width, height] = [body.readUInt32BE(0), body.readUInt32BE(4)];
    if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

describe("Node rasteriser: font subsets", () => {
  it("draws a chart's covered text with the subsets pixel for pixel as with the full fonts", async () => {
    const svg = renderChartSvg({
      kind: "bar",
      title: "Ventes – été 2026 (€, “net”)",
      points: [
        { label: "Ça coûte", value: 12.5 },
        { label: "Æble…", value: -3 },
        { label: "Zürich", value: 7 },
      ],
    });
    expect(fontFilesFor(svg)).toBe(FONT_FILES.subset);
    expect((await pixels(svg, FONT_FILES.subset)).equals(await pixels(svg, FONT_FILES.full))).toBe(true);
  });

  it.each([
    ["Cyrillic", "Продажи"],
    ["Greek, as an entity", "&#x3A3; &#931;"],
    ["an arrow", "→ up"],
  ])("uses the full fonts when a text has a character the subsets lack (%s)", async (_name, content) => {
    expect(fontFilesFor(text(content))).toBe(FONT_FILES.full);
    expect((await pixels(text(content), FONT_FILES.full)).equals(await pixels(text(content), FONT_FILES.subset))).toBe(
      false,
    );
  });

  it("keeps the subsets for markup and escaped ASCII", () => {
    expect(fontFilesFor(text("a &amp; b &lt; c &#39;d&#x27;"))).toBe(FONT_FILES.subset);
  });
});

describe("Node rasteriser: PNG", () => {
  it("encodes exactly the pixels resvg drew, in a valid PNG of the requested width", async () => {
    const svg = renderChartSvg({
      kind: "line",
      title: "PNG",
      points: Array.from({ length: 50 }, (_, i) => ({ label: String(i), value: Math.sin(i / 5) })),
    });
    const image = await rasteriseWithResvgNode(svg, {
      width: 800,
      background: "#2b2d31",
      defaultFontFamily: "DejaVu Sans",
    });
    expect(pngSize(image.png)).toEqual({ width: 800, height: 450 });
    const decoded = decode(image.png);
    expect(decoded.rgba.equals(await pixels(svg, FONT_FILES.subset))).toBe(true);
  });

  it("stores straight colour for translucent pixels (resvg's are premultiplied)", async () => {
    const premultiplied = new Uint8Array([100, 50, 0, 200, 0, 0, 0, 0, 10, 20, 30, 255, 128, 128, 128, 128]);
    const { rgba } = decode(await encodePng(premultiplied, 2, 2, { deflate: deflateSync }));
    expect([...rgba]).toEqual([128, 64, 0, 200, 0, 0, 0, 0, 10, 20, 30, 255, 255, 255, 255, 128]);
  });

  it("stores straight colour when the chart's background is translucent (no opaque shortcut)", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"><rect x="2" width="2" height="2" fill="#0000ff" fill-opacity="0.5"/></svg>';
    const { rgba } = decode(
      (await rasteriseWithResvgNode(svg, { width: 4, background: "#ff000080", defaultFontFamily: "DejaVu Sans" })).png,
    );
    expect([...rgba.subarray(0, 4)]).toEqual([255, 0, 0, 128]); // the background alone: premultiplied it would be 128, 0, 0
    expect(rgba[3 + 8]).toBeGreaterThan(128); // the rectangle over it is more opaque, and still stored straight
    expect(rgba[2 + 8]! + rgba[0 + 8]!).toBeGreaterThan(250);
  });

  it("writes the same file with the opaque shortcut as without it, for an opaque image", async () => {
    const svg = renderChartSvg({
      kind: "bar",
      title: "Opaque",
      points: [
        { label: "a", value: 1 },
        { label: "b", value: 3 },
      ],
    });
    const image = new Resvg(svg, {
      background: "#2b2d31",
      font: { fontFiles: [...FONT_FILES.subset], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
    }).render();
    const scanned = await encodePng(image.pixels, image.width, image.height, { deflate: deflateSync });
    expect(
      Buffer.from(
        await encodePng(image.pixels, image.width, image.height, { deflate: deflateSync, opaque: true }),
      ).equals(Buffer.from(scanned)),
    ).toBe(true);
  });

  it("refuses pixels that do not match the size", async () => {
    await expect(encodePng(new Uint8Array(12), 2, 2, { deflate: deflateSync })).rejects.toThrow(/not 2×2 RGBA/);
  });
});
