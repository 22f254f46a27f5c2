/**
 * A small client for the interaction webhook routes (edit/delete @original, create/edit/delete follow-ups), and the
 * request loop it shares with the bot-token client (bot-rest.ts): headers, bodies, retries, deadline, errors.
 *
 * Why not @discordjs/rest: it costs ≈ 70 KB gzip (three times this whole Worker) and its value is bucket
 * state, which lives per isolate and is relearned by every isolate anyway. These routes need no bot token,
 * are exempt from the global rate limit, and every interaction token is its own bucket, so the only rate
 * limit logic that pays is "on 429, wait what Discord says and try again". Kept here:
 *   - 429: wait the body's `retry_after` (float seconds), else `Retry-After`; at most 3 retries.
 *   - 5xx or network error: at most 2 retries, backoff 250 ms, 500 ms.
 *   - 404 Unknown Webhook (code 10015) on a webhook PATCH or POST: retried with backoff 250, 500, 1000, then 2000 ms,
 *     each logged, until about 12 s of waiting (never past the deadline). Right after a deferral Discord can answer it
 *     before the interaction's webhook exists; discord-api-docs #7220 shows it taking about 10 s to clear, so a
 *     shorter schedule loses the final message. The few extra 404s cost far less than a lost final message.
 *   - Any other 4xx: never retried (retrying 401/403/404 counts toward Discord's invalid-request ban).
 *   - A timeout on every attempt, and an overall deadline no wait may cross (waitUntil's ≈ 30 s budget).
 */
import { log, type LogFields } from "../log.ts";
import { withDefaultMentions } from "./mentions.ts";
import type { FileUpload, FinalMessage, MessageData } from "./messages.ts";
import { scaled } from "../timing.ts";
import { createRateLimits, webhookRouteOf, type RateLimits } from "./rate-limits.ts";

export const USER_AGENT = "DiscordBot (https://github.com/edge-discord-bot/edge-discord-bot, 0.1.0)";

export interface RestOptions extends RequestOptions {
  readonly applicationId: string;
  /** Told of every 401, 403 and 429 (bar shared-scope ones): the bot's shared invalid-request budget (limiter/). */
  readonly onInvalid?: (status: number, scope: string) => Promise<void>;
}

/** The isolate's webhook buckets (no global limit; every token its own bucket). */
let webhookLimits: RateLimits | undefined;

export interface RequestOptions {
  readonly apiBase: string;
  /** Per-attempt timeout. */
  readonly timeoutMs?: number;
  /** Epoch ms after which no attempt starts and no retry waits. */
  readonly deadline?: number;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock the deadline is read on (tests move it). */
  readonly now?: () => number;
}

const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_SERVER_ERROR_RETRIES = 2;
const SERVER_ERROR_BACKOFF_MS = 250;
/** The Unknown Webhook schedule: 250 ms doubling to 2 s, for at most ≈ 12 s of waiting in all (#7220: ≈ 10 s). */
const UNKNOWN_WEBHOOK_BACKOFF_MS = 250;
const UNKNOWN_WEBHOOK_MAX_BACKOFF_MS = 2_000;
const UNKNOWN_WEBHOOK_MAX_WAIT_MS = 12_000;
const UNKNOWN_WEBHOOK = 10015;

export class DiscordApiError extends Error {
  override readonly name = "DiscordApiError";
  readonly status: number;
  /** Discord's JSON error code (e.g. 10015 Unknown Webhook, 50035 Invalid Form Body), when present. */
  readonly code: number | null;
  readonly attempts: number;
  /** After a 429: how long Discord asked to wait (its `retry_after`), so a later retry can honour it. */
  readonly retryAfterMs: number | null;
  constructor(
    message: string,
    status: number,
    code: number | null,
    attempts: number,
    retryAfterMs: number | null = null,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.attempts = attempts;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface SentMessage {
  readonly id: string;
  readonly [key: string]: unknown;
}

export class DiscordRestClient {
  private readonly applicationId: string;
  private readonly send: Requester;

  constructor(options: RestOptions) {
    this.applicationId = options.applicationId;
    const limits = (webhookLimits ??= createRateLimits(Number.POSITIVE_INFINITY, false));
    const now = options.now ?? Date.now;
    this.send = createRequester(options, {
      area: "rest",
      // Per-route buckets, as Discord asks of webhook calls too; exempt from the global limit.
      before: async (method, path, wait) => {
        const { route, major } = webhookRouteOf(method, path);
        for (let ms = limits.reserve(route, major, now()); ms > 0; ms = limits.reserve(route, major, now()))
          await wait(ms);
      },
      // A 429 is waited out by the loop below (retry_after), so only other answers move the bucket.
      after: async (method, path, response, body) => {
        const status = response.status;
        if (status !== 429) {
          const { route, major } = webhookRouteOf(method, path);
          limits.observe(route, major, response.headers, now());
        }
        if (status !== 401 && status !== 403 && status !== 429) return;
        const scope = response.headers.get("X-RateLimit-Scope") ?? (body?.global === true ? "global" : "user");
        if (scope !== "shared") await options.onInvalid?.(status, scope);
      },
    });
  }

  /** PATCH @original: the message of the interaction (after type 5), or the component's message (after type 6). */
  editOriginalResponse(token: string, message: FinalMessage | MessageData): Promise<SentMessage> {
    return this.send("PATCH", this.webhookPath(token, "/messages/@original"), message) as Promise<SentMessage>;
  }

  async deleteOriginalResponse(token: string): Promise<void> {
    await this.send("DELETE", this.webhookPath(token, "/messages/@original"));
  }

  createFollowupMessage(token: string, message: FinalMessage | MessageData): Promise<SentMessage> {
    return this.send("POST", this.webhookPath(token, ""), message) as Promise<SentMessage>;
  }

  editFollowupMessage(token: string, messageId: string, message: FinalMessage | MessageData): Promise<SentMessage> {
    return this.send(
      "PATCH",
      this.webhookPath(token, `/messages/${encodeURIComponent(messageId)}`),
      message,
    ) as Promise<SentMessage>;
  }

  async deleteFollowupMessage(token: string, messageId: string): Promise<void> {
    await this.send("DELETE", this.webhookPath(token, `/messages/${encodeURIComponent(messageId)}`));
  }

  private webhookPath(token: string, rest: string): string {
    return `/webhooks/${this.applicationId}/${encodeURIComponent(token)}${rest}`;
  }
}

/** Sends one call with the retries above; resolves to the parsed JSON answer (null for 204). */
export type Requester = (
  method: string,
  path: string,
  message?: FinalMessage | MessageData | JsonBody,
) => Promise<unknown>;

/** A request body that is not a message (a thread, a DM channel, an emoji): sent as JSON as it is, without the mention defaults. */
export interface JsonBody {
  readonly json: unknown;
}

/** What a client adds to the shared request loop (the bot-token client, bot-rest.ts: its token and rate limits). */
export interface RequestHooks {
  /** Names the client in errors: `discord(<area>): …`. */
  readonly area: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Before every attempt: may wait (through `wait`, which keeps to the deadline) or refuse by throwing. */
  readonly before?: (method: string, path: string, wait: (ms: number) => Promise<void>) => Promise<void>;
  /** Sees every answer before the loop acts on it (`body`: the JSON of a failure; null for a success). */
  readonly after?: (
    method: string,
    path: string,
    response: Response,
    body: Record<string, unknown> | null,
  ) => void | Promise<void>;
}

export function createRequester(options: RequestOptions, hooks: RequestHooks): Requester {
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const remaining = () => (options.deadline === undefined ? Number.POSITIVE_INFINITY : options.deadline - now());

  return async (method, path, message) => {
    const where = `discord(${hooks.area}): ${method} ${redactPath(path)}`;
    let attempt = 0;
    // A wait past the deadline ends the call; the error carries the wait (Discord's retry_after), for a later retry.
    const wait = async (ms: number) => {
      if (remaining() <= ms)
        throw new DiscordApiError(
          `${where} ran out of time before attempt ${attempt + 1} (deadline reached)`,
          0,
          null,
          attempt,
          ms,
        );
      await sleep(ms);
    };
    // Every retry is one log line (the wait and why), so an operator sees a slow Discord call for what it was.
    const retry = (reason: string, ms: number, fields: LogFields = {}) => {
      log("discord.retry", { reason, method, path: redactPath(path), attempt, wait_ms: ms, ...fields, level: "warn" });
      return wait(ms);
    };
    let rateLimited = 0;
    let serverErrors = 0;
    let unknownWebhook = 0;
    let unknownWebhookWaited = 0;
    for (;;) {
      await hooks.before?.(method, path, wait);
      if (remaining() <= 0)
        throw new DiscordApiError(
          `${where} ran out of time before attempt ${attempt + 1} (deadline reached)`,
          0,
          null,
          attempt,
        );
      attempt++;
      let response: Response;
      try {
        const headers: Record<string, string> = { "User-Agent": USER_AGENT, ...hooks.headers };
        const body = message === undefined ? undefined : messageBody(message, headers);
        const timeout = Math.max(1, Math.min(options.timeoutMs ?? scaled(10_000), remaining()));
        response = await fetcher(options.apiBase + path, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(timeout),
        });
      } catch (error) {
        if (serverErrors >= MAX_SERVER_ERROR_RETRIES)
          throw new DiscordApiError(`${where} failed after ${attempt} attempts: ${describe(error)}`, 0, null, attempt);
        await retry("network_error", scaled(SERVER_ERROR_BACKOFF_MS * 2 ** serverErrors++), { error: describe(error) });
        continue;
      }
      if (response.ok) {
        await hooks.after?.(method, path, response, null);
        return response.status === 204 ? null : response.json().catch(() => null);
      }
      const body = await readJson(response);
      await hooks.after?.(method, path, response, body);
      if (response.status === 429 && rateLimited < MAX_RATE_LIMIT_RETRIES) {
        rateLimited++;
        await retry("rate_limited", retryAfterMs(response, body));
        continue;
      }
      if (response.status >= 500 && serverErrors < MAX_SERVER_ERROR_RETRIES) {
        await retry("server_error", scaled(SERVER_ERROR_BACKOFF_MS * 2 ** serverErrors++), { status: response.status });
        continue;
      }
      const code = typeof body?.code === "number" ? body.code : null;
      const unknownWaitMs = Math.min(UNKNOWN_WEBHOOK_MAX_BACKOFF_MS, UNKNOWN_WEBHOOK_BACKOFF_MS * 2 ** unknownWebhook);
      if (
        response.status === 404 &&
        code === UNKNOWN_WEBHOOK &&
        method !== "DELETE" &&
        path.startsWith("/webhooks/") &&
        unknownWebhookWaited + unknownWaitMs <= UNKNOWN_WEBHOOK_MAX_WAIT_MS
      ) {
        const waitMs = unknownWaitMs;
        unknownWebhook++;
        unknownWebhookWaited += waitMs;
        await retry("unknown_webhook", scaled(waitMs));
        continue;
      }
      const detail =
        (typeof body?.message === "string" ? body.message : response.statusText) + fieldErrors(body?.errors);
      throw new DiscordApiError(
        `${where} answered ${response.status}${code !== null ? ` (code ${code})` : ""}: ${detail}`,
        response.status,
        code,
        attempt,
        response.status === 429 ? retryAfterMs(response, body) : null,
      );
    }
  };
}

/**
 * Discord's error tree (50035 Invalid Form Body) flattened, as discord.js's DiscordAPIError does:
 * `{ options: { "0": { min_value: { _errors: [{ code, message }] } } } }` → `; options[0].min_value: <message>`
 * (https://discord.com/developers/docs/reference#error-messages). Empty when there is no tree.
 */
function fieldErrors(tree: unknown, at = ""): string {
  if (typeof tree !== "object" || tree === null) return "";
  return Object.entries(tree)
    .map(([key, value]) =>
      key === "_errors"
        ? (value as { message: string }[]).map((e) => `; ${at}: ${e.message}`).join("")
        : fieldErrors(value, /^\d+$/.test(key) ? `${at}[${key}]` : at ? `${at}.${key}` : key),
    )
    .join("");
}

/**
 * The request body of a message: JSON, or multipart when it carries files (sets Content-Type for JSON only). Every
 * message the bot sends after the first answer passes here: mentions off unless asked for (mentions.ts).
 */
function messageBody(message: FinalMessage | MessageData | JsonBody, headers: Record<string, string>): BodyInit {
  if ("json" in message) {
    headers["Content-Type"] = "application/json";
    return JSON.stringify(message.json);
  }
  const { data: given, files } = normalise(message);
  const data = withDefaultMentions(given);
  if (files.length > 0) return multipartBody(data, files);
  headers["Content-Type"] = "application/json";
  return JSON.stringify(data);
}

function normalise(message: FinalMessage | MessageData): { data: MessageData; files: readonly FileUpload[] } {
  if ("data" in message && typeof message.data === "object" && message.data !== null && !Array.isArray(message.data)) {
    const final = message as FinalMessage;
    return { data: final.data, files: final.files ?? [] };
  }
  return { data: message as MessageData, files: [] };
}

/**
 * `payload_json` plus `files[n]`; `attachments` lists the files the message keeps afterwards: the ones
 * the caller kept (existing snowflake ids, from data.attachments) and every new upload by its index, written as a
 * string ("0"): Discord's API description types every attachment id as a snowflake string.
 */
export function multipartBody(data: MessageData, files: readonly FileUpload[]): FormData {
  const kept = (data.attachments ?? []).filter((a) => typeof a.id === "string");
  const payload = {
    ...data,
    attachments: [
      ...kept,
      ...files.map((file, n) => ({
        id: String(n),
        filename: file.name,
        ...(file.description ? { description: file.description } : {}),
      })),
    ],
  };
  const form = new FormData();
  form.append("payload_json", new Blob([JSON.stringify(payload)], { type: "application/json" }));
  files.forEach((file, n) => form.append(`files[${n}]`, new Blob([file.data], { type: file.contentType }), file.name));
  return form;
}

export function retryAfterMs(response: Response, body: Record<string, unknown> | null): number {
  const fromBody = body?.retry_after;
  if (typeof fromBody === "number" && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody * 1000);
  const header = Number(response.headers.get("Retry-After"));
  if (Number.isFinite(header) && header >= 0) return Math.ceil(header * 1000);
  return 1000;
}

async function readJson(response: Response): Promise<Record<string, unknown> | null> {
  try {
    const value: unknown = await response.json();
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Interaction tokens are credentials for 15 minutes: never put them in an error message or a log. */
function redactPath(path: string): string {
  return path.replace(/^(\/webhooks\/[^/]+\/)[^/]+/, "$1:token");
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === "TimeoutError" ? "timed out" : error.message;
  return String(error);
}
