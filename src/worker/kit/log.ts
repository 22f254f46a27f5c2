/**
 * The one logger: one JSON object per line, so `wrangler tail` shows one readable line per event and
 * Workers Logs indexes every field. Callers pass ids and outcomes, never tokens, signatures or secrets;
 * `redact` (src/shared/redact.ts) removes them anyway, at any depth: credential-named keys, URL query strings
 * (signed CDN links) and token-shaped values.
 */
import { redact } from "../../shared/redact.ts";

/** A line's fields; `event` is the line's own first key, so a field may not take that name. */
export type LogFields = Record<string, unknown> & { event?: never };

export function log(event: string, fields: LogFields = {}): void {
  // `event` leads the line; joining strings costs less than copying the fields into a new object per line.
  const rest = JSON.stringify(redact(fields));
  const line = `{"event":${JSON.stringify(event)}${rest === "{}" ? "}" : `,${rest.slice(1)}`}`;
  if (fields.level === "error" || fields.outcome === "error") console.error(line);
  else console.log(line);
}

/** Short reference id shown to users and written to the log line, to find one failure among many. */
export function newReference(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** The message of anything thrown, for a log field or an operator-facing error text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `error` (and `stack`, when there is one) fields for a log line about a failure. */
export function errorFields(error: unknown): { error: string; stack?: string } {
  return error instanceof Error && error.stack
    ? { error: error.message, stack: error.stack }
    : { error: describeError(error) };
}
