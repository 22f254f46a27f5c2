// Caps how many jobs run at once. Rendering is CPU- and memory-heavy, so past the cap the backend answers 503
// with Retry-After at once instead of queueing: the Worker decides whether to retry, and nothing piles up
// unseen. `idle()` is what graceful shutdown waits on.

export interface Limiter {
  /** A release function when a slot is free, else null. Release is idempotent. */
  tryAcquire(): (() => void) | null;
  inFlight(): number;
  /** Resolves once nothing is running (at once if nothing is). */
  idle(): Promise<void>;
}

export function createLimiter(maxConcurrent: number): Limiter {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`backend(limiter): maxConcurrent must be a positive integer, got ${maxConcurrent}`);
  }
  let running = 0;
  let waiters: Array<() => void> = [];

  function release(): void {
    running--;
    if (running === 0) {
      const wake = waiters;
      waiters = [];
      for (const resolve of wake) resolve();
    }
  }

  return {
    tryAcquire() {
      if (running >= maxConcurrent) return null;
      running++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
    inFlight: () => running,
    idle() {
      return running === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
