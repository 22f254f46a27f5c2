// The chart's cost estimate (render-cost.ts): an ordinary chart is about one unit, the estimate grows with what
// makes a render costly, every chart within the documented limits fits the default budget (the bench measures
// that the renders themselves do, BENCHMARKS.md "Render cost"), and the chart job refuses a chart over the budget
// before drawing it. Over HTTP on both backends: test/support/backend-contract.ts.

import { describe, expect, it } from "vitest";
import { createNodeBackend } from "../../../src/backend/index.ts";
import { DEFAULT_RENDER_BUDGET, estimateRenderCost } from "../../../src/backend/jobs/chart/render-cost.ts";
import type { ChartSpec } from "../../../src/backend/jobs/chart/render.ts";
import {
  MAX_LABEL_LENGTH,
  MAX_POINTS,
  MAX_TITLE_LENGTH,
  MAX_VALUES_POINTS,
} from "../../../src/shared/chart-data/points.ts";
import { series } from "../../../bench/render-series.ts";
import { NOW_MS, SECRET, errorOf, logCollector, signedJobRequest } from "./support.ts";

const ordinary: ChartSpec = { kind: "line", points: series(1_000), title: "1,000 points" };
const text = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const points = (count: number, label: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({ label: label(i), value: Math.sin(i) }));

describe("estimateRenderCost", () => {
  it("puts an ordinary chart (a 1,000-point line, short labels and title) at about one unit", () => {
    expect(estimateRenderCost(ordinary).units).toBeGreaterThan(0.8);
    expect(estimateRenderCost(ordinary).units).toBeLessThan(1.3);
  });

  it("grows with points, label length, title, axis names and text outside the font subsets", () => {
    const cost = (spec: ChartSpec) => estimateRenderCost(spec).units;
    const base: ChartSpec = { kind: "bar", points: points(100, (i) => `d${i}`) };
    expect(cost({ ...base, points: points(5_000, (i) => `d${i}`) })).toBeGreaterThan(cost(base));
    expect(cost({ ...base, points: points(100, (i) => text("W", 90) + i) })).toBeGreaterThan(cost(base));
    expect(cost({ ...base, title: text("W", 100) })).toBeGreaterThan(cost(base));
    expect(cost({ ...base, xAxisName: text("W", 100), yAxisName: text("W", 100) })).toBeGreaterThan(cost(base));
    expect(cost({ ...base, title: "Продажи" })).toBeGreaterThan(cost({ ...base, title: "Sales 12" }));
  });

  it("counts strings as the renderer draws them: a 120 KB title costs what a 100-character one does", () => {
    const title = text("A", MAX_TITLE_LENGTH);
    expect(estimateRenderCost({ ...ordinary, title: text("A", 120 * 1024) }).units).toBe(
      estimateRenderCost({ ...ordinary, title }).units,
    );
  });

  it("keeps every chart within the documented limits within the default budget", () => {
    const worst: ChartSpec[] = [];
    for (const kind of ["line", "bar"] as const) {
      for (const count of [10, 60, 500, MAX_VALUES_POINTS, MAX_POINTS]) {
        for (const script of ["W", "مرحبا بالعالم ", "漢字", "a\u0301\u0302"]) {
          const long = text(script, MAX_LABEL_LENGTH);
          worst.push({
            kind,
            points: points(count, () => long),
            title: text(script, MAX_TITLE_LENGTH),
            xAxisName: long,
            yAxisName: long,
          });
        }
      }
    }
    for (const spec of worst)
      expect(estimateRenderCost(spec).units, `${spec.kind} ${spec.points.length}`).toBeLessThanOrEqual(
        DEFAULT_RENDER_BUDGET,
      );
  });

  it("names what makes a chart costly, largest part first", () => {
    const many = estimateRenderCost({ kind: "bar", points: points(MAX_POINTS, (i) => `d${i}`), title: "Weekly" });
    expect(many.drivers[0]).toBe("10,000 points");
    const worded = estimateRenderCost({
      kind: "bar",
      points: points(3, (i) => `d${i}`),
      title: text("W", 100),
      xAxisName: text("W", 100),
      yAxisName: text("W", 100),
    });
    expect(worded.drivers[0]).toBe("300 characters of title and axis names");
    const foreign = estimateRenderCost({ kind: "bar", points: points(3, (i) => `d${i}`), title: "Продажи" });
    expect(foreign.drivers[0]).toBe("text outside the Latin alphabet (drawn with the full fonts)");
  });
});

describe("the chart job and the budget", () => {
  it("refuses a chart over the budget with 422 too_costly before anything is drawn", async () => {
    const drawn: ChartSpec[] = [];
    const backend = createNodeBackend({
      relaySecret: SECRET,
      now: () => NOW_MS,
      log: logCollector().log,
      renderBudget: 1,
      drawChart: async (spec) => {
        drawn.push(spec);
        return { png: new Uint8Array([1]), width: 800, height: 450 };
      },
    });
    const input = { kind: "bar", title: text("W", 100), points: points(MAX_POINTS, (i) => `${text("W", 95)}${i}`) };
    const response = await backend.fetch(await signedJobRequest("chart", { id: "1", input }));
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({ code: "too_costly", field: "points", retriable: false, budget: 1 });
    expect(drawn).toEqual([]);

    const small = await backend.fetch(await signedJobRequest("chart", { id: "2", input: { values: "1, 2, 3" } }));
    expect(small.status).toBe(200);
    expect(drawn).toHaveLength(1);
  });
});
