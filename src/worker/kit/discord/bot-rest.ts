/**
 * The bot-token REST client: the few Discord calls that need `Authorization: Bot …` (channel messages for the
 * daily report, entitlements), never the interaction webhooks (rest.ts: no token, exempt from the global limit).
 * It runs rest.ts's request loop (bodies, retries, deadline, errors) with the bot's rate-limit state (limiter/: one
 * Durable Object for every isolate, this isolate's own rate-limits.ts as its fallback, or alone where DISCORD_LIMITER
 * is not bound; rate-limits.ts cites Discord's rules): before each attempt it waits for its bucket, the global second and
 * any global pause, or refuses once the invalid-request count nears Discord's ban threshold; every answer updates
 * the buckets, a 429 pauses its bucket (every route when global), and 401, 403 and 429 (unless its scope is
 * `shared`) count as invalid requests. After a 401 the client refuses every further call: the token is wrong or
 * revoked, and each retry would be another invalid request.
 */
import type { APIEntitlement, APIMessage } from "discord-api-types/v10";
import type { FinalMessage, MessageData } from "./messages.ts";
import type { Env } from "../env.ts";
import { botLimiter } from "./limiter/bind.ts";
import { answerOf, LimiterRefusal, localLimiter, type Limiter } from "./limiter/client.ts";
import { routeOf, type RateLimits } from "./rate-limits.ts";
import {
  createRequester,
  DiscordApiError,
  retryAfterMs,
  type JsonBody,
  type RequestOptions,
  type Requester,
} from "./rest.ts";

export interface BotRestOptions extends RequestOptions {
  readonly botToken: string;
  /** The limiter to ask. Default: `limits` when given, else the bot's shared one when `env` binds DISCORD_LIMITER. */
  readonly limiter?: Limiter;
  /** This isolate's own limits only. Tests pass their own. */
  readonly limits?: RateLimits;
  /** The Worker's bindings: DISCORD_LIMITER, the bot's one rate-limit state (limiter/bind.ts). */
  readonly env?: Pick<Env, "DISCORD_LIMITER">;
}

/** List Entitlements' query (GET /applications/{application.id}/entitlements). */
export interface EntitlementQuery {
  readonly user_id?: string;
  readonly guild_id?: string;
  readonly sku_ids?: readonly string[];
  readonly before?: string;
  readonly after?: string;
  /** 1-100 (Discord's default 100). */
  readonly limit?: number;
  readonly exclude_ended?: boolean;
  readonly exclude_deleted?: boolean;
}

export class DiscordBotClient {
  private readonly send: Requester;
  private unauthorized = false;

  constructor(options: BotRestOptions) {
    const now = options.now ?? Date.now;
    const limiter =
      options.limiter ?? (options.limits ? localLimiter(options.limits, now) : botLimiter(options.env ?? {}));
    this.send = createRequester(options, {
      area: "bot",
      headers: { Authorization: `Bot ${options.botToken}` },
      before: async (method, path, wait) => {
        const refuse = (why: string) =>
          new DiscordApiError(`discord(bot): ${method} ${path} refused: ${why}`, 0, null, 0);
        if (this.unauthorized) throw refuse("DISCORD_TOKEN is wrong or revoked (an earlier call answered 401)");
        const { route, major } = routeOf(method, path);
        try {
          await limiter.acquire(route, major, wait);
        } catch (error) {
          throw error instanceof LimiterRefusal ? refuse(error.message) : error;
        }
      },
      after: (method, path, response, body) => {
        const { route, major } = routeOf(method, path);
        if (response.status === 401) this.unauthorized = true;
        return limiter.tell(answerOf(route, major, response, body, retryAfterMs(response, body)), response.headers);
      },
    });
  }

  /** POST /channels/{channel.id}/messages: JSON, or multipart with files. Needs View Channel and Send Messages (Attach Files, Embed Links). */
  createMessage(channelId: string, message: FinalMessage | MessageData): Promise<APIMessage> {
    return this.send("POST", `/channels/${encodeURIComponent(channelId)}/messages`, message) as Promise<APIMessage>;
  }

  /** One call through this client's limits and request loop; the typed calls (bot-routes.ts) are built on it. */
  request(method: string, path: string, body?: FinalMessage | MessageData | JsonBody): Promise<unknown> {
    return this.send(method, path, body);
  }

  /** GET /applications/{application.id}/entitlements. */
  listEntitlements(applicationId: string, query: EntitlementQuery = {}): Promise<APIEntitlement[]> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const search = params.toString();
    return this.send(
      "GET",
      `/applications/${encodeURIComponent(applicationId)}/entitlements${search ? `?${search}` : ""}`,
    ) as Promise<APIEntitlement[]>;
  }
}
