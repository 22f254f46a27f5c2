/**
 * A time limit for storage calls that sit before a user's final message (the interaction claim, the queue's
 * job record check). D1 is a network service: it can be slow or hang, and an await without a limit would let it
 * hold the deferred work past waitUntil's ≈ 30 s, or keep a queue message until its retries run out. Storage
 * only guards against duplicates there, so when it is slow the caller goes on without it (at-least-once) and
 * logs that it did.
 */
import { scaled } from "../timing.ts";

const STORAGE_TIMEOUT_MS = 1_500;

export class StorageTimeoutError extends Error {
  override readonly name = "StorageTimeoutError";
}

/** `promise`, or a StorageTimeoutError after `ms`. The storage call itself runs on; only the wait ends. */
export function withStorageTimeout<T>(promise: Promise<T>, what: string, ms = scaled(STORAGE_TIMEOUT_MS)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageTimeoutError(`storage(${what}): no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}
