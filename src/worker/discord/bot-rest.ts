/**
 * The bot-token REST client: the few Discord calls that need `Authorization: Bot …` (channel messages for the
 * daily report, entitlements), never the interaction webhooks (src/worker/discord/rest.ts: no token, exempt from
 * the global limit). Every call goes through the isolate's rate-limit state (./rate-limits.ts, which cites
 * Discord's rules): it waits for its bucket, the global second and any global pause before it starts, and it
 * refuses to start at all once the invalid-request count nears Discord's ban threshold.
 *   - 429: the body's `retry_after` (else `Retry-After`) pauses the bucket, or every route when global; at most 3
 *     retries. Counted as invalid unless `X-RateLimit-Scope: shared`.
 *   - 401: counted, and the client stops: the token is wrong or revoked, and every further call would be another
 *     invalid request. 403: counted, never retried.
 *   - 5xx or a network error: at most 2 retries, backoff 250 ms, 500 ms.
 *   - A per-attempt timeout, and an optional deadline no wait may cross.
 * Message bodies (JSON or multipart) and errors are rest.ts's.
 */
import type { APIEntitlement, APIMessage } from "discord-api-types/v10";
import type { FinalMessage, MessageData } from "./messages.ts";
import { isolateRateLimits, routeOf, type RateLimits, type RateLimitScope } from "./rate-limits.ts";
import { describe, DiscordApiError, messageBody, readJson, retryAfterMs, USER_AGENT } from "./rest.ts";

export interface BotRestOptions {
  readonly apiBase: string;
  readonly botToken: string;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Epoch ms after which no attempt starts and no wait ends. */
  readonly deadline?: number;
  /** Default: the isolate's shared state. Tests pass their own. */
  readonly limits?: RateLimits;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
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

const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_SERVER_ERROR_RETRIES = 2;
const SERVER_ERROR_BACKOFF_MS = 250;

export class DiscordBotClient {
  private readonly options: BotRestOptions;
  private readonly limits: RateLimits;
  private readonly fetcher: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private unauthorized = false;

  constructor(options: BotRestOptions) {
    this.options = options;
    this.limits = options.limits ?? isolateRateLimits();
    this.fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  /** POST /channels/{channel.id}/messages: JSON, or multipart when the message carries files. Needs Send Messages (and Attach Files). */
  createMessage(channelId: string, message: FinalMessage | MessageData): Promise<APIMessage> {
    return this.send("POST", `/channels/${encodeURIComponent(channelId)}/messages`, message) as Promise<APIMessage>;
  }

  /** GET /applications/{application.id}/entitlements. */
  listEntitlements(applicationId: string, query: EntitlementQuery = {}): Promise<APIEntitlement[]> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) params.set(name, Array.isArray(value) ? value.join(",") : String(value));
    }
    const search = params.toString() ? `?${params}` : "";
    return this.send("GET", `/applications/${encodeURIComponent(applicationId)}/entitlements${search}`) as Promise<APIEntitlement[]>;
  }

  private async send(method: string, path: string, message?: FinalMessage | MessageData): Promise<unknown> {
    const { route, major } = routeOf(method, path);
    const where = `${method} ${path.split("?")[0]}`;
    const fail = (why: string, status: number, code: number | null, attempt: number) => new DiscordApiError(`discord(bot): ${where} ${why}`, status, code, attempt);
    let rateLimited = 0;
    let serverErrors = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.unauthorized) throw fail("refused: an earlier call answered 401, so DISCORD_TOKEN is wrong or revoked (set it again with wrangler secret put DISCORD_TOKEN)", 401, null, attempt - 1);
      const invalid = this.limits.invalidCount(this.now());
      if (invalid >= this.limits.invalidCeiling) {
        throw fail(`refused: ${invalid} invalid requests (401/403/429) in the last 10 minutes; Discord bans the IP at 10,000, so this isolate stops at ${this.limits.invalidCeiling}`, 0, null, attempt - 1);
      }
      for (let wait = this.limits.reserve(route, major, this.now()); wait > 0; wait = this.limits.reserve(route, major, this.now())) {
        await this.wait(wait, () => fail(`ran out of time waiting ${wait} ms for its rate limit (deadline reached)`, 429, null, attempt - 1));
      }

      let response: Response;
      try {
        response = await this.attempt(method, path, message);
      } catch (error) {
        if (serverErrors >= MAX_SERVER_ERROR_RETRIES) throw fail(`failed after ${attempt} attempts: ${describe(error)}`, 0, null, attempt);
        await this.wait(SERVER_ERROR_BACKOFF_MS * 2 ** serverErrors++, () => fail(`ran out of time after ${describe(error)} (deadline reached)`, 0, null, attempt));
        continue;
      }
      const now = this.now();
      this.limits.observe(route, major, response.headers, now);
      if (response.ok) return response.status === 204 ? null : response.json().catch(() => null);

      const body = await readJson(response);
      const code = typeof body?.code === "number" ? body.code : null;
      const detail = typeof body?.message === "string" ? body.message : response.statusText;
      const refused = () => fail(`answered ${response.status}${code !== null ? ` (code ${code})` : ""}: ${detail}`, response.status, code, attempt);
      if (response.status === 429) {
        const scope = scopeOf(response, body);
        if (scope !== "shared") this.limits.recordInvalid(now);
        const retryMs = retryAfterMs(response, body);
        this.limits.rateLimited(route, major, scope, retryMs, now);
        if (rateLimited++ >= MAX_RATE_LIMIT_RETRIES) throw refused();
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        this.limits.recordInvalid(now);
        if (response.status === 401) this.unauthorized = true;
        throw refused();
      }
      if (response.status >= 500 && serverErrors < MAX_SERVER_ERROR_RETRIES) {
        await this.wait(SERVER_ERROR_BACKOFF_MS * 2 ** serverErrors++, refused);
        continue;
      }
      throw refused();
    }
  }

  private attempt(method: string, path: string, message: FinalMessage | MessageData | undefined): Promise<Response> {
    const headers: Record<string, string> = { "User-Agent": USER_AGENT, Authorization: `Bot ${this.options.botToken}` };
    const body = message === undefined ? undefined : messageBody(message, headers);
    const timeout = Math.min(this.options.timeoutMs ?? 10_000, this.remaining());
    return this.fetcher(this.options.apiBase + path, { method, headers, body, signal: AbortSignal.timeout(Math.max(1, timeout)) });
  }

  private remaining(): number {
    return this.options.deadline === undefined ? Number.POSITIVE_INFINITY : this.options.deadline - this.now();
  }

  private async wait(ms: number, late: () => DiscordApiError): Promise<void> {
    if (this.remaining() <= ms) throw late();
    await this.sleep(ms);
  }
}

/** The header, else the body's `global` flag (some global 429s carry only that). */
function scopeOf(response: Response, body: Record<string, unknown> | null): RateLimitScope {
  if (response.headers.get("X-RateLimit-Global") === "true" || body?.global === true) return "global";
  const scope = response.headers.get("X-RateLimit-Scope");
  return scope === "shared" || scope === "global" ? scope : "user";
}
