/**
 * Configuration, read and checked once per env object (i.e. once per isolate in production) so a
 * misconfigured deploy fails with one message naming every missing or malformed variable, instead of
 * failing later in some request path.
 */
import type { Env } from "./env.ts";
import { hexToBytes } from "./hex.ts";

const DEFAULT_DISCORD_API_BASE = "https://discord.com/api/v10";

export interface Config {
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  readonly publicKeyHex: string;
  readonly applicationId: string;
  readonly discordApiBase: string;
  /** Present only when DISCORD_TOKEN is set: it is needed for bot-authenticated calls only. */
  readonly botToken: string | undefined;
  readonly backendUrl: string | undefined;
  /** The backend Worker through a service binding; when bound, it is used and BACKEND_URL is not. */
  readonly backendService: Fetcher | undefined;
  readonly relaySecret: string | undefined;
  /** How deferred work is finished: in the request's waitUntil, or through the JOBS queue (then bound). */
  readonly relayMode: RelayMode;
  /**
   * What a refusal tells the user to wait. The Worker cannot read the HEAVY_LIMITER binding's period at run
   * time, so the two copies in wrangler.toml are kept equal by test/node/wrangler-config.test.ts.
   */
  readonly heavyLimitPeriodSeconds: number;
  /** What the daily cron keeps (src/worker/app/scheduled.ts). */
  readonly interactionRetentionDays: number;
  readonly feedbackRetentionDays: number;
  /** The bot's operators: /admin shows them every server's data. */
  readonly adminUserIds: ReadonlySet<string>;
  /** The SKU premium features need (`/chart file:`); undefined: nothing is gated. */
  readonly premiumSkuId: string | undefined;
  /** Where the daily cron posts its report (src/worker/app/report/); unset: no report. Needs botToken. */
  readonly reportChannelId: string | undefined;
  /** Application emoji ids by name (EMOJI_IDS, printed by `npm run register`); empty before the first sync. */
  readonly emojiIds: ReadonlyMap<string, string>;
}

type RelayMode = "waitUntil" | "queue";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`config: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

const cache = new WeakMap<object, Config | ConfigError>();

/** Returns the checked config, or throws ConfigError listing every problem. Cached per env object. */
export function readConfig(env: Env): Config {
  let entry = cache.get(env);
  if (!entry) {
    entry = parseConfig(env);
    cache.set(env, entry);
  }
  if (entry instanceof ConfigError) throw entry;
  return entry;
}

function parseConfig(env: Env): Config | ConfigError {
  const problems: string[] = [];
  const publicKeyHex = (env.DISCORD_PUBLIC_KEY ?? "").trim();
  if (!publicKeyHex) {
    problems.push("DISCORD_PUBLIC_KEY is not set (wrangler secret put DISCORD_PUBLIC_KEY; locally in .dev.vars)");
  } else if (!/^[0-9a-fA-F]{64}$/.test(publicKeyHex)) {
    problems.push("DISCORD_PUBLIC_KEY must be 64 hex characters (copy the Public Key from the Developer Portal)");
  }
  const applicationId = (env.DISCORD_APPLICATION_ID ?? "").trim();
  if (!applicationId) {
    problems.push("DISCORD_APPLICATION_ID is not set (a var in wrangler.toml or .dev.vars)");
  } else if (!isSnowflake(applicationId)) {
    problems.push("DISCORD_APPLICATION_ID must be a numeric snowflake");
  }
  const discordApiBase = (env.DISCORD_API_BASE?.trim() || DEFAULT_DISCORD_API_BASE).replace(/\/+$/, "");
  if (!isHttpUrl(discordApiBase)) problems.push("DISCORD_API_BASE must be an http(s) URL");
  const backendUrl = env.BACKEND_URL?.trim().replace(/\/+$/, "") || undefined;
  if (backendUrl && !isHttpUrl(backendUrl)) problems.push("BACKEND_URL must be an http(s) URL");
  else if (backendUrl && !isSecureOrLoopback(backendUrl)) {
    problems.push(
      "BACKEND_URL must use https:// unless it points at this machine (127.0.0.1, localhost, [::1]): the relay's HMAC proves who sent a job but does not hide the user's data or the signed attachment URLs in it",
    );
  }
  const relayMode = readRelayMode(env, problems);
  const heavyLimitPeriodSeconds = positive(
    env.HEAVY_LIMIT_PERIOD_SECONDS,
    60,
    /^\d+$/,
    problems,
    "HEAVY_LIMIT_PERIOD_SECONDS must be a positive whole number of seconds, equal to the HEAVY_LIMITER period in wrangler.toml (default 60)",
  );
  const interactionRetentionDays = positive(
    env.INTERACTION_RETENTION_DAYS,
    30,
    DECIMAL,
    problems,
    "INTERACTION_RETENTION_DAYS must be a positive number of days (default 30)",
  );
  const feedbackRetentionDays = positive(
    env.FEEDBACK_RETENTION_DAYS,
    365,
    DECIMAL,
    problems,
    "FEEDBACK_RETENTION_DAYS must be a positive number of days (default 365)",
  );
  const adminUserIds = readAdminUserIds(env, problems);
  const premiumSkuId = env.PREMIUM_SKU_ID?.trim() || undefined;
  if (premiumSkuId && !isSnowflake(premiumSkuId)) {
    problems.push(
      "PREMIUM_SKU_ID must be a SKU id (a numeric snowflake from Developer Portal → your app → Monetization → SKUs), or empty for no premium gate",
    );
  }
  const reportChannelId = readReportChannel(env, problems);
  const emojiIds = new Map<string, string>();
  for (const pair of (env.EMOJI_IDS ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\w{2,32}):(\d{1,20})$/.exec(pair);
    if (match) emojiIds.set(match[1]!, match[2]!);
    else problems.push("EMOJI_IDS must be name:id pairs separated by commas, as `npm run register` prints it");
  }

  if (problems.length > 0) return new ConfigError(problems);
  return {
    publicKey: hexToBytes(publicKeyHex),
    publicKeyHex: publicKeyHex.toLowerCase(),
    applicationId,
    discordApiBase,
    botToken: env.DISCORD_TOKEN?.trim() || undefined,
    backendUrl,
    backendService: env.BACKEND,
    relaySecret: env.RELAY_SECRET || undefined,
    relayMode,
    heavyLimitPeriodSeconds,
    interactionRetentionDays,
    feedbackRetentionDays,
    adminUserIds,
    premiumSkuId,
    reportChannelId,
    emojiIds,
  };
}

/** The report posts with the bot token: the Worker asks for DISCORD_TOKEN only when something in it uses the token. */
function readReportChannel(env: Env, problems: string[]): string | undefined {
  const channelId = env.REPORT_CHANNEL_ID?.trim() || undefined;
  if (channelId === undefined) return undefined;
  if (!isSnowflake(channelId)) problems.push("REPORT_CHANNEL_ID must be a channel id (a numeric snowflake)");
  if (!env.DISCORD_TOKEN?.trim())
    problems.push(
      "DISCORD_TOKEN is not set, and REPORT_CHANNEL_ID needs it to post the daily report (wrangler secret put DISCORD_TOKEN)",
    );
  return channelId;
}

/** Empty means waitUntil. A typo is an error rather than a silent waitUntil, and queue mode needs its binding. */
function readRelayMode(env: Env, problems: string[]): RelayMode {
  const value = env.RELAY_MODE?.trim() || "waitUntil";
  if (value !== "waitUntil" && value !== "queue") {
    problems.push('RELAY_MODE must be "waitUntil" or "queue" (unset means "waitUntil")');
    return "waitUntil";
  }
  if (value === "queue" && !env.JOBS) {
    problems.push(
      'JOBS is not bound, and RELAY_MODE=queue needs it (wrangler.toml [[queues.producers]] with binding = "JOBS")',
    );
  }
  return value;
}

/** Entries are trimmed and empty ones skipped (a trailing comma is harmless); the message gives positions, not ids. */
function readAdminUserIds(env: Env, problems: string[]): ReadonlySet<string> {
  const entries = (env.ADMIN_USER_IDS ?? "").split(",").map((id) => id.trim());
  const bad = entries.flatMap((id, i) => (id && !isSnowflake(id) ? [i + 1] : []));
  if (bad.length > 0)
    problems.push(
      `ADMIN_USER_IDS must be comma-separated user ids (numeric snowflakes); ${bad.length === 1 ? `entry ${bad[0]} is not one` : `entries ${bad.join(", ")} are not`}`,
    );
  return new Set(entries.filter((id) => id !== ""));
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** Unset or empty takes the default; anything else must match `pattern` and be above zero. */
function positive(
  raw: string | undefined,
  fallback: number,
  pattern: RegExp,
  problems: string[],
  problem: string,
): number {
  const value = raw?.trim() ?? "";
  if (value === "") return fallback;
  const n = Number(value);
  if (pattern.test(value) && n > 0) return n;
  problems.push(problem);
  return fallback;
}

function isSnowflake(value: string): boolean {
  return /^\d{1,20}$/.test(value);
}

// A service binding routes by binding, not by host: the URL only carries the path the backend routes on.
const SERVICE_BINDING_ORIGIN = "https://backend.service-binding";

/**
 * For heavy commands: where to relay (the BACKEND service binding when bound, else BACKEND_URL) and the secret
 * to sign with; the HMAC applies on both paths. Missing settings are a ConfigError naming them.
 */
export function requireRelay(config: Config): { backendUrl: string; relaySecret: string; fetch?: typeof fetch } {
  const problems: string[] = [];
  const service = config.backendService;
  if (!service && !config.backendUrl) {
    problems.push(
      'BACKEND_URL is not set and BACKEND is not bound (bind the backend Worker as [[services]] binding = "BACKEND" in wrangler.toml, or set the BACKEND_URL var)',
    );
  }
  if (!config.relaySecret)
    problems.push("RELAY_SECRET is not set (wrangler secret put RELAY_SECRET; locally in .dev.vars)");
  if (problems.length > 0) throw new ConfigError(problems);
  if (service)
    return {
      backendUrl: SERVICE_BINDING_ORIGIN,
      relaySecret: config.relaySecret!,
      fetch: (input, init) => service.fetch(input, init),
    };
  return { backendUrl: config.backendUrl!, relaySecret: config.relaySecret! };
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]+/.test(value);
}

/** Plain http is for a backend on the same machine only (the local stack); anything else travels the internet. */
function isSecureOrLoopback(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === "https:") return true;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}
