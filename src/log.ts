/**
 * The one logger: one JSON object per line, so `wrangler tail` shows one readable line per event and
 * Workers Logs indexes every field. Callers pass ids and outcomes, never tokens, signatures or secrets;
 * `redact` guards the keys that could carry them anyway.
 */
/** A line's fields; `event` is the line's own first key, so a field may not take that name. */
export type LogFields = Record<string, unknown> & { event?: never };

const SECRET_KEYS = /token|secret|signature|authorization|password/i;

export function log(event: string, fields: LogFields = {}): void {
  // `event` leads the line; joining strings costs less than copying the fields into a new object per line.
  const rest = JSON.stringify(redact(fields));
  const line = `{"event":${JSON.stringify(event)}${rest === "{}" ? "}" : `,${rest.slice(1)}`}`;
  if (fields.level === "error" || fields.outcome === "error") console.error(line);
  else console.log(line);
}

/** Field names repeat on every line: test each name against the pattern once per isolate. */
const secretKeyCache = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = SECRET_KEYS.test(key);
    if (secretKeyCache.size < 256) secretKeyCache.set(key, secret);
  }
  return secret;
}

function redact(fields: LogFields): LogFields {
  let out: LogFields | undefined;
  for (const key in fields) {
    if (isSecretKey(key)) {
      out ??= { ...fields };
      out[key] = "[redacted]";
    }
  }
  return out ?? fields;
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
  return error instanceof Error && error.stack ? { error: error.message, stack: error.stack } : { error: describeError(error) };
}
