/**
 * The bot's one rate-limit state, as the Durable Object (object.ts) keeps it: pure data and arithmetic, the clock
 * passed in, so the rules below are tested without a runtime. Discord's rules (docs.discord.com/developers/topics/
 * rate-limits): per-route buckets keyed by the `X-RateLimit-Bucket` hash and the major parameter; 50 requests/s per
 * bot across every route but the interaction webhooks; 10,000 responses with 401, 403 or 429 (429s of scope `shared`
 * excepted) per 10 minutes per IP earn a Cloudflare ban, and Workers share IPs (discord-api-docs #7146).
 *
 * Every grant is counted when it is made, so no two isolates can spend the same slot. What it must allow for:
 *   - A grant is a lease: the isolate may send it any time until `leaseUntil`, and the request takes a while to
 *     reach Discord. The global second is therefore counted over GLOBAL_WINDOW_MS = 1 s + the lease + slack: the
 *     grants of any such window fit in 50 (45, for requests that arrive bunched), so the sends of a real second do.
 *   - A bucket nobody has heard from yet (no headers seen) gets one probe; the rest wait for its answer.
 *   - Answers arrive out of order, so a bucket's `remaining` is only ever lowered within a window (Discord's count,
 *     less the grants still in flight), and a window is identified by Discord's own `X-RateLimit-Reset`. A bucket
 *     refills only after its reset has passed and every grant of the old window has been answered (or is stale).
 */

/**
 * Grants per global window: 10 % under Discord's 50/s. Requests granted apart can still reach Discord bunched (a busy
 * isolate sends late, the network evens nothing out), and the headroom keeps any real second within 50.
 */
export const GLOBAL_GRANTS = 45;
/** How long an isolate may hold granted slots before sending them. */
const LEASE_MS = 200;
/** Time between the grant and Discord receiving the request (RPC answer, fetch start) allowed for. */
const SEND_SLACK_MS = 100;
const GLOBAL_WINDOW_MS = 1_000 + LEASE_MS + SEND_SLACK_MS;
/** A grant never answered (the isolate died) stops holding its bucket's refill after this long. */
const IN_FLIGHT_TTL_MS = 15_000;
const INVALID_WINDOW_MS = 10 * 60_000;
/** The shared ceiling: 10 % under Discord's 10,000, for the calls already in flight when it is reached. */
export const SHARED_INVALID_CEILING = 9_000;
/** Invalid responses are counted in 10-second slots: the window is 10 min to 10 min 10 s, never shorter. */
const SLOT_MS = 10_000;
/** Buckets kept before the idle ones are dropped (a guild or channel id each: they would grow without end). */
const MAX_BUCKETS = 10_000;
/** At most this many slots are granted in one answer (a lease for calls waiting in the same isolate). */
export const MAX_LEASE = 5;

export interface AcquireRequest {
  readonly route: string;
  readonly major: string;
  /** Slots wanted (1..MAX_LEASE). */
  readonly want: number;
}

export interface Grant {
  /** Slots granted, 0..want; each may be spent until `leaseUntil`. */
  readonly granted: number;
  readonly leaseUntil: number;
  /** With 0 granted: when to ask again. */
  readonly waitMs: number;
  /** Set when no call may go: the shared invalid-request budget is spent. */
  readonly refused?: string;
}

/** What Discord answered to one call (bot-rest.ts reads it off the response). */
export interface Answer {
  /** Absent for an interaction webhook: only the invalid-request budget is shared for those. */
  readonly route?: string;
  readonly major?: string;
  readonly status: number;
  readonly bucket?: string;
  readonly limit?: number;
  readonly remaining?: number;
  /** `X-RateLimit-Reset` as sent (epoch seconds): names the window. */
  readonly reset?: number;
  readonly resetAfterMs?: number;
  readonly scope?: "user" | "global" | "shared";
  readonly retryAfterMs?: number;
}

interface Bucket {
  remaining: number;
  /** 0: the window's end is unknown (a probe, or just refilled). */
  resetAt: number;
  window: number;
  limit: number;
  inFlight: number;
  lastGrant: number;
  /** After a 429 on this bucket: nothing goes before this time. The window (resetAt) is not changed by it. */
  pausedUntil: number;
}

export interface LimiterState {
  acquire(request: AcquireRequest, now: number): Grant;
  answer(answer: Answer, now: number): void;
  invalidCount(now: number): number;
  /** Invalid responses by 10-second slot, for the object to persist. */
  readonly invalidSlots: Map<number, number>;
}

export function createLimiterState(
  invalidSlots = new Map<number, number>(),
  ceiling = SHARED_INVALID_CEILING,
): LimiterState {
  const hashes = new Map<string, string>();
  const buckets = new Map<string, Bucket>();
  /** Grant times in the global window, oldest first, one entry per slot. */
  const grants: number[] = [];
  let globalUntil = 0;
  const keyOf = (route: string, major: string) => `${hashes.get(route) ?? route}|${major}`;

  function invalidCount(now: number): number {
    let count = 0;
    const oldest = Math.floor((now - INVALID_WINDOW_MS) / SLOT_MS);
    for (const [slot, n] of invalidSlots) {
      if (slot < oldest) invalidSlots.delete(slot);
      else count += n;
    }
    return count;
  }

  return {
    invalidSlots,
    invalidCount,
    acquire({ route, major, want }, now) {
      const invalid = invalidCount(now);
      if (invalid >= ceiling)
        return {
          granted: 0,
          leaseUntil: now,
          waitMs: 0,
          refused: `${invalid} invalid requests (401/403/429) in 10 minutes, shared by every isolate; Discord bans at 10,000`,
        };
      const key = keyOf(route, major);
      let bucket = buckets.get(key);
      if (bucket && bucket.inFlight > 0 && now - bucket.lastGrant > IN_FLIGHT_TTL_MS) bucket.inFlight = 0;
      // Refilled once its window is over (or, unknown, once nothing is in flight) and every grant was answered.
      if (bucket && bucket.inFlight === 0 && (bucket.resetAt ? now >= bucket.resetAt : bucket.remaining <= 0))
        Object.assign(bucket, { remaining: bucket.limit || 1, resetAt: 0 });
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS)
          for (const [name, idle] of buckets)
            if (idle.inFlight === 0 && idle.resetAt <= now && idle.pausedUntil <= now) buckets.delete(name);
        buckets.set(
          key,
          (bucket = { remaining: 1, resetAt: 0, window: 0, limit: 0, inFlight: 0, lastGrant: now, pausedUntil: 0 }),
        );
      }
      while (grants.length && grants[0]! <= now - GLOBAL_WINDOW_MS) grants.shift();
      const globalLeft = now < globalUntil ? 0 : GLOBAL_GRANTS - grants.length;
      const paused = now < bucket.pausedUntil;
      const granted = paused ? 0 : Math.max(0, Math.min(want, MAX_LEASE, bucket.remaining, globalLeft));
      if (granted === 0) {
        // The pause or the bucket's end when known; an unanswered probe or a lapsed window with calls in flight: ask again soon.
        const bucketWait = paused
          ? bucket.pausedUntil - now
          : bucket.remaining > 0
            ? 0
            : bucket.resetAt > now
              ? bucket.resetAt - now
              : 50;
        const globalWait =
          now < globalUntil ? globalUntil - now : globalLeft > 0 ? 0 : grants[0]! + GLOBAL_WINDOW_MS - now;
        return { granted: 0, leaseUntil: now, waitMs: Math.max(1, bucketWait, globalWait) };
      }
      bucket.remaining -= granted;
      bucket.inFlight += granted;
      bucket.lastGrant = now;
      for (let i = 0; i < granted; i++) grants.push(now);
      return { granted, leaseUntil: now + LEASE_MS, waitMs: 0 };
    },
    answer(answer, now) {
      const { status, scope } = answer;
      if (status === 401 || status === 403 || (status === 429 && scope !== "shared")) {
        const slot = Math.floor(now / SLOT_MS);
        invalidSlots.set(slot, (invalidSlots.get(slot) ?? 0) + 1);
      }
      if (status === 429 && scope === "global")
        globalUntil = Math.max(globalUntil, now + (answer.retryAfterMs ?? 1_000));
      if (answer.route === undefined || answer.major === undefined) return;
      const before = keyOf(answer.route, answer.major);
      if (answer.bucket) hashes.set(answer.route, answer.bucket);
      const key = keyOf(answer.route, answer.major);
      let bucket = buckets.get(key) ?? buckets.get(before);
      if (key !== before && bucket) {
        // The route's hash is known now: its state moves under the hash shared with the routes that answer it.
        buckets.delete(before);
        buckets.set(key, bucket);
      }
      if (!bucket)
        buckets.set(
          key,
          (bucket = { remaining: 0, resetAt: 0, window: 0, limit: 0, inFlight: 1, lastGrant: now, pausedUntil: 0 }),
        );
      bucket.inFlight = Math.max(0, bucket.inFlight - 1);
      if (status === 429 && scope !== "global") {
        // A shared-scope 429 says nothing of our own window; a user-scope one empties it too.
        bucket.pausedUntil = Math.max(bucket.pausedUntil, now + (answer.retryAfterMs ?? 1_000));
        if (scope === "user") bucket.remaining = 0;
        return;
      }
      const { remaining, reset, resetAfterMs, limit } = answer;
      if (remaining === undefined || reset === undefined || resetAfterMs === undefined) return;
      if (limit) bucket.limit = limit;
      if (reset < bucket.window) return; // an answer from a window that is over
      const left = Math.max(0, remaining - bucket.inFlight);
      if (reset > bucket.window) Object.assign(bucket, { window: reset, remaining: left, resetAt: now + resetAfterMs });
      else
        Object.assign(bucket, {
          remaining: Math.min(bucket.remaining, left),
          resetAt: Math.max(bucket.resetAt, now + resetAfterMs),
        });
    },
  };
}
