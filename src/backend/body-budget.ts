// Bounds the memory that unauthenticated requests can pin. A relay body can only be authenticated once it has been
// read in full (the HMAC covers it), so reading is the one phase in which anyone can make the backend hold bytes.
// Every body read first reserves its declared length from one shared byte budget, so the bytes being buffered are
// at most the budget however many connections declare however much.
//
// When a new read does not fit, the oldest reads are evicted (aborted with 503 `body_evicted`) until it does,
// rather than the newcomer waiting in a queue. A real relay body arrives at once (the Worker sends a string it
// already holds), so the read that has been arriving the longest is the one most likely held open on purpose; a
// queue would instead put every legitimate request behind all the stalled ones (1,000 sockets declaring the cap
// each hold a place for the whole body deadline). The one cost: a burst of legitimate bodies larger than the
// budget together evicts the oldest of them, which sees a 503 with Retry-After and retries.
//
// Each read also has a deadline from when it starts (408 `body_timeout`), so a lone slow client releases its
// reservation even when nobody else needs the room. Both abort reasons are the HttpError the client will see.

import { HttpError } from "./errors.ts";

interface BodyReservation {
  /** Aborted, with the HttpError to answer, on eviction or at the deadline. */
  readonly signal: AbortSignal;
  /** Returns the bytes to the budget and stops the deadline. Idempotent. */
  release(): void;
}

export interface BodyBudget {
  /** Reserves `bytes` (at most the budget's total) for one body read, evicting the oldest reads if needed. */
  reserve(bytes: number): BodyReservation;
  /** Bytes reserved by reads in progress. */
  reservedBytes(): number;
  /** Body reads in progress. */
  reads(): number;
}

export interface BodyBudgetOptions {
  totalBytes: number;
  /** A read still unfinished this long after it started is aborted with 408. */
  timeoutMs: number;
  /** Seconds in the Retry-After of an evicted read's 503. */
  retryAfterSeconds: number;
}

interface Entry {
  bytes: number;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout>;
}

export function createBodyBudget(options: BodyBudgetOptions): BodyBudget {
  const { totalBytes, timeoutMs, retryAfterSeconds } = options;
  if (!Number.isSafeInteger(totalBytes) || totalBytes < 1) {
    throw new RangeError(`backend(body-budget): totalBytes must be a positive integer, got ${totalBytes}`);
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`backend(body-budget): timeoutMs must be a positive integer, got ${timeoutMs}`);
  }
  // Map iteration follows insertion order, so the first entry is always the oldest read.
  const entries = new Map<symbol, Entry>();
  let reserved = 0;

  function end(key: symbol): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    clearTimeout(entry.timer);
    reserved -= entry.bytes;
  }

  const evicted = () =>
    new HttpError(
      503,
      "body_evicted",
      "the backend is receiving more request bodies than its memory budget allows and this one had been arriving " +
        `the longest; retry after ${retryAfterSeconds} s`,
      {},
      // Stop reading this client at once (Node closes the socket after the answer) instead of draining its body.
      { "retry-after": String(retryAfterSeconds), connection: "close" },
    );
  const timedOut = () =>
    new HttpError(
      408,
      "body_timeout",
      `the request body did not arrive within ${timeoutMs} ms of its headers`,
      {},
      { connection: "close" },
    );

  return {
    reserve(bytes) {
      if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > totalBytes) {
        throw new RangeError(`backend(body-budget): cannot reserve ${bytes} bytes from a budget of ${totalBytes}`);
      }
      for (const [key, entry] of entries) {
        if (reserved + bytes <= totalBytes) break;
        end(key);
        entry.controller.abort(evicted());
      }
      const key = Symbol("body-read");
      const controller = new AbortController();
      const timer = setTimeout(() => {
        end(key);
        controller.abort(timedOut());
      }, timeoutMs);
      entries.set(key, { bytes, controller, timer });
      reserved += bytes;
      return { signal: controller.signal, release: () => end(key) };
    },
    reservedBytes: () => reserved,
    reads: () => entries.size,
  };
}
