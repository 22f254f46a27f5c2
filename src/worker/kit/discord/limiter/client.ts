/**
 * What a bot-token call asks before it goes and tells after (bot-rest.ts): `localLimiter` over the isolate's own
 * state (rate-limits.ts), or `sharedLimiter` over the bot's one Durable Object (object.ts), which falls back to the
 * local one when the object cannot answer in time. Bot-token calls run in deferred work only (the cron, queue
 * consumers, waitUntil), never on the 3-second path; asking costs one RPC per lease of up to MAX_LEASE slots, and
 * telling one RPC per call.
 *
 * The fallback: an object that throws or takes longer than LIMITER_DEADLINE_MS makes this isolate use its own
 * limits (the global 50/s, the buckets it learned, its own invalid-request count) for FALLBACK_MS, with one log
 * line (`discord.limiter.fallback`), then ask the object again. Never unlimited; and while it lasts, the isolate's
 * invalid-request ceiling is a tenth of the shared one, as other isolates may be spending too.
 */
import { log } from "../../log.ts";
import { scaled } from "../../timing.ts";
import type { RateLimits } from "../rate-limits.ts";
import { MAX_LEASE, SHARED_INVALID_CEILING, type AcquireRequest, type Answer, type Grant } from "./state.ts";

export const LIMITER_DEADLINE_MS = 1_000;
const FALLBACK_MS = 5_000;
export const FALLBACK_INVALID_CEILING = SHARED_INVALID_CEILING / 10;

export interface Limiter {
  /** Resolves when the call may start (its slot reserved); throws a refusal naming why not. */
  acquire(route: string, major: string, wait: (ms: number) => Promise<void>): Promise<void>;
  /** What Discord answered; resolves once it is recorded (or given up on). */
  tell(answer: Answer & { route: string; major: string }, headers: Headers): Promise<void>;
}

export class LimiterRefusal extends Error {
  override readonly name = "LimiterRefusal";
}

/** The isolate's own limits: the fallback, and the whole story where no DISCORD_LIMITER is bound. */
export function localLimiter(limits: RateLimits, now: () => number = Date.now): Limiter {
  return {
    async acquire(route, major, wait) {
      const invalid = limits.invalidCount(now());
      if (invalid >= limits.invalidCeiling)
        throw new LimiterRefusal(`${invalid} invalid requests (401/403/429) in 10 minutes; Discord bans at 10,000`);
      for (let ms = limits.reserve(route, major, now()); ms > 0; ms = limits.reserve(route, major, now()))
        await wait(ms);
    },
    async tell(answer, headers) {
      const at = now();
      limits.observe(answer.route, answer.major, headers, at);
      const { status, scope } = answer;
      if (status === 401 || status === 403 || (status === 429 && scope !== "shared")) limits.recordInvalid(at);
      if (status === 429)
        limits.rateLimited(answer.route, answer.major, scope ?? "user", answer.retryAfterMs ?? 1_000, at);
    },
  };
}

/** The object as an RPC stub reaches it (every method answers a promise); tests pass doubles. */
export interface LimiterStub {
  acquire(request: AcquireRequest): Promise<Grant> | Grant;
  answer(answers: readonly Answer[]): Promise<void> | void;
}

/** Shared by the limiters of one isolate (bind.ts): while the object fails, all of them use the local limits. */
export interface LimiterHealth {
  fallbackUntil: number;
}

export function sharedLimiter(
  stub: () => LimiterStub,
  local: Limiter,
  health: LimiterHealth = { fallbackUntil: 0 },
  now: () => number = Date.now,
): Limiter {
  const leases = new Map<string, { left: number; until: number }>();
  const waiting = new Map<string, number>();
  const asking = new Map<string, Promise<Grant>>();
  const usable = () => now() >= health.fallbackUntil;

  function fallBack(error: unknown, call: string): void {
    health.fallbackUntil = now() + scaled(FALLBACK_MS);
    log("discord.limiter.fallback", {
      call,
      error: error instanceof Error ? error.message : String(error),
      fallback_ms: scaled(FALLBACK_MS),
      level: "warn",
    });
  }

  return {
    async acquire(route, major, wait) {
      const key = `${route}|${major}`;
      waiting.set(key, (waiting.get(key) ?? 0) + 1);
      try {
        for (;;) {
          const lease = leases.get(key);
          if (lease && lease.left > 0 && now() < lease.until) {
            lease.left--;
            return;
          }
          // One ask per bucket at a time: the calls waiting behind it take from the lease it brings.
          const pending = asking.get(key);
          if (pending) {
            await pending.catch(() => {});
            continue;
          }
          if (!usable()) return await local.acquire(route, major, wait);
          const asked = ask(() => stub().acquire({ route, major, want: Math.min(MAX_LEASE, waiting.get(key) ?? 1) }));
          asking.set(key, asked);
          let grant;
          try {
            grant = await asked;
          } catch (error) {
            fallBack(error, "acquire");
            continue;
          } finally {
            asking.delete(key);
          }
          if (grant.refused) throw new LimiterRefusal(grant.refused);
          if (grant.granted > 0) {
            leases.set(key, { left: grant.granted - 1, until: grant.leaseUntil });
            return;
          }
          await wait(grant.waitMs);
        }
      } finally {
        waiting.set(key, waiting.get(key)! - 1);
      }
    },
    async tell(answer, headers) {
      // The local state learns too: a fallback starts from what this isolate saw, not from nothing.
      await local.tell(answer, headers);
      if (!usable()) return;
      try {
        await ask(() => stub().answer([answer]));
      } catch (error) {
        fallBack(error, "answer");
      }
    },
  };
}

/** One call to the object, given up after LIMITER_DEADLINE_MS. */
export function ask<T>(call: () => Promise<T> | T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(
        () => reject(new Error(`no answer within ${scaled(LIMITER_DEADLINE_MS)} ms`)),
        scaled(LIMITER_DEADLINE_MS),
      )),
  );
  return Promise.race([Promise.resolve().then(call), deadline]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}

/** What a call's response says, for the limiter; `scope` as bot-rest.ts reads it (some global 429s only flag the body). */
export function answerOf(
  route: string,
  major: string,
  response: Response,
  body: Record<string, unknown> | null,
  retryAfterMs: number,
): Answer & { route: string; major: string } {
  const headers = response.headers;
  // Absent headers become undefined, which JSON leaves out.
  const number = (name: string) => {
    const value = Number(headers.get(`X-RateLimit-${name}`) ?? Number.NaN);
    return Number.isFinite(value) ? value : undefined;
  };
  const resetAfter = number("Reset-After");
  return {
    route,
    major,
    status: response.status,
    scope:
      headers.get("X-RateLimit-Global") === "true" || body?.global === true
        ? "global"
        : headers.get("X-RateLimit-Scope") === "shared"
          ? "shared"
          : "user",
    bucket: headers.get("X-RateLimit-Bucket") ?? undefined,
    limit: number("Limit"),
    remaining: number("Remaining"),
    reset: number("Reset"),
    resetAfterMs: resetAfter === undefined ? undefined : Math.ceil(resetAfter * 1000),
    retryAfterMs: response.status === 429 ? retryAfterMs : undefined,
  };
}
