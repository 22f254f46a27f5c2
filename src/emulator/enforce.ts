// Rate limits enforced as Discord does (docs.discord.com/developers/topics/rate-limits), when the emulator is
// created with `enforceRateLimits`: a 429 with Discord's headers and JSON body (`message`, `retry_after` in float
// seconds, `global`) for
//   - the global limit: 50 bot-token requests in any second (interaction routes are exempt), scope `global`;
//   - a per-route bucket the caller emptied: the same buckets whose headers ratelimit.ts announces, scope `user`;
//   - a shared resource limit (`shared` rules): a limit other apps spend from too, scope `shared`. Its headers
//     announce nothing, and Discord does not count such 429s as invalid requests.
// It also counts, for benchmarks: the bot-token requests (and their peak in any 1 s window), and each 429 as
// planned (the emulator's own choice: a shared-resource limit, a scripted fault) or not planned (the caller went
// past a limit that was announced: the documented global 50/s or a bucket's headers).

import { bucketHash } from "./ratelimit.ts";
import type { EmulatorState } from "./state.ts";

const GLOBAL_LIMIT = 50;
const SECOND_MS = 1_000;

/** A limit on a resource shared with other apps, e.g. reactions on one message. */
export interface SharedRule {
  method: string;
  /** A route template as the emulator's router writes it, e.g. "/channels/:channel/messages/:message/reactions/:emoji/@me". */
  template: string;
  limit: number;
  windowMs: number;
}

export interface EnforcementOptions {
  shared?: readonly SharedRule[];
}

export interface RateLimitStats {
  enforcing: boolean;
  /** Bot-token requests received (answered or refused). */
  botRequests: number;
  /** The most bot-token requests received in any 1 s window. */
  peakPerSecond: number;
  planned429: number;
  unplanned429: number;
  byScope: { global: number; user: number; shared: number };
}

export interface Enforcer {
  /** Null: the call may proceed (and is counted); otherwise the 429 to answer. */
  check(
    route: { method: string; template: string },
    major: string,
    botCall: boolean,
    rule: { limit: number; windowMs: number },
    now: number,
  ): Response | null;
  /** A 429 the emulator chose to send (a scripted fault): counted as planned. */
  plannedFault(): void;
  stats(): RateLimitStats;
  reset(): void;
}

export function createEnforcer(state: EmulatorState, options: EnforcementOptions | undefined): Enforcer {
  const enforcing = options !== undefined;
  let arrivals: number[] = [];
  let accepted: number[] = [];
  const shared = new Map<string, { windowStart: number; count: number }>();
  let stats: RateLimitStats = fresh();
  function fresh(): RateLimitStats {
    return {
      enforcing,
      botRequests: 0,
      peakPerSecond: 0,
      planned429: 0,
      unplanned429: 0,
      byScope: { global: 0, user: 0, shared: 0 },
    };
  }

  function refuse(
    scope: "global" | "user" | "shared",
    retryAfterMs: number,
    planned: boolean,
    headers: Record<string, string>,
  ): Response {
    stats.byScope[scope]++;
    if (planned) stats.planned429++;
    else stats.unplanned429++;
    const retryAfter = Math.max(0.001, retryAfterMs / 1000);
    return Response.json(
      {
        message: "You are being rate limited.",
        retry_after: Number(retryAfter.toFixed(3)),
        global: scope === "global",
      },
      {
        status: 429,
        headers: {
          "Retry-After": String(Math.ceil(retryAfter)),
          "X-RateLimit-Scope": scope,
          ...(scope === "global" ? { "X-RateLimit-Global": "true" } : {}),
          ...headers,
        },
      },
    );
  }

  return {
    check(route, major, botCall, rule, now) {
      if (botCall) {
        stats.botRequests++;
        arrivals.push(now);
        while (arrivals[0]! <= now - SECOND_MS) arrivals.shift();
        stats.peakPerSecond = Math.max(stats.peakPerSecond, arrivals.length);
      }
      if (!enforcing) return null;
      if (botCall) {
        while (accepted.length && accepted[0]! <= now - SECOND_MS) accepted.shift();
        if (accepted.length >= GLOBAL_LIMIT) return refuse("global", accepted[0]! + SECOND_MS - now, false, {});
      }
      const name = `${route.method} ${route.template}`;
      const bucket = state.buckets.get(`${name}|${major}`);
      if (bucket && now - bucket.windowStart < rule.windowMs && bucket.count >= rule.limit) {
        const resetAt = bucket.windowStart + rule.windowMs;
        return refuse("user", resetAt - now, false, {
          "X-RateLimit-Limit": String(rule.limit),
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": (resetAt / 1000).toFixed(3),
          "X-RateLimit-Reset-After": ((resetAt - now) / 1000).toFixed(3),
          "X-RateLimit-Bucket": bucketHash(name),
        });
      }
      const sharedRule = options!.shared?.find((r) => r.method === route.method && r.template === route.template);
      if (sharedRule) {
        const key = `${name}|${major}`;
        let window = shared.get(key);
        if (!window || now - window.windowStart >= sharedRule.windowMs)
          shared.set(key, (window = { windowStart: now, count: 0 }));
        if (window.count >= sharedRule.limit)
          return refuse("shared", window.windowStart + sharedRule.windowMs - now, true, {});
        window.count++;
      }
      if (botCall) accepted.push(now);
      return null;
    },
    plannedFault() {
      stats.byScope.user++;
      stats.planned429++;
    },
    stats: () => structuredClone(stats),
    reset() {
      arrivals = [];
      accepted = [];
      shared.clear();
      stats = fresh();
    },
  };
}
