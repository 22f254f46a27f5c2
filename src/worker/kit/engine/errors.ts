/**
 * What the engine knows of an error: errors carry their own facts, so the engine needs no `instanceof` chain over the
 * app's error types (it imports no relay types). RelayError (src/worker/kit/relay/client.ts) is one such error.
 */
export interface UserFacingFacts {
  /** The sentence the user reads. */
  readonly userMessage?: unknown;
  /** Whether another attempt may succeed (the queue retries only then). */
  readonly retriable?: unknown;
}

/** A job that cannot run: unknown after a deploy, or its input refused. The user is told to run it again. */
export class UnrunnableJobError extends Error {
  override readonly name = "UnrunnableJobError";
}
