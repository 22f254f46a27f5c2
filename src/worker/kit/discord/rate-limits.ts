/**
 * Rate-limit state for bot-token calls (src/worker/kit/discord/bot-rest.ts), after Discord's "Rate Limits" page
 * (https://docs.discord.com/developers/topics/rate-limits):
 *   - Per-route buckets. A route is method + path with ids generalised, except the top-level resource (the
 *     "major parameter": channel_id, guild_id, webhook_id + token), which keeps its own limit. Routes that answer
 *     the same `X-RateLimit-Bucket` hash share one limit, so state is keyed by hash + major parameter once the
 *     hash is known. `X-RateLimit-Remaining` 0 means: wait `X-RateLimit-Reset-After` seconds before the next call.
 *   - The global limit: 50 requests per second per bot token, counted here in a sliding second. A 429 with
 *     `X-RateLimit-Global: true` (or `"global": true` in its body) pauses every route for `retry_after`.
 *   - `X-RateLimit-Scope`: `user` (our own per-route limit), `global`, or `shared` (a per-resource limit shared
 *     with other apps: wait, but it is no fault of ours).
 *   - The invalid-request limit: 10,000 responses with 401, 403 or 429 per 10 minutes (429s with scope `shared`
 *     excepted) earn a temporary Cloudflare ban of the IP. Counted in a sliding 10-minute window; calls are
 *     refused before the count reaches the ceiling.
 *
 * Written here rather than taken from @discordjs/rest (≈ 70 KB gzip, three times this Worker): the few calls the
 * Worker makes with its bot token (the daily report, entitlements) need this much and no more.
 *
 * This state lives per isolate, and isolates share no memory. The bot's one shared state is the DiscordRateLimiter
 * Durable Object (limiter/): bot-token calls ask it first and use this per-isolate state only as its fallback, or
 * where DISCORD_LIMITER is not bound. The interaction webhooks (rest.ts) keep their per-route buckets here
 * (`global: false`: Discord exempts them from the global limit), each token a bucket of its own.
 */

/** Discord's global limit for bot-token requests. */
export const GLOBAL_REQUESTS_PER_SECOND = 50;
export const INVALID_REQUEST_WINDOW_MS = 10 * 60_000;
/** Discord bans at 10,000 invalid requests per 10 minutes; one isolate stops well before, leaving room for the rest. */
export const INVALID_REQUEST_CEILING = 9_000;

interface Bucket {
  /** Calls still allowed before `resetAt`; reserved (decremented) when a call starts. */
  remaining: number;
  resetAt: number;
}

/**
 * The route (ids generalised) and its major parameter, from a path such as `/channels/123/messages`. Webhook calls
 * with a token in the path are rest.ts's (no bot token), so the webhook id alone is the major parameter here.
 */
/** The same for an interaction webhook (`/webhooks/{application.id}/{token}/…`, rest.ts): its bucket is per webhook + token. */
export function webhookRouteOf(method: string, path: string): { route: string; major: string } {
  const segments = path.split("?")[0]!.split("/");
  return { route: `${method} /webhooks/:major/${segments.slice(4).join("/")}`, major: `${segments[2]}/${segments[3]}` };
}

export function routeOf(method: string, path: string): { route: string; major: string } {
  const segments = path.split("?")[0]!.split("/");
  const major = /^(channels|guilds|webhooks)$/.test(segments[1]!) ? segments[2]! : "";
  return {
    route: `${method} ${segments.map((segment, i) => (i === 2 && major ? ":major" : /^\d{15,21}$/.test(segment) ? ":id" : segment)).join("/")}`,
    major,
  };
}

export interface RateLimits {
  readonly invalidCeiling: number;
  /**
   * How long to wait before this call may start (0: start now). A 0 also reserves the call: one slot of its
   * bucket and of the global second, so concurrent calls cannot all spend the same last slot.
   */
  reserve(route: string, major: string, now: number): number;
  /** Learns the bucket's hash and state from any answer that carries rate-limit headers. */
  observe(route: string, major: string, headers: Headers, now: number): void;
  /** A 429: pauses every route (global), or this bucket, for `retryAfterMs`. */
  rateLimited(
    route: string,
    major: string,
    scope: "user" | "global" | "shared",
    retryAfterMs: number,
    now: number,
  ): void;
  recordInvalid(now: number): void;
  /** Invalid responses counted in the last 10 minutes. */
  invalidCount(now: number): number;
}

/** Buckets kept before expired ones are dropped: every interaction token is a bucket of its own. */
const MAX_BUCKETS = 1_000;

/** `global: false` for the interaction webhooks: Discord exempts them from the global limit, not from their buckets. */
export function createRateLimits(invalidCeiling = INVALID_REQUEST_CEILING, global = true): RateLimits {
  const hashes = new Map<string, string>();
  const buckets = new Map<string, Bucket>();
  let globalUntil = 0;
  /** Start times of the latest calls, oldest first, at most GLOBAL_REQUESTS_PER_SECOND of them. */
  const recent: number[] = [];
  /** Times of counted invalid responses, oldest first. */
  const invalid: number[] = [];
  const key = (route: string, major: string) => `${hashes.get(route) ?? route}|${major}`;

  return {
    invalidCeiling,
    reserve(route, major, now) {
      const bucket = buckets.get(key(route, major));
      // A window that is over: Discord refills it, but how far is unknown until the next answer says.
      if (bucket && now >= bucket.resetAt) buckets.delete(key(route, major));
      const bucketWait = bucket && now < bucket.resetAt && bucket.remaining <= 0 ? bucket.resetAt - now : 0;
      const globalWait = !global || recent.length < GLOBAL_REQUESTS_PER_SECOND ? 0 : recent[0]! + 1000 - now;
      const wait = Math.max(globalUntil - now, bucketWait, globalWait);
      if (wait > 0) return wait;
      if (bucket) bucket.remaining--;
      if (global && recent.push(now) > GLOBAL_REQUESTS_PER_SECOND) recent.shift();
      return 0;
    },
    observe(route, major, headers, now) {
      const hash = headers.get("X-RateLimit-Bucket");
      if (hash) hashes.set(route, hash);
      const remaining = Number(headers.get("X-RateLimit-Remaining") ?? Number.NaN);
      const resetAfter = Number(headers.get("X-RateLimit-Reset-After") ?? Number.NaN);
      if (Number.isFinite(remaining) && Number.isFinite(resetAfter))
        buckets.set(key(route, major), { remaining, resetAt: now + Math.ceil(resetAfter * 1000) });
      if (buckets.size > MAX_BUCKETS)
        for (const [name, bucket] of buckets) if (bucket.resetAt <= now) buckets.delete(name);
    },
    rateLimited(route, major, scope, retryAfterMs, now) {
      if (scope === "global") globalUntil = Math.max(globalUntil, now + retryAfterMs);
      else buckets.set(key(route, major), { remaining: 0, resetAt: now + retryAfterMs });
    },
    recordInvalid(now) {
      invalid.push(now);
    },
    invalidCount(now) {
      let expired = 0;
      while (expired < invalid.length && invalid[expired]! <= now - INVALID_REQUEST_WINDOW_MS) expired++;
      invalid.splice(0, expired);
      return invalid.length;
    },
  };
}

let isolateLimits: RateLimits | undefined;

/** The isolate's one set of limits: every bot client in this isolate spends from the same buckets and budgets. */
export function isolateRateLimits(): RateLimits {
  return (isolateLimits ??= createRateLimits());
}
