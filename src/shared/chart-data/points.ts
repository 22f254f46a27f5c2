// The chart job's data model and limits, shared by every input parser so they agree on what a point is and how
// many are allowed. Limits keep one job's memory and render time bounded (10,000 points render in well under a
// second; see BENCHMARKS.md).
// Shared with the Worker (limits for its early checks): no `node:` imports or Node globals here.

export interface Point {
  label: string;
  value: number;
}

export const MAX_VALUES_POINTS = 1_000;
export const MAX_CSV_ROWS = 10_000;
export const MAX_POINTS = 10_000;
export const MAX_LABEL_LENGTH = 100;
export const MAX_TITLE_LENGTH = 100;
export const MAX_FILE_BYTES = 1024 * 1024;

/** Labels are display text: long ones are cut (with an ellipsis) rather than failing a whole file. */
export function displayLabel(label: string): string {
  const trimmed = label.trim();
  return trimmed.length <= MAX_LABEL_LENGTH ? trimmed : `${trimmed.slice(0, MAX_LABEL_LENGTH - 1)}…`;
}

/** Quotes user text for an error message, cut so one huge cell cannot flood the message. */
export function quote(text: string): string {
  return JSON.stringify(text.length <= 40 ? text : `${text.slice(0, 39)}…`);
}
