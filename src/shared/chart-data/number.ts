// Strict number parsing for user-supplied data. `Number()` and `parseFloat()` are too forgiving for this:
// `Number("")` is 0, `Number("0x10")` is 16, `parseFloat("12abc")` is 12. A chart built from silently
// misread numbers is worse than an error naming the cell, so only plain decimal notation is accepted.
// Shared with the Worker through values.ts: no `node:` imports or Node globals here.

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses "12", "-3.5", "1e3", " 4 " (whitespace trimmed). With `decimalComma` (semicolon-delimited CSV, as
 * European spreadsheets export it) "1,5" is 1.5 as well. Returns undefined for anything else, including values
 * that overflow to ±Infinity.
 */
export function parseNumber(text: string, decimalComma = false): number | undefined {
  const trimmed = text.trim();
  let normalized: string | undefined;
  if (DECIMAL.test(trimmed)) normalized = trimmed;
  else if (decimalComma && DECIMAL_COMMA.test(trimmed)) normalized = trimmed.replace(",", ".");
  if (normalized === undefined) return undefined;
  const value = Number(normalized);
  return Number.isFinite(value) ? value : undefined;
}
