import { describe, expect, it } from "vitest";
import { createReplayCache, REPLAY_TTL_MS } from "../../../src/backend/replay-cache.ts";
import { createLimiter } from "../../../src/backend/limiter.ts";

describe("replay cache", () => {
  it("reports a key seen within 10 minutes and forgets it after", () => {
    const cache = createReplayCache();
    expect(REPLAY_TTL_MS).toBe(600_000);
    expect(cache.checkAndRecord("a", 0)).toBe(false);
    expect(cache.checkAndRecord("a", 599_999)).toBe(true);
    expect(cache.checkAndRecord("a", 600_000)).toBe(false);
  });

  it("evicts expired entries as time passes, so it does not grow without bound", () => {
    const cache = createReplayCache(1_000, 1_000_000);
    for (let i = 0; i < 100; i++) cache.checkAndRecord(`k${i}`, i);
    expect(cache.size()).toBe(100);
    cache.checkAndRecord("late", 5_000);
    expect(cache.size()).toBe(1);
  });

  it("caps its size, dropping the oldest entry first", () => {
    const cache = createReplayCache(60_000, 3);
    for (const key of ["a", "b", "c", "d"]) cache.checkAndRecord(key, 0);
    expect(cache.size()).toBe(3);
    expect(cache.checkAndRecord("d", 1)).toBe(true);
    expect(cache.checkAndRecord("a", 1)).toBe(false);
  });

  it("forgets a key on request", () => {
    const cache = createReplayCache();
    cache.checkAndRecord("a", 0);
    cache.forget("a");
    expect(cache.checkAndRecord("a", 1)).toBe(false);
  });
});

describe("limiter", () => {
  it("hands out at most maxConcurrent slots and reports idleness", async () => {
    const limiter = createLimiter(2);
    const first = limiter.tryAcquire();
    const second = limiter.tryAcquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(limiter.tryAcquire()).toBeNull();
    expect(limiter.inFlight()).toBe(2);

    let idle = false;
    const waiting = limiter.idle().then(() => (idle = true));
    first?.();
    first?.(); // releasing twice must not free a second slot
    await Promise.resolve();
    expect(limiter.inFlight()).toBe(1);
    expect(idle).toBe(false);
    second?.();
    await waiting;
    expect(idle).toBe(true);
    await limiter.idle(); // resolves at once when nothing runs
  });

  it("refuses a nonsensical limit", () => {
    expect(() => createLimiter(0)).toThrow("backend(limiter): maxConcurrent must be a positive integer, got 0");
  });
});
