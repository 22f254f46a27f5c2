// Parses an attached CSV into chart points. Spreadsheets export CSV in many dialects, so this accepts: a UTF-8 BOM,
// CRLF/LF/CR line ends, blank lines, an optional header row (detected when the first row's value is not a number),
// one column (values) or two (label, value), comma, semicolon or tab delimiters (semicolon files may use a decimal
// comma, "a;1,5"), and RFC 4180 quoted fields ("a, b" and "" escapes, line breaks inside quotes). Anything else is
// an InputError on field "file" that names the row, so the user can fix the file rather than guess.
//
// Skipped rows. A data row that cannot be read (an empty or non-numeric value, a number a chart cannot hold as
// number.ts defines it, a wrong number of columns) is left out and listed in `skipped` with its line and the
// reason, and so are blank rows between two data rows (there a blank row may be a missing data point); the Worker
// tells the user in an ephemeral follow-up, so nothing is left out silently. Blank lines before the first data row
// or after the last are padding and are not reported, nor is the header row, which is used (its cells name the
// axes). What breaks the whole file is still an InputError: an unclosed quote, too many rows, or no readable row at
// all (then the message is the first row's problem, so a file with one bad row reads as before). Line numbers are
// the 1-based line on which a row starts, counting line breaks inside quoted fields.

import { InputError, type FileProblem, type RowProblem } from "../http-error.ts";
import { MAX_CSV_ROWS, displayLabel, quote, type Point } from "./points.ts";
import { readNumber } from "./number.ts";

export interface CsvChart {
  points: Point[];
  /** Header cells when the file had a header row, cut like labels: `label` is absent for one-column files. */
  header: { label?: string; value: string } | null;
  delimiter: "," | ";" | "\t";
  /** Blank rows between data rows, in file order: at most MAX_SKIPPED_LISTED of them (see the header comment). */
  skipped: SkippedRow[];
  /** Why each listed row was skipped, as data (same order as `skipped`): the backend words it in the user's language. */
  skippedProblems: RowProblem[];
  /** All such rows, listed or not. */
  skippedCount: number;
}

/** A row that gave no point, and why; the chart job returns these (src/shared/jobs/chart.ts). */
export interface SkippedRow {
  /** 1-based line on which the row starts. */
  line: number;
  reason: string;
}

/** Enough to fix a file by; the count says how many more there were. */
const MAX_SKIPPED_LISTED = 20;

interface CsvRecord {
  fields: string[];
  /** 1-based line on which the record starts, as a spreadsheet or editor shows it. */
  line: number;
}

const MAX_COLUMNS = 2;

function fail(message: string, problem: FileProblem): never {
  throw new InputError("file", `file: ${message}`, problem);
}

/** Picks the delimiter from the first non-blank line, ignoring characters inside quotes. */
function detectDelimiter(text: string): CsvChart["delimiter"] {
  let inQuotes = false;
  let sawContent = false;
  let comma = 0;
  let tab = 0;
  for (const char of text) {
    if (char === '"') inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (char === "\n" || char === "\r") {
      if (sawContent) break;
    } else if (char === ";") return ";";
    else if (char === ",") comma++;
    else if (char === "\t") tab++;
    if (char.trim() !== "") sawContent = true;
  }
  return comma === 0 && tab > 0 ? "\t" : ",";
}

/**
 * Splits text into records. Yields each record as soon as it ends so the caller can stop at the row limit without
 * tokenising the rest of the file.
 */
function* records(text: string, delimiter: string): Generator<CsvRecord> {
  let fields: string[] = [];
  let field = "";
  let inQuotes = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (char === "\n" || (char === "\r" && text[i + 1] !== "\n")) line++;
        field += char;
      }
    } else if (char === '"') {
      // A quote opens a quoted section anywhere in a field; text around it is kept, which tolerates `a"b"` and
      // `"a" ,` without a separate error path for every spreadsheet quirk.
      inQuotes = true;
      quoteLine = line;
    } else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      yield { fields, line: recordLine };
      fields = [];
      field = "";
      line++;
      recordLine = line;
    } else field += char;
  }
  if (inQuotes)
    fail(`row ${quoteLine} has an opening quote (") that is never closed`, { key: "csvUnclosedQuote", row: quoteLine });
  fields.push(field);
  yield { fields, line: recordLine };
}

/** Trims cells, drops trailing empty cells beyond the second column (exports often pad rows with delimiters). */
function normalize(fields: string[]): string[] {
  const cells = fields.map((cell) => cell.trim());
  while (cells.length > MAX_COLUMNS && cells[cells.length - 1] === "") cells.pop();
  return cells;
}

export function parseCsv(input: string, maxRows: number = MAX_CSV_ROWS): CsvChart {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const delimiter = detectDelimiter(text);
  const decimalComma = delimiter === ";";

  let columns = 0;
  let header: CsvChart["header"] = null;
  const points: Point[] = [];
  const skipped: SkippedRow[] = [];
  const skippedProblems: RowProblem[] = [];
  let skippedCount = 0;
  // Blank rows since the last data row, reported once another data row follows. Only as many are kept as could
  // still be listed, so a file of a million blank lines costs a counter, not a million objects.
  let blanks: { row: SkippedRow; problem: RowProblem }[] = [];
  let blankCount = 0;
  let firstProblem: { text: string; row: number; reason: RowProblem } | undefined;
  const flushBlanks = (): void => {
    for (const blank of blanks) {
      skipped.push(blank.row);
      skippedProblems.push(blank.problem);
    }
    skippedCount += blankCount;
    blanks = [];
    blankCount = 0;
  };
  /** Leaves an unreadable data row out; `problem` reads "row N …" for the error if no row is readable at all. */
  const skipRow = (line: number, reason: string, text: string, problem: RowProblem): void => {
    firstProblem ??= { text, row: line, reason: problem };
    flushBlanks();
    if (skipped.length < MAX_SKIPPED_LISTED) {
      skipped.push({ line, reason });
      skippedProblems.push(problem);
    }
    skippedCount++;
  };

  for (const record of records(text, delimiter)) {
    const cells = normalize(record.fields);
    if (cells.every((cell) => cell === "")) {
      if (points.length > 0) {
        blankCount++;
        if (skipped.length + blanks.length < MAX_SKIPPED_LISTED) {
          blanks.push(
            cells.length > 1
              ? { row: { line: record.line, reason: "a row of empty cells" }, problem: { key: "emptyCells" } }
              : { row: { line: record.line, reason: "a blank line" }, problem: { key: "blankLine" } },
          );
        }
      }
      continue;
    }

    if (cells.length > MAX_COLUMNS) {
      const decimalCommaHint = delimiter === "," && cells.length === 4;
      const reason =
        `has ${cells.length} columns; expected 1 (value) or 2 (label, value)` +
        (decimalCommaHint ? ' — if you use decimal commas, separate columns with ";"' : "");
      skipRow(record.line, reason, `row ${record.line} ${reason}`, {
        key: "columns",
        count: cells.length,
        decimalCommaHint,
      });
      continue;
    }
    const valueCell = cells[cells.length - 1] ?? "";
    const number = readNumber(valueCell, decimalComma);

    if (columns === 0) {
      columns = cells.length;
      if (!number.ok && number.notANumber && valueCell !== "") {
        // Header cells become axis names: cut like labels (issue 19: a 120 KB one took seconds to draw).
        const valueName = displayLabel(valueCell);
        header = columns === 2 ? { label: displayLabel(cells[0] ?? ""), value: valueName } : { value: valueName };
        continue;
      }
    } else if (cells.length !== columns) {
      const reason = `has ${cells.length} column${cells.length === 1 ? "" : "s"}; the rows above have ${columns}`;
      skipRow(record.line, reason, `row ${record.line} ${reason}`, {
        key: "columnsDiffer",
        count: cells.length,
        above: columns,
      });
      continue;
    }

    if (points.length >= maxRows) {
      fail(`more than ${maxRows.toLocaleString("en-US")} data rows; the limit is ${maxRows.toLocaleString("en-US")}`, {
        key: "csvTooManyRows",
        max: maxRows,
      });
    }
    if (valueCell === "") {
      skipRow(record.line, "has an empty value", `row ${record.line} has an empty value`, { key: "emptyValue" });
      continue;
    }
    if (!number.ok) {
      const reason = `${quote(valueCell)} ${number.problem}`;
      skipRow(record.line, reason, `row ${record.line}: ${reason}`, {
        key: "badValue",
        value: quote(valueCell),
        reason: number.reason,
      });
      continue;
    }
    const label = columns === 2 ? (cells[0] ?? "") : "";
    points.push({ label: label === "" ? String(points.length + 1) : displayLabel(label), value: number.value });
    flushBlanks();
  }

  if (points.length === 0) {
    if (firstProblem) {
      const { text: first, row, reason } = firstProblem;
      if (skippedCount === 1) fail(first, { key: "csvRow", row, reason });
      fail(`no row could be read; the first problem: ${first}`, { key: "csvNoRowReadable", row, reason });
    }
    if (header) fail("the file has a header row but no data rows", { key: "csvHeaderOnly" });
    fail("the file is empty", { key: "csvEmpty" });
  }
  return { points, header, delimiter, skipped, skippedProblems, skippedCount };
}
