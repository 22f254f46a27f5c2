// The chart job end to end through the backend's fetch handler: output shape, a real PNG, stats, both kinds,
// stored points for re-renders, skipped CSV rows, and the 10,000-point ceiling.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import { createNodeBackend, type ChartResult } from "../../../src/backend/index.ts";
import { renderChartSvg } from "../../../src/backend/jobs/chart/render.ts";
import { NOW_MS, SECRET, logCollector, pngSize, signedJobRequest, serveCsvFiles, type LocalServer } from "./support.ts";

const FILES: Record<string, string> = {
  // Header on line 1, blank rows on lines 4 (empty) and 6 (empty cells), a trailing blank line (not reported).
  "/gaps.csv": "month,sales\r\njan,3\r\nfeb,5\r\n\r\nmar,2\r\n,\r\napr,8\r\n\r\n",
  // Header on line 1, a blank line 3, and a bad value on line 4: the whole file is refused, naming line 4.
  "/bad-row.csv": "month,sales\njan,3\n\nfeb,n/a\nmar,2\n",
};
let files: LocalServer;

beforeAll(async () => {
  files = await serveCsvFiles(FILES);
});

afterAll(() => files.close());

async function postChart(input: unknown, id = "42"): Promise<Response> {
  const backend = createNodeBackend({
    relaySecret: SECRET,
    now: () => NOW_MS,
    log: logCollector().log,
    attachmentHosts: [files.host],
  });
  return backend.fetch(await signedJobRequest("chart", { id, input }));
}

async function runChart(
  input: unknown,
  id = "42",
): Promise<{ status: number; body: { id: string; result: ChartResult } }> {
  const response = await postChart(input, id);
  return { status: response.status, body: (await response.json()) as { id: string; result: ChartResult } };
}

function decodePng(result: ChartResult): Uint8Array {
  return new Uint8Array(Buffer.from(result.png, "base64"));
}

describe("chart job", () => {
  it("renders values to an 800×450 PNG with stats and the parsed points", async () => {
    const { status, body } = await runChart({ title: "Weekly sales", values: "mon=3, tue=5, wed=2, thu=8" });
    expect(status).toBe(200);
    expect(body.id).toBe("42");
    const { result } = body;
    expect(result.kind).toBe("line");
    expect(result.width).toBe(800);
    expect(result.height).toBe(450);
    expect(result.stats).toEqual({
      count: 4,
      min: 2,
      max: 8,
      mean: 4.5,
      first: 3,
      last: 8,
      change: 5,
      change_pct: (5 / 3) * 100,
    });
    expect(result.points).toEqual([
      { label: "mon", value: 3 },
      { label: "tue", value: 5 },
      { label: "wed", value: 2 },
      { label: "thu", value: 8 },
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.skippedCount).toBe(0);
    const png = decodePng(result);
    expect(png.byteLength).toBeGreaterThan(5 * 1024);
    expect(pngSize(png)).toEqual({ width: 800, height: 450 });
  });

  it("renders a bar chart", async () => {
    const { status, body } = await runChart({ kind: "bar", values: "1, 4, 9, 16" });
    expect(status).toBe(200);
    expect(body.result.kind).toBe("bar");
    expect(pngSize(decodePng(body.result))).toEqual({ width: 800, height: 450 });
  });

  it("re-renders stored points (the Worker's re-render path) to the same stats", async () => {
    const first = await runChart({ values: "a=1, b=-2.5, c=7" });
    const again = await runChart({ kind: "bar", title: "Again", points: first.body.result.points });
    expect(again.status).toBe(200);
    expect(again.body.result.points).toEqual(first.body.result.points);
    expect(again.body.result.stats).toEqual(first.body.result.stats);
  });

  it("reports the blank rows it skipped in a CSV with a header, by line in the file and why", async () => {
    const { status, body } = await runChart({ kind: "bar", file: { url: `${files.origin}/gaps.csv` } });
    expect(status).toBe(200);
    expect(body.result.points.map((point) => point.label)).toEqual(["jan", "feb", "mar", "apr"]);
    expect(body.result.skipped).toEqual([
      { line: 4, reason: "a blank line" },
      { line: 6, reason: "a row of empty cells" },
    ]);
    expect(body.result.skippedCount).toBe(2);
  });

  it("charts a CSV around its unreadable row and lists it with its line, counted from the header", async () => {
    const response = await postChart({ kind: "line", file: { url: `${files.origin}/bad-row.csv` } });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as {
      result: { points: unknown[]; skipped: unknown[]; skippedCount: number };
    };
    expect(result.points).toEqual([
      { label: "jan", value: 3 },
      { label: "mar", value: 2 },
    ]);
    expect(result.skipped).toEqual([
      { line: 3, reason: "a blank line" },
      { line: 4, reason: '"n/a" is not a number' },
    ]);
    expect(result.skippedCount).toBe(2);
  });

  it("reports change_pct as null when the series starts at 0", async () => {
    const { body } = await runChart({ values: "0, 5" });
    expect(body.result.stats.change_pct).toBeNull();
    expect(body.result.stats.change).toBe(5);
  });

  it.each(["line", "bar"] as const)("renders 10,000 points as a %s chart", async (kind) => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({
      label: `p${i}`,
      value: Math.sin(i / 100) * 50 + i / 100,
    }));
    const started = performance.now();
    const { status, body } = await runChart({ kind, points });
    expect(status).toBe(200);
    expect(body.result.stats.count).toBe(10_000);
    expect(pngSize(decodePng(body.result))).toEqual({ width: 800, height: 450 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("refuses 10,001 points", async () => {
    const points = Array.from({ length: 10_001 }, (_, i) => ({ label: String(i), value: i }));
    const { status } = await runChart({ points });
    expect(status).toBe(422);
  });

  it("draws labels with markup characters as text (escaped in the SVG)", () => {
    const svg = renderChartSvg({ kind: "line", title: 'A <b>&"title"', points: [{ label: "<x>&", value: 1 }] });
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&lt;b&gt;");
  });

  it("uses the DejaVu font family, with animation off, in the SVG", () => {
    const svg = renderChartSvg({
      kind: "line",
      title: "T",
      points: [
        { label: "a", value: 1 },
        { label: "b", value: 2 },
      ],
    });
    expect(svg).toContain("DejaVu Sans");
    expect(svg).not.toMatch(/<animate/);
  });
});
