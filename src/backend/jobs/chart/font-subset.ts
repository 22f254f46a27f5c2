// The characters the chart fonts' subsets carry (src/backend/jobs/chart/fonts/, made by scripts/subset-fonts.ts).
// resvg parses every font it is given on every render, and the full DejaVu Sans files (1.4 MB for regular and
// bold) cost ≈ 5 ms of a 1,000-point chart's ≈ 15; the subsets (≈ 50 KB each) cost ≈ 1 ms. Labels and titles are
// user text, though: when one has a character outside these ranges, the rasteriser falls back to the full fonts,
// so a chart never shows a missing-glyph box that the full font could have drawn. Both rasterisers (Node's and the
// backend Worker's) choose their fonts with svgTextCoveredBySubset.

/** Inclusive code point ranges: Latin (ASCII, Latin-1, Extended-A), dashes, quotes, bullet, ellipsis, euro, minus. */
export const SUBSET_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x2013, 0x2014],
  [0x2018, 0x201e],
  [0x2022, 0x2022],
  [0x2026, 0x2026],
  [0x20ac, 0x20ac],
  [0x2212, 0x2212],
];

/** True when every character of `text` is in the subsets (whitespace controls such as \n count as covered). */
function coveredBySubset(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x7f) continue; // the common case, without a range search
    if (!SUBSET_RANGES.some(([from, to]) => code >= from && code <= to)) return false;
  }
  return true;
}

// ECharts writes each label as one <text> element; markup inside it would be entities, decoded below.
const TEXT_CONTENT = /<text\b[^>]*>([^<]*)<\/text>/g;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi;

/** True when the subsets can draw every text of an SVG, so the full fonts need not be given to resvg. */
export function svgTextCoveredBySubset(svg: string): boolean {
  for (const match of svg.matchAll(TEXT_CONTENT)) {
    if (!coveredBySubset(decodeEntities(match[1] ?? ""))) return false;
  }
  return true;
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (entity, body: string) => {
    if (body[0] !== "#") return " "; // ECharts names only &amp; &lt; &gt; &quot; &apos;: ASCII
    const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}
