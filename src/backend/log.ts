// One structured log line per event (JSON, one object per line) so logs can be filtered by `event`, `job`, `id`
// and `status`. Callers pass only fields that are safe to keep: never the relay secret or signature, and
// attachment URLs only through redactUrl (their query strings are signed access tokens).

import { redact } from "../shared/redact.ts";

type LogEvent = { event: string } & Record<string, unknown>;
export type Logger = (event: LogEvent) => void;

export function jsonLineLogger(write: (line: string) => void): (event: object) => void {
  return (event) => {
    // Defence in depth (src/shared/redact.ts): credential-named keys, URL query strings and token-shaped values
    // are removed at any depth even if a caller passes one by mistake.
    write(`${JSON.stringify(redact({ time: new Date().toISOString(), ...event }))}\n`);
  };
}

/** The message and stack of anything thrown, for a log line. */
export function describeError(error: unknown): { error: string; stack?: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}
