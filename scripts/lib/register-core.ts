// Registration logic behind `npm run register`: read configuration, bulk-overwrite the command list (global or
// one guild), or compare what Discord has with the local definitions (--check). Takes the definitions as a
// parameter so it can be tested without the Worker's command index. Every failure becomes one actionable line.

import { syncEmojis, type LocalEmoji } from "./emoji-sync.ts";
import {
  checkRoleConnectionMetadata,
  describeMetadata,
  putRoleConnectionMetadata,
  type RoleConnectionMetadataRecord,
} from "./role-connection-metadata.ts";

export const USER_AGENT = "DiscordBot (https://github.com/edge-discord-bot/edge-discord-bot, 0.1.0)";
const DEFAULT_API_BASE = "https://discord.com/api/v10";
const TIMEOUT_MS = 15_000;

/** The registration JSON of one command (the fields this script reads; the rest is passed through). */
export interface CommandDefinition {
  name: string;
  type?: number;
  description?: string;
  options?: readonly unknown[];
  default_member_permissions?: string | null;
  contexts?: readonly number[] | null;
  [field: string]: unknown;
}

export interface RegisterConfig {
  apiBase: string;
  applicationId: string;
  token: string;
  guildId?: string;
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export type ConfigResult = { ok: true; config: RegisterConfig } | { ok: false; message: string };

/** Reads DISCORD_* from merged env values; names every missing or malformed variable. */
export function readConfig(
  env: Record<string, string | undefined>,
  options: { needToken: boolean } = { needToken: true },
): ConfigResult {
  const missing: string[] = [];
  const applicationId = env.DISCORD_APPLICATION_ID;
  const token = env.DISCORD_TOKEN;
  if (!applicationId) missing.push("DISCORD_APPLICATION_ID");
  if (options.needToken && !token) missing.push("DISCORD_TOKEN");
  if (missing.length > 0) {
    return {
      ok: false,
      message: `register: missing ${missing.join(" and ")}: set ${missing.length > 1 ? "them" : "it"} in .dev.vars (see .dev.vars.example) or the environment`,
    };
  }
  const guildId = env.DISCORD_GUILD_ID || undefined;
  for (const [name, value] of [
    ["DISCORD_APPLICATION_ID", applicationId],
    ["DISCORD_GUILD_ID", guildId],
  ] as const) {
    if (value !== undefined && !/^\d{15,21}$/.test(value)) {
      return {
        ok: false,
        message: `register: ${name} must be a numeric snowflake id (Developer Portal / "Copy ID"), got ${JSON.stringify(value)}`,
      };
    }
  }
  const apiBase = (env.DISCORD_API_BASE || DEFAULT_API_BASE).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(apiBase))
    return { ok: false, message: `register: DISCORD_API_BASE must be an http(s) URL, got ${JSON.stringify(apiBase)}` };
  return { ok: true, config: { apiBase, applicationId: applicationId!, token: token ?? "", guildId } };
}

function commandsUrl(config: RegisterConfig, method: "GET" | "PUT"): string {
  const scope = config.guildId ? `/guilds/${config.guildId}` : "";
  // Without with_localizations, Discord's list carries only the requester's `name_localized`, not the
  // dictionaries we send, and --check could not see their drift.
  return `${config.apiBase}/applications/${config.applicationId}${scope}/commands${method === "GET" ? "?with_localizations=true" : ""}`;
}

/** True when apiBase is Discord's own API (discord.com or a subdomain), not a local stand-in such as the emulator. */
function isDiscord(apiBase: string): boolean {
  try {
    const host = new URL(apiBase).hostname;
    return host === "discord.com" || host.endsWith(".discord.com");
  } catch {
    return false;
  }
}

const scopeText = (config: RegisterConfig) => (config.guildId ? `in guild ${config.guildId}` : "globally");

export function displayName(command: { name?: unknown; type?: unknown }): string {
  const name = String(command.name);
  if (command.type === 2) return `${name} (user command)`;
  if (command.type === 3) return `${name} (message command)`;
  if (command.type === 4) return `${name} (entry point)`;
  return `/${name}`;
}

// ---------------------------------------------------------------- HTTP

type Reply = { ok: true; status: number; body: unknown; headers: Headers } | { ok: false; message: string };

async function call(
  config: RegisterConfig,
  method: "GET" | "PUT",
  definitions: readonly CommandDefinition[],
  body?: unknown,
): Promise<Reply> {
  const url = commandsUrl(config, method);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bot ${config.token}`,
        "User-Agent": USER_AGENT,
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    const detail =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return {
      ok: false,
      message: `register: could not reach ${config.apiBase} (${detail}); check your network connection and DISCORD_API_BASE`,
    };
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Cloudflare error pages and the like stay text.
  }
  if (response.ok) return { ok: true, status: response.status, body: parsed, headers: response.headers };
  return { ok: false, message: describeFailure(config, response.status, parsed, response.headers, definitions) };
}

/** Flattens Discord's nested `errors` tree into "path: message (CODE)" lines, naming the command at index n. */
function flattenFormErrors(errors: unknown, definitions: readonly CommandDefinition[] = []): string[] {
  const lines: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "_errors" && Array.isArray(value)) {
        const first = path[0];
        const command = first !== undefined && /^\d+$/.test(first) ? definitions[Number(first)] : undefined;
        const where = path.join(".") || "(body)";
        for (const e of value as Array<{ code?: string; message?: string }>) {
          lines.push(
            `  ${where}: ${e.message ?? "invalid"}${e.code ? ` (${e.code})` : ""}${command ? ` in ${displayName(command)}` : ""}`,
          );
        }
      } else walk(value, [...path, key]);
    }
  };
  walk(errors, []);
  return lines;
}

function describeFailure(
  config: RegisterConfig,
  status: number,
  body: unknown,
  headers: Headers,
  definitions: readonly CommandDefinition[] = [],
): string {
  const info = (typeof body === "object" && body !== null ? body : {}) as {
    message?: string;
    code?: number;
    retry_after?: number;
    global?: boolean;
    errors?: unknown;
  };
  const discord = info.message ? ` ${info.message}${info.code !== undefined ? `, code ${info.code}` : ""}` : "";
  switch (status) {
    case 401:
      return "register: DISCORD_TOKEN was rejected (401 Unauthorized) — reset the bot token in the Developer Portal (Bot → Reset Token) and update .dev.vars / env";
    case 403:
      return config.guildId
        ? `register: Discord refused access (403${discord}) — check that DISCORD_APPLICATION_ID is the token's application and that the app is installed in guild ${config.guildId} with the applications.commands scope (re-invite with scope=applications.commands)`
        : `register: Discord refused access (403${discord}) — check that DISCORD_APPLICATION_ID is the application the bot token belongs to`;
    case 404:
      return `register: 404 from Discord (${info.message ?? "Not Found"}) — check DISCORD_APPLICATION_ID${config.guildId ? ", DISCORD_GUILD_ID" : ""} and DISCORD_API_BASE`;
    case 429: {
      const retry = typeof info.retry_after === "number" ? info.retry_after : Number(headers.get("retry-after") ?? NaN);
      const wait = Number.isFinite(retry) ? `retry after ${retry} s` : "retry later";
      const daily = info.code === 30034 ? " (the daily limit of 200 command creates per guild was reached)" : "";
      return `register: rate limited by Discord (429${info.global ? ", global" : ""})${daily} — ${wait}`;
    }
    case 400: {
      const lines = flattenFormErrors(info.errors, definitions);
      const head = `register: Discord rejected the command list (400${discord})`;
      return lines.length > 0 ? [head + ":", ...lines].join("\n") : `${head}: ${JSON.stringify(body)}`;
    }
    default:
      return status >= 500
        ? `register: Discord answered ${status}${discord}; it is having trouble, try again in a minute`
        : `register: unexpected ${status} from Discord: ${typeof body === "string" ? body.slice(0, 300) : JSON.stringify(body)}`;
  }
}

// ---------------------------------------------------------------- drift (--check)

interface FieldDrift {
  field: string;
  local: unknown;
  registered: unknown;
}

export type Drift =
  | { kind: "missing"; command: string }
  | { kind: "extra"; command: string }
  | { kind: "changed"; command: string; fields: FieldDrift[] };

/** Every field `npm run register` sends besides the name (the key), so drift in any of them is reported. */
const COMPARED = [
  "type",
  "description",
  "options",
  "default_member_permissions",
  "nsfw",
  "integration_types",
  "contexts",
  "name_localizations",
  "description_localizations",
] as const;
type Compared = (typeof COMPARED)[number];
/** Discord keeps these for global commands only: a guild command's answer has neither (they do not apply there). */
const GLOBAL_ONLY: ReadonlySet<Compared> = new Set(["integration_types", "contexts"]);

/** Drops what Discord adds or treats as default (`*_localized` for the requester, required:false, nulls) and sorts keys. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === null || v === undefined) continue;
    if (/_localized$/.test(key)) continue;
    if ((key === "required" || key === "autocomplete") && v === false) continue;
    if (/_localizations$/.test(key) && typeof v === "object" && Object.values(v).every((text) => text === null))
      continue;
    out[key] = canonical(v);
  }
  return out;
}

const sortedList = (value: unknown) => (Array.isArray(value) ? [...(value as number[])].sort() : null);
/** A localization dictionary without its null entries; null when it has none (Discord answers null or {}). */
const dictionary = (value: unknown) => {
  const kept = typeof value === "object" && value !== null ? canonical(value) : null;
  return kept && Object.keys(kept).length > 0 ? kept : null;
};

function normalized(command: Record<string, unknown>): Record<Compared, unknown> {
  const options = Array.isArray(command.options) && command.options.length > 0 ? canonical(command.options) : null;
  return {
    type: command.type ?? 1,
    description: command.description ?? "",
    options,
    // A definition spells it as a string, Discord answers with one; compared as text either way.
    default_member_permissions:
      command.default_member_permissions === undefined || command.default_member_permissions === null
        ? null
        : String(command.default_member_permissions),
    nsfw: command.nsfw ?? false,
    integration_types: sortedList(command.integration_types),
    contexts: sortedList(command.contexts),
    name_localizations: dictionary(command.name_localizations),
    description_localizations: dictionary(command.description_localizations),
  };
}

const keyOf = (c: { name?: unknown; type?: unknown }) => `${(c.type as number | undefined) ?? 1}:${String(c.name)}`;

/** `scope: "guild"` leaves out the fields Discord does not keep for guild commands (integration_types, contexts). */
export function diffCommands(
  local: readonly CommandDefinition[],
  registered: readonly Record<string, unknown>[],
  scope: "global" | "guild" = "global",
): Drift[] {
  const compared = scope === "guild" ? COMPARED.filter((f) => !GLOBAL_ONLY.has(f)) : COMPARED;
  const drift: Drift[] = [];
  const remote = new Map(registered.map((c) => [keyOf(c), c]));
  for (const definition of local) {
    const match = remote.get(keyOf(definition));
    if (!match) {
      drift.push({ kind: "missing", command: displayName(definition) });
      continue;
    }
    remote.delete(keyOf(definition));
    const a = normalized(definition);
    const b = normalized(match);
    const fields = compared
      .filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]))
      .map((field) => ({ field, local: a[field], registered: b[field] }));
    if (fields.length > 0) drift.push({ kind: "changed", command: displayName(definition), fields });
  }
  for (const extra of remote.values()) drift.push({ kind: "extra", command: displayName(extra) });
  return drift;
}

const short = (value: unknown) => {
  const text = JSON.stringify(value) ?? "undefined";
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

export function formatDrift(drift: readonly Drift[]): string[] {
  return drift.flatMap((d) => {
    if (d.kind === "missing") return [`  + ${d.command}: defined locally, not registered`];
    if (d.kind === "extra")
      return [`  - ${d.command}: registered, not defined locally (a bulk overwrite would delete it)`];
    return [
      `  ~ ${d.command}:`,
      ...d.fields.map((f) => `      ${f.field}: registered ${short(f.registered)}, local ${short(f.local)}`),
    ];
  });
}

// ---------------------------------------------------------------- commands

/**
 * The body of the bulk overwrite. Discord's API description types `default_member_permissions` as an integer in
 * requests (it answers with a decimal string, which is how definitions spell it, typed by discord-api-types), so it
 * is sent as a number; the description caps it at 2^54, and a bitfield past 2^53 would lose bits, so that fails.
 */
function registrationBody(definitions: readonly CommandDefinition[]): Record<string, unknown>[] {
  return definitions.map((definition) => {
    const perms = definition.default_member_permissions;
    if (perms === undefined || perms === null) return { ...definition };
    const bits = BigInt(perms);
    if (bits > BigInt(Number.MAX_SAFE_INTEGER))
      throw new Error(
        `register(${displayName(definition)}): default_member_permissions ${perms} is beyond what Discord's API description accepts`,
      );
    return { ...definition, default_member_permissions: Number(bits) };
  });
}

export async function register(
  config: RegisterConfig,
  definitions: readonly CommandDefinition[],
  io: Io,
): Promise<number> {
  const reply = await call(config, "PUT", definitions, registrationBody(definitions));
  if (!reply.ok) {
    io.err(reply.message);
    return 1;
  }
  const registered = Array.isArray(reply.body) ? (reply.body as Record<string, unknown>[]) : [];
  const names = registered.map(displayName).join(", ");
  io.out(
    `register: registered ${registered.length} command${registered.length === 1 ? "" : "s"} ${scopeText(config)} for application ${config.applicationId}: ${names || "(none)"}`,
  );
  // Discord's global command list reaches clients late; a local stand-in (the emulator) shows it at once.
  if (!config.guildId && isDiscord(config.apiBase))
    io.out(
      "register: global commands can take a while to show up; set DISCORD_GUILD_ID for instant updates while developing",
    );
  return 0;
}

async function check(config: RegisterConfig, definitions: readonly CommandDefinition[], io: Io): Promise<number> {
  const reply = await call(config, "GET", definitions);
  if (!reply.ok) {
    io.err(reply.message);
    return 1;
  }
  const registered = Array.isArray(reply.body) ? (reply.body as Record<string, unknown>[]) : [];
  const drift = diffCommands(definitions, registered, config.guildId ? "guild" : "global");
  if (drift.length === 0) {
    io.out(
      `register: ${definitions.length} command${definitions.length === 1 ? "" : "s"} in sync ${scopeText(config)} for application ${config.applicationId}`,
    );
    return 0;
  }
  io.out(
    `register: ${drift.length} difference${drift.length === 1 ? "" : "s"} between the local definitions and Discord (${scopeText(config)}):`,
  );
  for (const line of formatDrift(drift)) io.out(line);
  io.out("register: run `npm run register` to upload the local definitions");
  return 1;
}

export interface RunOptions {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  definitions: readonly CommandDefinition[];
  /** The role connection metadata records (Linked Roles), already checked; PUT after the commands. */
  metadata?: readonly RoleConnectionMetadataRecord[];
  /** The application emojis (src/worker/app/emojis/), already read and checked; synced after the metadata. */
  emojis?: readonly LocalEmoji[];
  io: Io;
}

const HELP = `usage: npm run register [-- --dry-run | --check]
  (no flag)   bulk-overwrite the commands (global, or DISCORD_GUILD_ID's guild when set), then the role
              connection metadata (Linked Roles)
  --dry-run   print the command JSON, then what else it would send, and send nothing (needs no token)
  --check     compare the registered commands and metadata with the local ones; exit 1 on drift
reads DISCORD_APPLICATION_ID, DISCORD_TOKEN, DISCORD_GUILD_ID, DISCORD_API_BASE from the environment and .dev.vars`;

export async function runRegister({
  argv,
  env,
  definitions,
  metadata = [],
  emojis = [],
  io,
}: RunOptions): Promise<number> {
  const flags = new Set(argv);
  const unknown = argv.filter((a) => !["--dry-run", "--check", "--help", "-h"].includes(a));
  if (flags.has("--help") || flags.has("-h")) {
    io.out(HELP);
    return 0;
  }
  if (unknown.length > 0 || (flags.has("--dry-run") && flags.has("--check"))) {
    io.err(
      `register: ${unknown.length > 0 ? `unknown argument ${unknown.join(" ")}` : "--dry-run and --check do not combine"}\n${HELP}`,
    );
    return 1;
  }
  if (flags.has("--dry-run")) {
    io.out(JSON.stringify(registrationBody(definitions), null, 2));
    io.out(
      `register: would PUT ${metadata.length} role connection metadata record${metadata.length === 1 ? "" : "s"}: ${describeMetadata(metadata)}`,
    );
    // The emoji plan needs Discord's list: with a token it is compared, without one every emoji would be created.
    const withToken = readConfig(env);
    if (withToken.ok) return (await syncEmojis(withToken.config, emojis, io, { dryRun: true })) === null ? 1 : 0;
    io.out(
      `register: would sync ${emojis.length} emoji${emojis.length === 1 ? "" : "s"}: ${emojis.map((e) => `${e.name} (${e.file})`).join(", ") || "(none)"} (set DISCORD_TOKEN to compare with Discord's)`,
    );
    return 0;
  }
  const config = readConfig(env);
  if (!config.ok) {
    io.err(config.message);
    return 1;
  }
  if (flags.has("--check")) {
    const commands = await check(config.config, definitions, io);
    return (await checkRoleConnectionMetadata(config.config, metadata, io)) || commands;
  }
  const failed =
    (await register(config.config, definitions, io)) || (await putRoleConnectionMetadata(config.config, metadata, io));
  if (failed || emojis.length === 0) return failed;
  return (await syncEmojis(config.config, emojis, io)) === null ? 1 : 0;
}
