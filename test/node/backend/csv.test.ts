import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseCsv } from "../../../src/shared/chart-data/csv.ts";
import { MAX_LABEL_LENGTH } from "../../../src/shared/chart-data/points.ts";
import { InputError } from "../../../src/backend/errors.ts";
import { chartableDouble } from "./support.ts";

function values(text: string): number[] {
  return parseCsv(text).points.map((point) => point.value);
}

function csvError(text: string, maxRows?: number): string {
  try {
    parseCsv(text, maxRows);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe("file");
    return (error as InputError).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

function skippedOf(text: string) {
  const chart = parseCsv(text);
  return { values: chart.points.map((p) => p.value), skipped: chart.skipped, skippedCount: chart.skippedCount };
}

describe("parseCsv: shapes", () => {
  it("reads one column of values, labelling rows by position", () => {
    expect(parseCsv("3\n5\n8\n")).toEqual({
      points: [
        { label: "1", value: 3 },
        { label: "2", value: 5 },
        { label: "3", value: 8 },
      ],
      header: null,
      delimiter: ",",
      skipped: [],
      skippedProblems: [],
      skippedCount: 0,
    });
  });

  it("reads label,value pairs", () => {
    expect(parseCsv("jan,10\nfeb,12.5\n").points).toEqual([
      { label: "jan", value: 10 },
      { label: "feb", value: 12.5 },
    ]);
  });

  it("detects a header row when the first value is not a number", () => {
    const chart = parseCsv("month,sales\njan,10\nfeb,12\n");
    expect(chart.header).toEqual({ label: "month", value: "sales" });
    expect(chart.points.map((point) => point.label)).toEqual(["jan", "feb"]);
  });

  it("cuts long header cells as it cuts labels (they become axis names; issue 19's was 120 KB)", () => {
    const long = "A".repeat(120 * 1024);
    const chart = parseCsv(`${long},${long}\nx,1\n`);
    expect(chart.header).toEqual({
      label: `${"A".repeat(MAX_LABEL_LENGTH - 1)}…`,
      value: `${"A".repeat(MAX_LABEL_LENGTH - 1)}…`,
    });
    expect(parseCsv(`${long}\n1\n`).header).toEqual({ value: `${"A".repeat(MAX_LABEL_LENGTH - 1)}…` });
  });

  it("detects a one-column header", () => {
    const chart = parseCsv("temperature\n21\n22\n");
    expect(chart.header).toEqual({ value: "temperature" });
    expect(chart.points.map((point) => point.value)).toEqual([21, 22]);
  });

  it("treats a numeric first row as data", () => {
    expect(parseCsv("2020,5\n2021,7\n").header).toBeNull();
    expect(values("2020,5\n2021,7\n")).toEqual([5, 7]);
  });

  it("numbers rows with an empty label by position", () => {
    expect(parseCsv(",4\nb,5\n").points.map((point) => point.label)).toEqual(["1", "b"]);
  });
});

describe("parseCsv: dialects", () => {
  it("strips a UTF-8 byte order mark", () => {
    const chart = parseCsv("\uFEFFname,value\na,1\n");
    expect(chart.header).toEqual({ label: "name", value: "value" });
  });

  it("accepts CRLF, CR and LF line ends, mixed", () => {
    expect(values("a,1\r\nb,2\rc,3\nd,4")).toEqual([1, 2, 3, 4]);
  });

  it("skips blank lines, whitespace-only lines and rows of empty cells", () => {
    expect(values("\n\na,1\n\n   \n,\nb,2\n\n")).toEqual([1, 2]);
  });

  it("trims whitespace around cells", () => {
    expect(parseCsv("  a  ,  1  \n").points).toEqual([{ label: "a", value: 1 }]);
  });

  it("reads semicolons with decimal commas (European spreadsheets)", () => {
    const chart = parseCsv("a;1,5\nb;-2,25\nc;3\n");
    expect(chart.delimiter).toBe(";");
    expect(chart.points).toEqual([
      { label: "a", value: 1.5 },
      { label: "b", value: -2.25 },
      { label: "c", value: 3 },
    ]);
  });

  it("reads tab-separated files", () => {
    const chart = parseCsv("a\t1\nb\t2\n");
    expect(chart.delimiter).toBe("\t");
    expect(values("a\t1\nb\t2\n")).toEqual([1, 2]);
  });

  it("reads quoted fields with delimiters, escaped quotes and line breaks inside", () => {
    const chart = parseCsv('"label","value"\n"Smith, J.",1\n"say ""hi""",2\n"two\nlines",3\n');
    expect(chart.header).toEqual({ label: "label", value: "value" });
    expect(chart.points).toEqual([
      { label: "Smith, J.", value: 1 },
      { label: 'say "hi"', value: 2 },
      { label: "two\nlines", value: 3 },
    ]);
  });

  it("reads a quoted number", () => {
    expect(values('a,"42"\n')).toEqual([42]);
  });

  it("ignores a semicolon inside quotes when detecting the delimiter", () => {
    expect(parseCsv('"a;b",1\n').delimiter).toBe(",");
  });

  it("drops trailing empty cells left by padded exports", () => {
    expect(values("a,1,,,\nb,2,\n")).toEqual([1, 2]);
  });

  it("keeps long labels readable by cutting them", () => {
    const [point] = parseCsv(`${"y".repeat(300)},1\n`).points;
    expect(point?.label).toHaveLength(100);
  });
});

describe("parseCsv: errors name the row", () => {
  it("rejects an empty file", () => {
    expect(csvError("")).toBe("file: the file is empty");
    expect(csvError("\uFEFF\r\n\n  \n")).toBe("file: the file is empty");
  });

  it("rejects a header with no data", () => {
    expect(csvError("month,sales\n")).toBe("file: the file has a header row but no data rows");
  });

  it("skips a non-numeric value after the first row, naming its line and why", () => {
    expect(skippedOf("a,1\nb,2\nc,lots\n")).toEqual({
      values: [1, 2],
      skipped: [{ line: 3, reason: '"lots" is not a number' }],
      skippedCount: 1,
    });
  });

  it("counts blank lines and multi-line quoted fields when numbering skipped rows", () => {
    expect(skippedOf('a,1\n\n"x\ny",2\nz,oops\n').skipped).toEqual([
      { line: 2, reason: "a blank line" },
      { line: 5, reason: '"oops" is not a number' },
    ]);
  });

  it("skips an empty value, a wrong column count, too many columns and numbers too large to chart, each with its reason", () => {
    expect(skippedOf("month,sales\njan,1\nfeb,\n2\nmar,1,2\napr,1e999\nmay,5\n")).toEqual({
      values: [1, 5],
      skipped: [
        { line: 3, reason: "has an empty value" },
        { line: 4, reason: "has 1 column; the rows above have 2" },
        { line: 5, reason: "has 3 columns; expected 1 (value) or 2 (label, value)" },
        {
          line: 6,
          reason: '"1e999" is too large to chart: the largest size is 1e100 (scale the data to a larger unit)',
        },
      ],
      skippedCount: 4,
    });
  });

  it("still refuses a file in which no row can be read, with the first row's problem", () => {
    expect(csvError("a,\n")).toBe("file: row 1 has an empty value");
    expect(csvError("a,1,2\n")).toBe("file: row 1 has 3 columns; expected 1 (value) or 2 (label, value)");
    expect(csvError("a,1,5,b\n")).toMatch(/has 4 columns.*separate columns with ";"/);
    expect(csvError("v\nx\ny\n")).toBe('file: no row could be read; the first problem: row 2: "x" is not a number');
  });

  it("rejects an unclosed quote", () => {
    expect(csvError('a,1\n"b,2\nc,3\n')).toBe('file: row 2 has an opening quote (") that is never closed');
  });

  it("allows exactly the row limit (after a header) and refuses one more", () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `r${i},${i}`).join("\n");
    expect(parseCsv(`name,value\n${rows(10_000)}`).points).toHaveLength(10_000);
    expect(csvError(`name,value\n${rows(10_001)}`)).toBe("file: more than 10,000 data rows; the limit is 10,000");
    expect(csvError(rows(6), 5)).toBe("file: more than 5 data rows; the limit is 5");
  });
});

describe("parseCsv: skipped rows", () => {
  const skippedOf = (text: string) => {
    const { skipped, skippedCount } = parseCsv(text);
    return { skipped, skippedCount };
  };

  it("reports blank rows between data rows by their 1-based line in the file, with the reason", () => {
    expect(skippedOf("month,sales\njan,1\n\nfeb,2\n,\n   \nmar,3\n")).toEqual({
      skipped: [
        { line: 3, reason: "a blank line" },
        { line: 5, reason: "a row of empty cells" },
        { line: 6, reason: "a blank line" },
      ],
      skippedCount: 3,
    });
  });

  it("does not report the header row, or blank lines before the first data row or after the last", () => {
    expect(skippedOf("\n\nmonth,sales\n\njan,1\nfeb,2\n\n\n")).toEqual({ skipped: [], skippedCount: 0 });
    expect(skippedOf("\r\n1\r\n\r\n2\r\n\r\n").skipped).toEqual([{ line: 3, reason: "a blank line" }]);
  });

  it("numbers lines after a header and a multi-line quoted field as an editor does", () => {
    expect(skippedOf('label,value\n"two\nlines",1\n\nb,2\n').skipped).toEqual([{ line: 4, reason: "a blank line" }]);
  });

  it("lists at most 20 skipped rows and counts them all", () => {
    const text = ["value", "1", ...Array.from({ length: 30 }, () => ""), "2", "", "3"].join("\n");
    const { skipped, skippedCount } = skippedOf(text);
    expect(skippedCount).toBe(31);
    expect(skipped).toHaveLength(20);
    expect(skipped[0]).toEqual({ line: 3, reason: "a blank line" });
    expect(skipped[19]?.line).toBe(22);
  });

  it("lists skipped bad rows and blank rows between data rows in file order (header and blank lines counted)", () => {
    const chart = parseCsv("month,sales\njan,1\n\nfeb,lots\nmar,3\n");
    expect(chart.points.map((p) => p.value)).toEqual([1, 3]);
    expect({ skipped: chart.skipped, skippedCount: chart.skippedCount }).toEqual({
      skipped: [
        { line: 3, reason: "a blank line" },
        { line: 4, reason: '"lots" is not a number' },
      ],
      skippedCount: 2,
    });
  });
});

describe("parseCsv: properties", () => {
  const cell = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.double().map(String),
    fc.constantFrom('"', '""', ",", ";", "\t", "\r\n", "\n", "\r", "\uFEFF", " ", "1,5", '"a,b"'),
  );
  const csvText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .array(fc.array(cell, { maxLength: 4 }), { maxLength: 20 })
      .chain((rows) => fc.constantFrom(",", ";", "\t").map((d) => rows.map((row) => row.join(d)).join("\n"))),
  );

  it("throws nothing but an InputError on field file, and returns finite values (property)", () => {
    fc.assert(
      fc.property(csvText, (text) => {
        try {
          const chart = parseCsv(text, 50);
          expect(chart.points.length).toBeGreaterThan(0);
          expect(chart.points.length).toBeLessThanOrEqual(50);
          expect(chart.skipped.length).toBeLessThanOrEqual(Math.min(20, chart.skippedCount));
          for (const point of chart.points) {
            expect(Number.isFinite(point.value)).toBe(true);
            expect(point.label.length).toBeLessThanOrEqual(100);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as InputError).message).toMatch(/^file: /);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("reads back any generated label,value table, quoted or not (property)", () => {
    const label = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== "" && s.trim().length <= 100);
    const value = chartableDouble;
    fc.assert(
      fc.property(fc.array(fc.tuple(label, value), { minLength: 1, maxLength: 30 }), fc.boolean(), (rows, header) => {
        const quoteCell = (text: string) => `"${text.replaceAll('"', '""')}"`;
        const lines = rows.map(([l, v]) => `${quoteCell(l)},${v}`);
        const text = (header ? "label,value\r\n" : "") + lines.join("\r\n");
        const chart = parseCsv(text);
        expect(chart.points).toEqual(rows.map(([l, v]) => ({ label: l.trim(), value: v })));
      }),
      { numRuns: 300 },
    );
  });
});
