/**
 * The Durable Object every isolate asks before a bot-token call and tells what Discord answered (state.ts has the
 * rules). One object, named "bot", holds the whole bot's limits: Discord counts the global limit per bot and the
 * invalid requests per IP (shared by Workers), so a split by route would still need one owner for both, and one
 * object serves about 1,000 requests/s (Cloudflare, "Durable Objects limits") against the ≤ 50 grants/s it can
 * usefully hand out, leases cutting the asks further. The buckets live in memory: after an eviction they are
 * relearned with one probe each. The invalid-request count is kept in storage (a few 10-second slots), so a storm
 * is not forgotten by a restart.
 *
 * It speaks JSON over fetch (POST /acquire, POST /answer) rather than RPC: RPC needs the class to extend
 * `DurableObject` from "cloudflare:workers", an import the Worker's bundle otherwise does without.
 */
import { createLimiterState, type LimiterState } from "./state.ts";

const SLOTS_KEY = "invalid";

export class DiscordRateLimiter {
  readonly #storage: DurableObjectStorage;
  #state: LimiterState | undefined;

  constructor(ctx: DurableObjectState) {
    this.#storage = ctx.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const limits = (this.#state ??= createLimiterState(
      new Map(this.#storage.kv.get<[number, number][]>(SLOTS_KEY) ?? []),
    ));
    const body = await request.json();
    const now = Date.now();
    if (new URL(request.url).pathname === "/acquire") return Response.json(limits.acquire(body as never, now));
    const before = limits.invalidCount(now);
    for (const answer of body as never[]) limits.answer(answer, now);
    if (limits.invalidCount(now) !== before) this.#storage.kv.put(SLOTS_KEY, [...limits.invalidSlots]);
    return new Response(null, { status: 204 });
  }
}
