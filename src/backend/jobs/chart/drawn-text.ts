// The bounds on every string a chart draws. Each one is user text: the title, CSV header cells (the axis names) and
// data labels. Their cost grows with them: ECharts measures every character and writes each line of a string as a
// <text> element of its own, and resvg shapes every character it is given. Issue 19 measured it: a 120 KB header
// cell took 7.2 s to render instead of 0.3 s (about quadratic: 200 KB took 26.8 s), and a header of 100,000 quoted
// line breaks made a 16.9 MB SVG. The parsers cut what they produce (points.ts' displayLabel), but strings reach the
// renderer by other ways too (stored points re-rendered, a future parser, another job), so the renderer does not
// trust them: render.ts passes everything it hands to ECharts through drawnText, and nothing else reaches ECharts.
//
// What a drawn string is: one line (line breaks, tabs and every other control character become a space, so
// "a\nb" reads "a b", not "ab"), trimmed, at most `max` UTF-16 units, cut with an ellipsis and never inside a
// surrogate pair (half an emoji would draw as a replacement box).

import { MAX_LABEL_LENGTH, MAX_TITLE_LENGTH } from "../../../shared/chart-data/points.ts";

/** The same limits the parsers apply (a 100-character title or label), and header cells are labels. */
export const DRAWN_TEXT_LIMITS = {
  title: MAX_TITLE_LENGTH,
  label: MAX_LABEL_LENGTH,
  axisName: MAX_LABEL_LENGTH,
} as const;

// Cc: C0 and C1 controls (\t \n \r \v \f, NUL, NEL …); Zl, Zp: the Unicode line and paragraph separators, which a
// text layout also breaks on. One class with `+`, so a run collapses to one space in a single linear pass (no
// backtracking, whatever the input).
const BREAKS_AND_CONTROLS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

export function drawnText(text: string, max: number): string {
  const line = text.replace(BREAKS_AND_CONTROLS, " ").trim();
  if (line.length <= max) return line;
  let end = max - 1; // room for the ellipsis
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${line.slice(0, end).trimEnd()}…`;
}
