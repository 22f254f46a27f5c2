/**
 * What the engine knows of an error: errors carry their own facts, so the engine needs no `instanceof` chain over the
 * app's error types (it imports no relay types). RelayError (src/worker/kit/relay/client.ts) is one such error.
 */
export interface UserFacingFacts {
  /** The sentence the user reads, in their language (a function of the message catalogue's translator). */
  readonly userText?: unknown;
  /** The sentence the user reads, when the error has it in one language only. */
  readonly userMessage?: unknown;
  /** Whether another attempt may succeed (the queue retries only then). */
  readonly retriable?: unknown;
}

/** A job that cannot run: unknown after a deploy, or its input refused. The user is told to run it again. */
export class UnrunnableJobError extends Error {
  override readonly name = "UnrunnableJobError";
}
