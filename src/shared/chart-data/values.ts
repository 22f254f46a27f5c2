// Parses the `values` text option: "3, 5, 8" or "mon=3, tue=5" (whitespace anywhere is fine, the two forms may
// mix). Errors name the entry by its 1-based position among the comma-separated entries, because that is what
// the user typed and can find again.
// Shared with the Worker, which runs it before deferring so a typo gets an instant answer: keep it (and what it
// imports) free of `node:` imports and Node globals; test/node/backend/portable.test.ts checks.

import { InputError } from "../http-error.ts";
import { MAX_VALUES_POINTS, displayLabel, quote, type Point } from "./points.ts";
import { readNumber } from "./number.ts";

export function parseValues(text: string, maxPoints: number = MAX_VALUES_POINTS): Point[] {
  const entries = text.split(",");
  const nonEmpty = entries.filter((entry) => entry.trim() !== "").length;
  if (nonEmpty === 0) {
    throw new InputError("values", 'values: no numbers found — give numbers separated by commas, e.g. "3, 5, 8"', {
      key: "valuesEmpty",
    });
  }
  if (nonEmpty > maxPoints) {
    throw new InputError(
      "values",
      `values: ${nonEmpty} numbers given; the limit is ${maxPoints.toLocaleString("en-US")} — attach a CSV file for more`,
      { key: "valuesTooMany", count: nonEmpty, max: maxPoints },
    );
  }
  const points: Point[] = [];
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === "") return; // "1, 2, 3," and "1,,2" are typing slips, not data.
    const position = index + 1;
    const equals = entry.indexOf("=");
    const label = equals === -1 ? String(points.length + 1) : entry.slice(0, equals).trim();
    const valueText = equals === -1 ? entry : entry.slice(equals + 1);
    if (label === "") {
      throw new InputError("values", `values: ${quote(entry)} at position ${position} has no label before "="`, {
        key: "valuesNoLabel",
        entry: quote(entry),
        position,
      });
    }
    const number = readNumber(valueText);
    if (!number.ok) {
      const hint = number.notANumber && /\s/.test(valueText.trim());
      const value = quote(valueText.trim() === "" ? entry : valueText.trim());
      throw new InputError(
        "values",
        `values: ${value} at position ${position} ${number.problem}${hint ? " (separate numbers with commas)" : ""}`,
        { key: "valuesBad", value, position, hint, reason: number.reason },
      );
    }
    points.push({ label: displayLabel(label), value: number.value });
  });
  return points;
}
