/**
 * The Worker's bindings as wrangler provides them. Everything is optional here because a binding can be
 * missing at run time; src/worker/kit/config.ts turns this into a checked Config once per isolate.
 */
export interface Env {
  /** Secret. Hex Ed25519 public key from the Developer Portal (General Information). */
  DISCORD_PUBLIC_KEY?: string;
  /** Var. The application id (a snowflake). */
  DISCORD_APPLICATION_ID?: string;
  /**
   * Secret. The bot token: `npm run register` uses it; the Worker needs it only for the daily report
   * (REPORT_CHANNEL_ID). Interaction webhooks are authorised by the interaction's own token.
   */
  DISCORD_TOKEN?: string;
  /** Var. Defaults to https://discord.com/api/v10; tests and the local stack point it at the emulator. */
  DISCORD_API_BASE?: string;
  /** Var. Base URL of the backend that runs heavy jobs (when BACKEND is not bound). */
  BACKEND_URL?: string;
  /** Service binding to the backend Worker (wrangler.backend.toml); preferred over BACKEND_URL: no public URL. */
  BACKEND?: Fetcher;
  /** Secret. Shared HMAC secret for Worker → backend relay requests. */
  RELAY_SECRET?: string;
  /** KV namespace holding chart data for re-renders (see src/worker/app/commands/chart/store.ts). */
  CHART_DATA?: KVNamespace;
  /** KV namespace caching rendered charts by a hash of their input (src/worker/app/commands/chart/cache.ts); optional. */
  CHART_CACHE?: KVNamespace;
  /** D1: duplicate suppression of interactions with side effects, feedback, installs, entitlements. Schema in migrations/. */
  DB?: D1Database;
  /** Var. A channel id: the daily cron posts its report there with the bot token (unset: no report). */
  REPORT_CHANNEL_ID?: string;
  /** Var. Comma-separated user ids allowed to use /admin besides members with ADMINISTRATOR. */
  ADMIN_USER_IDS?: string;
  /** Workers Rate Limiting binding: per-user limit on heavy commands. */
  HEAVY_LIMITER?: RateLimit;
  /** Var. The limiter's period, to tell users when to retry (default 60). */
  HEAVY_LIMIT_PERIOD_SECONDS?: string;
  /** Vars. Retention of interaction records and feedback, in days (defaults 30 and 365). */
  INTERACTION_RETENTION_DAYS?: string;
  FEEDBACK_RETENTION_DAYS?: string;
  /** Var. "waitUntil" (default; any plan) or "queue" (durable retries through JOBS). */
  RELAY_MODE?: string;
  /** Var. The SKU (Developer Portal → Monetization → SKUs) that `/chart file:` needs; empty: nothing is gated. */
  PREMIUM_SKU_ID?: string;
  /**
   * Service binding to the Linked Roles Worker (wrangler.linked-roles.toml): GET /linked-role and
   * /discord-oauth-callback are forwarded to it, and each chart is reported to it. Unbound: Linked Roles is off.
   */
  LINKED_ROLES?: Fetcher;
  /** Var. The application emojis' ids as `name:id` pairs, comma-separated: `npm run register` prints it (src/worker/app/emojis/). */
  EMOJI_IDS?: string;
  /**
   * Durable Object namespace of the bot's one rate-limit state (src/worker/kit/discord/limiter/): every isolate asks it
   * before a bot-token call. Unbound: each isolate counts Discord's limits alone.
   */
  DISCORD_LIMITER?: DurableObjectNamespace;
  /**
   * Service binding to the services Worker (wrangler.services.toml, src/worker/services.ts), which hosts the Durable
   * Object classes, the queue consumers, the cron and Webhook Events: the interactions Worker forwards POST /events to
   * it. Unbound: /events answers 503.
   */
  SERVICES?: Fetcher;
  /** Queue producer for deferred jobs (RELAY_MODE=queue); the services Worker consumes it. */
  JOBS?: Queue<import("./engine/queue-message.ts").JobMessage>;
  /**
   * Durable Objects counting what users do (one per UTC month; src/worker/kit/analytics/): the daily report and
   * /admin stats read them. Unbound: nothing is counted, and both say the store is missing.
   */
  USAGE?: DurableObjectNamespace<import("./analytics/usage-counters.ts").UsageCounters>;
}
