// Strict number parsing for user-supplied data. `Number()` and `parseFloat()` are too forgiving for this:
// `Number("")` is 0, `Number("0x10")` is 16, `parseFloat("12abc")` is 12. A chart built from silently
// misread numbers is worse than an error naming the cell, so only plain decimal notation is accepted.
// Shared with the Worker through values.ts: no `node:` imports or Node globals here.
//
// A number must also be one a chart can hold: 0, or a size (absolute value) from MIN_CHART_SIZE to MAX_CHART_SIZE.
// Refused rather than handled, because neither end can be drawn or summarised faithfully:
// - Too close to zero: ECharts labels axis ticks with at most 20 decimal places, so it fails an assertion on an
//   axis whose values are all below ~1e-19 (`0, 1e-320` was a 500 and five queue retries). Flushing such values to
//   0 would be a silently misread chart. 1e-15 leaves a line chart, fitted to its own range, room for a spread.
// - Too large: near ±1.8e308 a difference overflows (`-1.7e308, 1.7e308` made `change` Infinity). The summary's
//   change_pct divides a difference of up to 2 × MAX by a first value as small as MIN, so MAX / MIN × 200 must stay
//   finite (it is 2e117), and the message prints each statistic in full digits: at 1e100 its longest field is
//   about 440 characters of Discord's 1,024. No chart of real data is refused at 1e100.
// The user is told which value and why, and how to fix it: scale the data to another unit.

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;

// As the user would type them, for the messages.
const MIN_CHART_SIZE_TEXT = "1e-15";
const MAX_CHART_SIZE_TEXT = "1e100";
/** The smallest size beside 0 a chart can hold; also the smallest spread a line chart fits its axis to (render.ts). */
export const MIN_CHART_SIZE = Number(MIN_CHART_SIZE_TEXT);
const MAX_CHART_SIZE = Number(MAX_CHART_SIZE_TEXT);

/**
 * Why a cell is no number a chart can hold, as data: the Worker words it in the user's language (its message
 * catalogue), the backend in English (`problem`).
 */
export type NumberProblem = { key: "notANumber" } | { key: "tooLarge"; max: string } | { key: "tooSmall"; min: string };

/** A cell read as a number: its value, or why it cannot be one. `problem` reads after the quoted cell. */
export type NumberReading =
  | { ok: true; value: number }
  | { ok: false; notANumber: boolean; problem: string; reason: NumberProblem };

const NOT_A_NUMBER = {
  ok: false,
  notANumber: true,
  problem: "is not a number",
  reason: { key: "notANumber" },
} as const;

/**
 * Reads "12", "-3.5", "1e3", " 4 " (whitespace trimmed). With `decimalComma` (semicolon-delimited CSV, as European
 * spreadsheets export it) "1,5" is 1.5 as well. Anything else is not a number; a decimal a chart cannot hold (see
 * the header) is a number with a problem, so a CSV's first row of "1e400" is data to report, not a header.
 */
export function readNumber(text: string, decimalComma = false): NumberReading {
  const trimmed = text.trim();
  let normalized: string | undefined;
  if (DECIMAL.test(trimmed)) normalized = trimmed;
  else if (decimalComma && DECIMAL_COMMA.test(trimmed)) normalized = trimmed.replace(",", ".");
  if (normalized === undefined) return NOT_A_NUMBER;
  const value = Number(normalized);
  const reason = chartSizeReason(value);
  return reason === undefined
    ? { ok: true, value }
    : { ok: false, notANumber: false, problem: chartSizeProblem(value)!, reason };
}

/** chartSizeProblem as data (see NumberProblem). */
function chartSizeReason(value: number): NumberProblem | undefined {
  const size = Math.abs(value);
  if (Number.isNaN(size)) return { key: "notANumber" };
  if (size > MAX_CHART_SIZE) return { key: "tooLarge", max: MAX_CHART_SIZE_TEXT };
  if (size !== 0 && size < MIN_CHART_SIZE) return { key: "tooSmall", min: MIN_CHART_SIZE_TEXT };
  return undefined;
}

/**
 * Why a chart cannot hold `value` (see the header), or undefined when it can; reads after the quoted value. The
 * backend also applies it to the points the Worker sends (jobs/chart/input.ts), which never went through text.
 */
export function chartSizeProblem(value: number): string | undefined {
  const size = Math.abs(value);
  if (Number.isNaN(size)) return "is not a number";
  if (size > MAX_CHART_SIZE)
    return `is too large to chart: the largest size is ${MAX_CHART_SIZE_TEXT} (scale the data to a larger unit)`;
  if (size !== 0 && size < MIN_CHART_SIZE) {
    return `is too close to zero to chart: give 0 or a number of size ${MIN_CHART_SIZE_TEXT} or more (scale the data to a smaller unit)`;
  }
  return undefined;
}
