import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseValues } from "../../../src/shared/chart-data/values.ts";
import { readNumber } from "../../../src/shared/chart-data/number.ts";
import { InputError } from "../../../src/backend/errors.ts";
import { chartableDouble } from "./support.ts";

function parseError(text: string): InputError {
  try {
    parseValues(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

/** The value read, or undefined when the text is not a number at all. */
function parseNumber(text: string, decimalComma?: boolean): number | undefined {
  const reading = readNumber(text, decimalComma);
  if (reading.ok) return reading.value;
  expect(reading.notANumber).toBe(true);
  return undefined;
}

describe("readNumber", () => {
  it.each([
    ["12", 12],
    ["-3.5", -3.5],
    ["+4", 4],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["2.5E-2", 0.025],
    ["  7  ", 7],
  ])("reads %j as %d", (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it.each(["", " ", "abc", "12abc", "0x10", "1_000", "1,5", "Infinity", "NaN", "--1", "."])("refuses %j", (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });

  it("reads a decimal comma only when asked", () => {
    expect(parseNumber("1,5", true)).toBe(1.5);
    expect(parseNumber("-0,25", true)).toBe(-0.25);
    expect(parseNumber("1.5", true)).toBe(1.5);
    expect(parseNumber("1,5,0", true)).toBeUndefined();
  });
});

describe("parseValues", () => {
  it("reads plain numbers, labelling them by position", () => {
    expect(parseValues("3, 5, 8")).toEqual([
      { label: "1", value: 3 },
      { label: "2", value: 5 },
      { label: "3", value: 8 },
    ]);
  });

  it("reads label=number pairs, tolerating whitespace everywhere", () => {
    expect(parseValues("  mon = 3 ,tue=5,\twed =  -1.5 ")).toEqual([
      { label: "mon", value: 3 },
      { label: "tue", value: 5 },
      { label: "wed", value: -1.5 },
    ]);
  });

  it("skips empty entries from stray commas", () => {
    expect(parseValues("1,,2, ,3,").map((point) => point.value)).toEqual([1, 2, 3]);
  });

  it("names the offending entry by position", () => {
    const error = parseError("1, 2, abc, 4");
    expect(error.field).toBe("values");
    expect(error.status).toBe(422);
    expect(error.message).toBe('values: "abc" at position 3 is not a number');
  });

  it("hints at commas when numbers are separated by spaces", () => {
    expect(parseError("1 2 3").message).toBe(
      'values: "1 2 3" at position 1 is not a number (separate numbers with commas)',
    );
  });

  it("rejects a missing label or value in a pair", () => {
    expect(parseError("=3").message).toBe('values: "=3" at position 1 has no label before "="');
    expect(parseError("a=1, b=").message).toBe('values: "b=" at position 2 is not a number');
  });

  it("rejects numbers that overflow as too large, not as not numbers", () => {
    expect(parseError("1, 1e400").message).toBe(
      'values: "1e400" at position 2 is too large to chart: the largest size is 1e100 (scale the data to a larger unit)',
    );
    expect(parseError("1, 1e999 2").message).toBe(
      'values: "1e999 2" at position 2 is not a number (separate numbers with commas)',
    );
  });

  it("rejects empty input", () => {
    expect(parseError(" , ,").message).toMatch(/^values: no numbers found/);
  });

  it("allows 1,000 numbers and refuses 1,001", () => {
    expect(parseValues(Array(1000).fill("1").join(","))).toHaveLength(1000);
    expect(parseError(Array(1001).fill("1").join(",")).message).toBe(
      "values: 1001 numbers given; the limit is 1,000 — attach a CSV file for more",
    );
  });

  it("cuts labels over 100 characters", () => {
    const [point] = parseValues(`${"x".repeat(150)}=1`);
    expect(point?.label).toHaveLength(100);
    expect(point?.label.endsWith("…")).toBe(true);
  });

  it("throws nothing but InputError, and returns only finite numbers (property)", () => {
    const entry = fc.oneof(
      fc.string(),
      fc.double().map(String),
      fc.tuple(fc.string(), fc.double()).map(([label, value]) => `${label}=${value}`),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(entry, { maxLength: 30 }).map((entries) => entries.join(",")),
        ),
        (text) => {
          try {
            const points = parseValues(text);
            expect(points.length).toBeGreaterThan(0);
            for (const point of points) expect(Number.isFinite(point.value)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            expect((error as InputError).field).toBe("values");
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("round-trips any list of numbers a chart can hold (property)", () => {
    fc.assert(
      fc.property(fc.array(chartableDouble, { minLength: 1, maxLength: 50 }), (numbers) => {
        const points = parseValues(numbers.map(String).join(", "));
        expect(points.map((point) => point.value)).toEqual(
          numbers.map((n) => (n === 0 ? 0 : n)) /* String(-0) is "0" */,
        );
      }),
    );
  });
});
