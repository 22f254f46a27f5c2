/**
 * The limiter a bot-token client uses: the bot's Durable Object when DISCORD_LIMITER is bound (wrangler.toml; the
 * services Worker hosts the class; one object, "bot", for every isolate), with this isolate's own limits as its fallback; the isolate's limits alone when
 * it is not bound (a deployment without the migration keeps working as before, counted per isolate).
 */
import type { Env } from "../../env.ts";
import { log } from "../../log.ts";
import { createRateLimits, isolateRateLimits, type RateLimits } from "../rate-limits.ts";
import {
  ask,
  FALLBACK_INVALID_CEILING,
  localLimiter,
  sharedLimiter,
  type Limiter,
  type LimiterHealth,
  type LimiterStub,
} from "./client.ts";

let fallbackLimits: RateLimits | undefined;
/** One per isolate: an object that failed one client is not asked again by the next one until the fallback ends. */
const health: LimiterHealth = { fallbackUntil: 0 };

export function botLimiter(env: Env): Limiter {
  const namespace = env.DISCORD_LIMITER;
  if (!namespace) return localLimiter(isolateRateLimits());
  const local = localLimiter((fallbackLimits ??= createRateLimits(FALLBACK_INVALID_CEILING)));
  return sharedLimiter(() => limiterStub(namespace), local, health);
}

/**
 * For the interaction webhooks (rest.ts): their 401, 403 and 429 spend the same invalid-request budget (Discord
 * counts per IP), so the object hears of them; the webhooks themselves never ask it (no global limit applies).
 * An object that cannot be told in time is logged, and the call's own outcome stands.
 */
export function invalidReporter(env: Env): ((status: number, scope: string) => Promise<void>) | undefined {
  const namespace = env.DISCORD_LIMITER;
  if (!namespace) return undefined;
  return async (status, scope) => {
    try {
      await ask(() => limiterStub(namespace).answer([{ status, scope: scope === "global" ? "global" : "user" }]));
    } catch (error) {
      log("discord.limiter.unreachable", {
        call: "answer",
        status,
        error: error instanceof Error ? error.message : String(error),
        level: "warn",
      });
    }
  };
}

/** The bot's one object (named "bot"), as the client speaks to it: JSON over its fetch. */
export function limiterStub(namespace: DurableObjectNamespace, name = "bot"): LimiterStub {
  const stub = namespace.get(namespace.idFromName(name));
  const post = (op: string, body: unknown) =>
    stub.fetch(`https://limiter/${op}`, { method: "POST", body: JSON.stringify(body) });
  return {
    acquire: async (request) => (await post("acquire", request)).json(),
    answer: async (answers) => void (await post("answer", answers)).body?.cancel(),
  };
}
