import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { computeStats } from "../../../src/backend/jobs/chart/stats.ts";

const points = (...values: number[]) => values.map((value, i) => ({ label: String(i + 1), value }));

describe("computeStats", () => {
  it("summarises a series", () => {
    expect(computeStats(points(4, 10, 2, 8))).toEqual({
      count: 4,
      min: 2,
      max: 10,
      mean: 6,
      first: 4,
      last: 8,
      change: 4,
      change_pct: 100,
    });
  });

  it("handles a single point", () => {
    expect(computeStats(points(5))).toEqual({
      count: 1,
      min: 5,
      max: 5,
      mean: 5,
      first: 5,
      last: 5,
      change: 0,
      change_pct: 0,
    });
  });

  it("gives a null change_pct when the first value is 0", () => {
    expect(computeStats(points(0, 5)).change_pct).toBeNull();
  });

  it("measures change_pct against |first|, so a rise from a negative start is positive", () => {
    expect(computeStats(points(-10, -5)).change_pct).toBe(50);
    expect(computeStats(points(10, 5)).change_pct).toBe(-50);
  });

  it("keeps the mean finite for values near the float limit", () => {
    const stats = computeStats(points(1.5e308, 1.5e308));
    expect(stats.mean).toBeCloseTo(1.5e308, -300);
    expect(Number.isFinite(stats.mean)).toBe(true);
  });

  it("refuses an empty series with a namespaced error", () => {
    expect(() => computeStats([])).toThrow("backend(chart.stats): no points to summarise");
  });

  it("min ≤ mean ≤ max and first/last match the ends (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }), { minLength: 1 }),
        (values) => {
          const stats = computeStats(points(...values));
          expect(stats.count).toBe(values.length);
          expect(stats.min).toBe(Math.min(...values));
          expect(stats.max).toBe(Math.max(...values));
          expect(stats.mean).toBeGreaterThanOrEqual(stats.min - 1e-3);
          expect(stats.mean).toBeLessThanOrEqual(stats.max + 1e-3);
          expect(stats.first).toBe(values[0]);
          expect(stats.last).toBe(values[values.length - 1]);
        },
      ),
    );
  });
});
