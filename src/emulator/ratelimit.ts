// Rate-limit headers like Discord's, so client code that reads them (bucket learning, Retry-After handling) has
// something real to read. Buckets are per route and major parameter (application, guild, or webhook + token).
// The emulator counts and announces; it refuses calls only when created with `enforceRateLimits` (enforce.ts).

import type { EmulatorState } from "./state.ts";

export interface BucketRule {
  limit: number;
  windowMs: number;
}

/** A stable opaque bucket id per route, like Discord's X-RateLimit-Bucket hashes. */
export function bucketHash(route: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < route.length; i++) {
    a = Math.imul(a ^ route.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ route.charCodeAt(route.length - 1 - i), 0x811c9dc5) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** Counts one call in its bucket (a fixed window from the window's first call) and returns the headers announcing it. */
export function rateLimitHeaders(
  state: EmulatorState,
  route: string,
  majorKey: string,
  rule: BucketRule,
  now: number,
): Record<string, string> {
  const key = `${route}|${majorKey}`;
  let bucket = state.buckets.get(key);
  if (!bucket || now - bucket.windowStart >= rule.windowMs) {
    bucket = { windowStart: now, count: 0 };
    state.buckets.set(key, bucket);
  }
  bucket.count++;
  const resetAt = bucket.windowStart + rule.windowMs;
  return {
    "X-RateLimit-Limit": String(rule.limit),
    "X-RateLimit-Remaining": String(Math.max(rule.limit - bucket.count, 0)),
    "X-RateLimit-Reset": (resetAt / 1000).toFixed(3),
    "X-RateLimit-Reset-After": ((resetAt - now) / 1000).toFixed(3),
    "X-RateLimit-Bucket": bucketHash(route),
  };
}

/** Headers Discord sends with a 429, filled from the body's retry_after unless the fault set its own. */
export function tooManyRequestsHeaders(body: unknown, route: string, now: number): Record<string, string> {
  const info = typeof body === "object" && body !== null ? (body as { retry_after?: unknown; global?: unknown }) : {};
  const retryAfter = typeof info.retry_after === "number" ? info.retry_after : 1;
  const headers: Record<string, string> = {
    "Retry-After": String(Math.max(1, Math.ceil(retryAfter))),
    "X-RateLimit-Limit": "5",
    "X-RateLimit-Remaining": "0",
    "X-RateLimit-Reset": ((now + retryAfter * 1000) / 1000).toFixed(3),
    "X-RateLimit-Reset-After": retryAfter.toFixed(3),
    "X-RateLimit-Bucket": bucketHash(route),
    "X-RateLimit-Scope": info.global === true ? "global" : "user",
  };
  if (info.global === true) headers["X-RateLimit-Global"] = "true";
  return headers;
}
