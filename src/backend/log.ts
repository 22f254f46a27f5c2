// One structured log line per event (JSON, one object per line) so logs can be filtered by `event`, `job`, `id`
// and `status`. Callers pass only fields that are safe to keep: never the relay secret or signature, and
// attachment URLs only through redactUrl (their query strings are signed access tokens).

export type LogEvent = { event: string } & Record<string, unknown>;
export type Logger = (event: LogEvent) => void;

// Defence in depth: a field whose name suggests a credential is replaced even if a caller passes one by mistake.
const SECRET_KEYS = /token|secret|signature|authorization|password/i;

export function jsonLineLogger(write: (line: string) => void = (line) => process.stdout.write(line)): (event: object) => void {
  return (event) => {
    const fields: Record<string, unknown> = { time: new Date().toISOString(), ...event };
    for (const key of Object.keys(fields)) if (SECRET_KEYS.test(key)) fields[key] = "[redacted]";
    write(`${JSON.stringify(fields)}\n`);
  };
}

/** The message and stack of anything thrown, for a log line. */
export function describeError(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}
