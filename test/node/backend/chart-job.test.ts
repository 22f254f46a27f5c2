// The chart job end to end through the backend's fetch handler: output shape, a real PNG, stats, both kinds,
// stored points for re-renders, and the 10,000-point ceiling.

import { describe, expect, it } from "vitest";
import { Buffer } from "node:buffer";
import { createBackend, type ChartOutput } from "../../../src/backend/index.ts";
import { renderChartSvg } from "../../../src/backend/jobs/chart/render.ts";
import { NOW_MS, SECRET, logCollector, pngSize, signedJobRequest } from "./support.ts";

async function runChart(input: unknown, id = "42"): Promise<{ status: number; body: { id: string; result: ChartOutput } }> {
  const backend = createBackend({ relaySecret: SECRET, now: () => NOW_MS, log: logCollector().log });
  const response = await backend.fetch(await signedJobRequest("chart", { id, input }));
  return { status: response.status, body: (await response.json()) as { id: string; result: ChartOutput } };
}

function decodePng(result: ChartOutput): Uint8Array {
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
      count: 4, min: 2, max: 8, mean: 4.5, first: 3, last: 8, change: 5, change_pct: (5 / 3) * 100,
    });
    expect(result.points).toEqual([
      { label: "mon", value: 3 },
      { label: "tue", value: 5 },
      { label: "wed", value: 2 },
      { label: "thu", value: 8 },
    ]);
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

  it("reports change_pct as null when the series starts at 0", async () => {
    const { body } = await runChart({ values: "0, 5" });
    expect(body.result.stats.change_pct).toBeNull();
    expect(body.result.stats.change).toBe(5);
  });

  it.each(["line", "bar"] as const)("renders 10,000 points as a %s chart", async (kind) => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ label: `p${i}`, value: Math.sin(i / 100) * 50 + i / 100 }));
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
    const svg = renderChartSvg({ kind: "line", title: "T", points: [{ label: "a", value: 1 }, { label: "b", value: 2 }] });
    expect(svg).toContain("DejaVu Sans");
    expect(svg).not.toMatch(/<animate/);
  });
});
