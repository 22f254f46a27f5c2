/** The D1 binding the event handlers record into; without it the event's log line says what to configure. */
import type { Env } from "../../kit/index.ts";

export function requireStorage(env: Env, event: string): D1Database {
  if (!env.DB)
    throw new Error(`events(${event}): storage (the D1 binding DB) is not configured, so the event was not recorded`);
  return env.DB;
}
