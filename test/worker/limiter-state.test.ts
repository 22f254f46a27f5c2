// The limiter's rules (src/worker/kit/discord/limiter/state.ts) on a fake clock: what one object grants when answers
// come late, out of order, or as 429s. The object itself, shared by two Workers, is tested in limiter.test.ts.
import { describe, expect, it } from "vitest";
import {
  createLimiterState,
  GLOBAL_GRANTS,
  MAX_LEASE,
  SHARED_INVALID_CEILING,
} from "../../src/worker/kit/discord/limiter/state.ts";

const ROUTE = "POST /channels/:major/messages";
const T0 = 1_800_000_000_000;
const ask = (want = 1, major = "c1") => ({ route: ROUTE, major, want });
/** Discord's headers for a window of `limit` ending `resetAfterMs` after `now`, as answerOf reads them. */
const told = (remaining: number, windowEnd: number, now: number, status = 200) => ({
  route: ROUTE,
  major: "c1",
  status,
  bucket: "h1",
  limit: 5,
  remaining,
  reset: windowEnd / 1000,
  resetAfterMs: windowEnd - now,
});

describe("buckets", () => {
  it("probe first, then the window's remaining less what is still in flight; refilled only once the window is over and answered", () => {
    const state = createLimiterState();
    expect(state.acquire(ask(5), T0).granted).toBe(1);
    expect(state.acquire(ask(5), T0).granted).toBe(0); // the probe is unanswered
    state.answer(told(4, T0 + 5_000, T0 + 10), T0 + 10);
    expect(state.acquire(ask(5), T0 + 20).granted).toBe(4);
    expect(state.acquire(ask(1), T0 + 30)).toMatchObject({ granted: 0, waitMs: 5_000 - 30 });
    // The window is over but one grant is still unanswered: it may yet land in Discord's next window.
    for (let i = 0; i < 3; i++) state.answer(told(3 - i, T0 + 5_000, T0 + 40), T0 + 40);
    expect(state.acquire(ask(1), T0 + 5_100).granted).toBe(0);
    state.answer(told(0, T0 + 5_000, T0 + 5_050), T0 + 5_050);
    expect(state.acquire(ask(5), T0 + 5_100).granted).toBe(5);
  });

  it("an answer from a window already over changes nothing; one from a newer window counts what is in flight against it", () => {
    const state = createLimiterState();
    state.acquire(ask(), T0);
    state.answer(told(4, T0 + 5_000, T0), T0);
    expect(state.acquire(ask(3), T0).granted).toBe(3);
    // One of the three is answered from an older window (4 left there): that count is ignored.
    state.answer(told(4, T0 - 1_000, T0 + 1), T0 + 1);
    expect(state.acquire(ask(5), T0 + 2).granted).toBe(1);
    // Three in flight; one is answered from Discord's next window, 3 left there: the two still in flight may land
    // there too, so one more may go, not three.
    state.answer(told(3, T0 + 9_000, T0 + 4_100), T0 + 4_100);
    expect(state.acquire(ask(5), T0 + 4_200).granted).toBe(1);
    expect(state.acquire(ask(5), T0 + 4_200).granted).toBe(0);
  });

  it("a shared-scope 429 pauses the bucket for retry_after without counting as invalid or moving the window", () => {
    const state = createLimiterState();
    state.acquire(ask(), T0);
    state.answer(told(4, T0 + 5_000, T0), T0);
    state.acquire(ask(), T0);
    state.answer({ route: ROUTE, major: "c1", status: 429, scope: "shared", retryAfterMs: 300 }, T0 + 1);
    expect(state.acquire(ask(), T0 + 2)).toMatchObject({ granted: 0, waitMs: 299 });
    expect(state.acquire(ask(5), T0 + 301).granted).toBe(3);
    expect(state.invalidCount(T0 + 301)).toBe(0);
  });
});

describe("the global limit", () => {
  it("grants at most 45 per window across buckets (10 % under Discord's 50), leases at most MAX_LEASE at once, and a global 429 pauses everything", () => {
    const state = createLimiterState();
    let granted = 0;
    for (let i = 0; i < 60; i++)
      granted += state.acquire(
        { route: "GET /guilds/:major/members/:id", major: `g${i}`, want: MAX_LEASE + 3 },
        T0,
      ).granted;
    expect(granted).toBe(GLOBAL_GRANTS);
    const waiting = state.acquire(ask(), T0 + 100);
    expect(waiting.granted).toBe(0);
    expect(waiting.waitMs).toBeGreaterThan(1_000); // a lease may be spent late: the window is longer than a second
    const later = createLimiterState();
    later.answer({ status: 429, scope: "global", retryAfterMs: 700 }, T0);
    expect(later.acquire(ask(), T0 + 100)).toMatchObject({ granted: 0, waitMs: 600 });
  });
});

describe("the invalid-request budget", () => {
  it("counts 401, 403 and non-shared 429s for 10 minutes and refuses at the ceiling", () => {
    const state = createLimiterState();
    for (let i = 0; i < SHARED_INVALID_CEILING - 1; i++) state.answer({ status: [401, 403, 429][i % 3]! }, T0);
    state.answer({ status: 429, scope: "shared" }, T0);
    state.answer({ status: 404 }, T0);
    expect(state.acquire(ask(), T0).refused).toBeUndefined();
    state.answer({ status: 401 }, T0);
    expect(state.acquire(ask(), T0 + 1).refused).toMatch(/^9000 invalid requests/);
    // Ten minutes (and one 10-second slot) later the storm has left the window.
    expect(state.acquire(ask(), T0 + 10 * 60_000 + 10_000).refused).toBeUndefined();
  });
});
