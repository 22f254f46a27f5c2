/**
 * The Linked Roles Worker's configuration (wrangler.linked-roles.toml), read and checked once per env object: an
 * unset or malformed variable is named (never its value) on /health, on the browser's page, and in the log.
 */
import { hexToBytes } from "../worker/kit/hex.ts";

export interface LinkedRolesEnv {
  /** Var. The application id (a snowflake): the OAuth2 client id. */
  DISCORD_APPLICATION_ID?: string;
  /** Var. Defaults to https://discord.com/api/v10; tests and the local stack point it at the emulator. */
  DISCORD_API_BASE?: string;
  /** Secret. Developer Portal → OAuth2 → Client Secret: the code and refresh grants are made with it. */
  DISCORD_CLIENT_SECRET?: string;
  /** Secret. 32 bytes as 64 hex characters: linked users' OAuth2 tokens are stored AES-GCM-sealed under it. */
  TOKEN_ENCRYPTION_KEY?: string;
  /** D1, the interactions Worker's database: the linked_roles table (migrations/0009_linked_roles.sql). */
  DB?: D1Database;
}

export interface LinkedRolesConfig {
  readonly applicationId: string;
  readonly discordApiBase: string;
  readonly clientSecret: string;
  readonly tokenEncryptionKey: Uint8Array;
  readonly db: D1Database;
}

const cache = new WeakMap<object, LinkedRolesConfig | string[]>();

/** The checked config, or the problems, one sentence each. Cached per env object. */
export function readLinkedRolesConfig(env: LinkedRolesEnv): LinkedRolesConfig | string[] {
  let entry = cache.get(env);
  if (!entry) cache.set(env, (entry = parse(env)));
  return entry;
}

function parse(env: LinkedRolesEnv): LinkedRolesConfig | string[] {
  const problems: string[] = [];
  const applicationId = env.DISCORD_APPLICATION_ID?.trim() ?? "";
  if (!/^\d{1,20}$/.test(applicationId))
    problems.push("DISCORD_APPLICATION_ID must be the application id (a numeric snowflake)");
  const discordApiBase = (env.DISCORD_API_BASE?.trim() || "https://discord.com/api/v10").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s/]+/.test(discordApiBase)) problems.push("DISCORD_API_BASE must be an http(s) URL");
  const clientSecret = env.DISCORD_CLIENT_SECRET?.trim() ?? "";
  if (!clientSecret)
    problems.push(
      "DISCORD_CLIENT_SECRET is not set (Developer Portal → OAuth2 → Client Secret; wrangler secret put DISCORD_CLIENT_SECRET -c wrangler.linked-roles.toml)",
    );
  const key = env.TOKEN_ENCRYPTION_KEY?.trim() ?? "";
  if (!/^[0-9a-fA-F]{64}$/.test(key))
    problems.push(
      `TOKEN_ENCRYPTION_KEY ${key ? "must be 32 bytes as 64 hex characters" : "is not set"} (generate one: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")`,
    );
  if (!env.DB)
    problems.push(
      "DB is not bound (the interactions Worker's D1 database, with migrations/0009_linked_roles.sql applied)",
    );
  return problems.length > 0
    ? problems
    : { applicationId, discordApiBase, clientSecret, tokenEncryptionKey: hexToBytes(key), db: env.DB! };
}
