// Issue 19, item 1: every string the renderer draws is bounded and on one line, whichever way it reached the
// renderer. The first two cases are the issue's own CSV uploads, through the chart job and its CSV parser: a
// 120 KB header cell (`day,AAAA…`, 7.2 s to render where 0.3 s was usual) and a header of quoted line breaks (200 KB
// became a 16.9 MB SVG, each line a <text> of its own). The SVG is taken from the rasteriser seam, so what is
// checked is exactly what resvg would have been given. The last cases hand the renderer unbounded strings
// directly, bypassing every parser: the renderer enforces the bounds itself.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeBackend } from "../../../src/backend/index.ts";
import { renderChartSvg } from "../../../src/backend/jobs/chart/render.ts";
import { MAX_LABEL_LENGTH, MAX_TITLE_LENGTH } from "../../../src/shared/chart-data/points.ts";
import { NOW_MS, SECRET, logCollector, signedJobRequest, serveCsvFiles, type LocalServer } from "./support.ts";

const rows = Array.from({ length: 50 }, (_, i) => `d${i},${(i * 7) % 13}`).join("\n");
const FILES: Record<string, string> = {
  "/long-header.csv": `day,${"A".repeat(120 * 1024)}\n${rows}\n`,
  "/newline-header.csv": `day,"${"a\n".repeat(100 * 1024)}"\n${rows}\n`,
};

/** Every <text> element's content, in document order. ECharts writes one element per line of a string. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((match) => match[1] ?? "");
}

/** The <text> elements that share one position: a string drawn over several lines. */
function multiLineTexts(svg: string): string[] {
  const byPlace = new Map<string, number>();
  for (const match of svg.matchAll(/<text\b[^>]*transform="([^"]*)"[^>]*>/g))
    byPlace.set(match[1]!, (byPlace.get(match[1]!) ?? 0) + 1);
  return [...byPlace].filter(([, count]) => count > 1).map(([place]) => place);
}

let files: LocalServer;
beforeAll(async () => {
  files = await serveCsvFiles(FILES);
});
afterAll(() => files.close());

/** Runs the chart job on an uploaded CSV and returns the SVG the renderer handed to the rasteriser. */
async function svgOfUpload(path: string): Promise<string> {
  const svgs: string[] = [];
  const backend = createNodeBackend({
    relaySecret: SECRET,
    now: () => NOW_MS,
    log: logCollector().log,
    attachmentHosts: [files.host],
    rasterise: async (svg) => {
      svgs.push(svg);
      return { png: new Uint8Array([1]), width: 800, height: 450 };
    },
  });
  const response = await backend.fetch(
    await signedJobRequest("chart", { id: "1", input: { file: { url: `${files.origin}${path}?ex=1` } } }),
  );
  expect(response.status).toBe(200);
  expect(svgs).toHaveLength(1);
  return svgs[0]!;
}

describe("the renderer bounds what it draws (issue 19)", () => {
  it("draws the issue's 120 KB header cell (day,AAAA…) as an axis name of at most 100 characters", async () => {
    const svg = await svgOfUpload("/long-header.csv");
    const axisName = texts(svg).find((text) => text.startsWith("AAAA"));
    expect(axisName).toBe(`${"A".repeat(MAX_LABEL_LENGTH - 1)}…`);
    expect(svg.length).toBeLessThan(64 * 1024);
  }, 60_000);

  it("draws the issue's header of quoted line breaks on one line, not as 100,000 <text> elements", async () => {
    const svg = await svgOfUpload("/newline-header.csv");
    expect(multiLineTexts(svg)).toEqual([]);
    const axisName = texts(svg).find((text) => text.startsWith("a a"));
    expect(axisName).toBe(`${"a ".repeat(MAX_LABEL_LENGTH / 2 - 1)}a…`);
    expect(svg.length).toBeLessThan(64 * 1024);
  }, 60_000);

  it("enforces the bounds on strings that reach it without a parser: title, labels and axis names", () => {
    const huge = `${"x".repeat(50_000)}\n${"y".repeat(50_000)}`;
    const svg = renderChartSvg({
      kind: "bar",
      title: `Sales\r\nper\tday\u0000\u2028${huge}`,
      points: [
        { label: `first\nsecond\u0085third ${huge}`, value: 3 },
        { label: "plain", value: 5 },
      ],
      xAxisName: `x\n${huge}`,
      yAxisName: `y\u000b${huge}`,
    });
    expect(multiLineTexts(svg)).toEqual([]);
    for (const text of texts(svg)) {
      expect(text).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      expect(text.length).toBeLessThanOrEqual(Math.max(MAX_TITLE_LENGTH, MAX_LABEL_LENGTH));
    }
    const drawn = texts(svg);
    expect(drawn).toContain(`Sales per day ${"x".repeat(MAX_TITLE_LENGTH - "Sales per day ".length - 1)}…`);
    expect(drawn).toContain(`x ${"x".repeat(MAX_LABEL_LENGTH - 3)}…`);
    expect(drawn).toContain(`y ${"x".repeat(MAX_LABEL_LENGTH - 3)}…`);
    expect(svg.length).toBeLessThan(64 * 1024);
  });

  it("cuts before the last character rather than inside a surrogate pair", () => {
    const svg = renderChartSvg({
      kind: "line",
      title: `${"a".repeat(MAX_TITLE_LENGTH - 2)}😀😀`,
      points: [{ label: "a", value: 1 }],
    });
    expect(texts(svg)).toContain(`${"a".repeat(MAX_TITLE_LENGTH - 2)}…`);
  });
});
