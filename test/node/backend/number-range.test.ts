// Numbers at the edges of a double (issue 19, item 2). The parsers both sides use (src/shared/chart-data) accept only
// what a chart can draw and summarise: 0, or a size from 1e-15 to 1e100. Below, ECharts cannot label the axis
// (`/chart values:0,1e-320` tripped its assertion: a 500); above, differences overflow (`-1.7e308,1.7e308` made
// `change` Infinity). Whatever the parsers accept, the summary is finite and the chart renders.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseValues } from "../../../src/shared/chart-data/values.ts";
import { parseCsv } from "../../../src/shared/chart-data/csv.ts";
import { computeStats } from "../../../src/backend/jobs/chart/stats.ts";
import { renderChartSvg } from "../../../src/backend/jobs/chart/render.ts";
import { InputError } from "../../../src/shared/http-error.ts";
import type { ChartStats } from "../../../src/shared/jobs/chart.ts";

function refusal(text: string): string {
  try {
    parseValues(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

/** The points `values` makes of these numbers, or undefined when it refuses them (with an InputError, nothing else). */
function acceptedValues(numbers: readonly number[]) {
  try {
    return parseValues(numbers.map(String).join(","));
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return undefined;
  }
}

function expectFinite(stats: ChartStats): void {
  for (const [name, value] of Object.entries(stats)) {
    if (name === "change_pct" && value === null) continue;
    expect(Number.isFinite(value), `${name} = ${value}`).toBe(true);
  }
}

describe("numbers a chart cannot draw are refused, naming the value", () => {
  it("refuses a subnormal value (ECharts' axis cannot label it)", () => {
    expect(refusal("0,1e-320")).toBe(
      'values: "1e-320" at position 2 is too close to zero to chart: give 0 or a number of size 1e-15 or more (scale the data to a smaller unit)',
    );
  });

  it("refuses values whose difference overflows", () => {
    expect(refusal("-1.7e308,1.7e308")).toBe(
      'values: "-1.7e308" at position 1 is too large to chart: the largest size is 1e100 (scale the data to a larger unit)',
    );
  });

  it("calls a number that overflows a double too large, not 'not a number'", () => {
    expect(refusal("1, 1e400")).toMatch(/^values: "1e400" at position 2 is too large to chart/);
  });

  it("accepts 0 and the bounds themselves, of either sign", () => {
    expect(parseValues("0, -0, 1e-15, -1e-15, 1e100, -1e100").map((point) => point.value)).toEqual([
      0, -0, 1e-15, -1e-15, 1e100, -1e100,
    ]);
    expect(refusal("9.99e-16")).toMatch(/too close to zero/);
    expect(refusal("-1.01e100")).toMatch(/too large/);
  });

  it("leaves a CSV row with such a value out, with the reason, and keeps the rest", () => {
    const chart = parseCsv("day,value\nmon,1\ntue,1e-320\nwed,-1.7e308\nthu,2\n");
    expect(chart.points.map((point) => point.value)).toEqual([1, 2]);
    expect(chart.skipped).toEqual([
      {
        line: 3,
        reason:
          '"1e-320" is too close to zero to chart: give 0 or a number of size 1e-15 or more (scale the data to a smaller unit)',
      },
      {
        line: 4,
        reason: '"-1.7e308" is too large to chart: the largest size is 1e100 (scale the data to a larger unit)',
      },
    ]);
  });

  it("treats an out-of-range first row as data, not as a header", () => {
    const chart = parseCsv("1e400\n5\n");
    expect(chart.header).toBeNull();
    expect(chart.skipped).toEqual([{ line: 1, reason: expect.stringMatching(/^"1e400" is too large to chart/) }]);
  });
});

describe("whatever the parsers accept is summarised in finite numbers and renders", () => {
  // Any double, subnormals, ±MAX_VALUE and ±Infinity included (fast-check favours those edges), in any order.
  const anyDoubles = fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 40 });

  it("values: accepted → every statistic finite (property)", () => {
    fc.assert(
      fc.property(anyDoubles, (numbers) => {
        const points = acceptedValues(numbers);
        if (points === undefined) return;
        expectFinite(computeStats(points));
      }),
      { numRuns: 2_000 },
    );
  });

  it("CSV: accepted rows → every statistic finite (property)", () => {
    fc.assert(
      fc.property(anyDoubles, (numbers) => {
        let points;
        try {
          points = parseCsv(numbers.map(String).join("\n")).points;
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          return;
        }
        expectFinite(computeStats(points));
      }),
      { numRuns: 2_000 },
    );
  });

  // The extremes a chart can hold, as bars (which start at zero) and as lines (fitted to the data's own range).
  it.each([
    ["the smallest size beside zero", "0, 1e-15"],
    ["only the smallest sizes", "1e-15, -1e-15, 2e-15"],
    ["the largest sizes, of both signs", "-1e100, 1e100"],
    ["the smallest and the largest", "1e-15, 1e100"],
    ["the largest negative to the smallest negative", "-1e100, -1e-15"],
  ])("renders %s (%s) as a line and as a bar chart, with finite statistics", (_name, text) => {
    const points = parseValues(text);
    expectFinite(computeStats(points));
    for (const kind of ["line", "bar"] as const) expect(renderChartSvg({ kind, points })).toMatch(/^<svg /);
  });

  // A line chart's axis is fitted to the data: values that differ by less than ECharts can label (1e-20 apart here)
  // tripped its axis assertion, a 500, although each value alone is within range.
  it.each([
    ["two values 1e-20 apart", "0.000001, 0.00000100000000000001"],
    ["neighbouring doubles near 1", "1, 1.0000000000000002"],
    ["neighbouring doubles near the largest size", "9.999999999999999e99, 1e100"],
  ])("renders %s (%s) as a line and as a bar chart", (_name, text) => {
    const points = parseValues(text);
    for (const kind of ["line", "bar"] as const) expect(renderChartSvg({ kind, points })).toMatch(/^<svg /);
  });

  it("renders whatever values accepts, however close together, as a line and a bar chart (property)", () => {
    // A base anywhere in the range, and points a few units in the last place from it.
    const base = fc.oneof(
      fc.constantFrom(1e-15, 1e-6, 1, 1e100, -1e-6),
      fc.double({ min: -1e100, max: 1e100, noNaN: true }),
    );
    fc.assert(
      fc.property(base, fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 6 }), (start, steps) => {
        const numbers = [start, ...steps.map((step) => start * (1 + step * Number.EPSILON))];
        const points = acceptedValues(numbers);
        if (points === undefined) return;
        for (const kind of ["line", "bar"] as const) expect(renderChartSvg({ kind, points })).toMatch(/^<svg /);
      }),
      { numRuns: 150 },
    );
  });
});
