// Realistic interaction payloads, and sending them to a Worker the way Discord does: signed raw body, a 3-second
// deadline, and the user-visible outcome ("The application did not respond") when the Worker misses it.
// The playground and `npm run interact` build on these; so can any test that needs a signed interaction.

import { DEFAULT_CHANNEL_ID } from "./registry.ts";
import { signInteraction } from "./signer.ts";
import { snowflake } from "./snowflake.ts";
import { DEFAULT_APPLICATION_ID, DEFAULT_ATTACHMENT_SIZE_LIMIT } from "./state.ts";

export const INTERACTION_TYPES = {
  PING: 1,
  APPLICATION_COMMAND: 2,
  MESSAGE_COMPONENT: 3,
  AUTOCOMPLETE: 4,
  MODAL_SUBMIT: 5,
} as const;
/** An application command's `data.type`: slash, right-click a user → Apps, right-click a message → Apps. */
export const COMMAND_TYPES = { CHAT_INPUT: 1, USER: 2, MESSAGE: 3 } as const;

export const DEFAULT_GUILD_ID = "1000000000000000001";
export const DEFAULT_USER_ID = "1000000000000000003";
/** Where an interaction happens (`context`): a server channel, the DM with the bot, a private channel (group DM). */
export const CONTEXTS = { GUILD: 0, BOT_DM: 1, PRIVATE_CHANNEL: 2 } as const;
export type InteractionContext = (typeof CONTEXTS)[keyof typeof CONTEXTS];
/** The playground user's DM with the bot, and a group DM with a friend that the bot is not in. */
export const BOT_DM_CHANNEL_ID = "1000000000000000010";
export const GROUP_DM_CHANNEL_ID = "1000000000000000011";
/** The channel of each context when none is given. */
export const CHANNEL_OF_CONTEXT: Readonly<Record<InteractionContext, string>> = {
  0: DEFAULT_CHANNEL_ID,
  1: BOT_DM_CHANNEL_ID,
  2: GROUP_DM_CHANNEL_ID,
};
const JOINED_AT = "2024-01-01T00:00:00.000000+00:00";

const bit = (n: number) => 1n << BigInt(n);
/** What an ordinary member may do in a text channel: view, send, embed, attach, history, reactions, app commands. */
export const MEMBER_PERMISSIONS = [10, 11, 14, 15, 16, 6, 18, 31].reduce((acc, n) => acc | bit(n), 0n).toString();
/** The bot's own permissions in that channel (the member set plus managing messages and sending in threads). */
export const APP_PERMISSIONS = (BigInt(MEMBER_PERMISSIONS) | bit(13) | bit(38)).toString();
export const ADMINISTRATOR = bit(3).toString();

export interface InteractionUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  public_flags: number;
  bot?: boolean;
}

/** The member every emulated interaction comes from by default ("Tester"; the playground's user). */
export const DEFAULT_USER: InteractionUser = {
  id: DEFAULT_USER_ID,
  username: "tester",
  global_name: "Tester",
  discriminator: "0",
  avatar: null,
  public_flags: 0,
};
/** The other person in the group DM. */
export const FRIEND: InteractionUser = {
  id: "1000000000000000012",
  username: "friend",
  global_name: "Friend",
  discriminator: "0",
  avatar: null,
  public_flags: 0,
};

/** The bot's own user, as Discord shows it as the author of the bot's messages. */
export function botUser(applicationId: string): InteractionUser {
  return {
    id: applicationId,
    username: "Emulated Bot",
    global_name: null,
    discriminator: "0000",
    avatar: null,
    public_flags: 0,
    bot: true,
  };
}

export interface BuildInteractionOptions {
  /** 1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 AUTOCOMPLETE, 5 MODAL_SUBMIT. */
  type: number;
  data?: Record<string, unknown>;
  user?: Partial<InteractionUser>;
  /** Guild invocations only; `permissions` is the member's effective permission bitfield (a string). */
  member?: { permissions?: string; roles?: string[]; nick?: string | null };
  /** Default: a guild. `null` makes a DM invocation (`user`, no `member`). */
  guildId?: string | null;
  /**
   * Where it happens: 0 a server channel (default, unless `guildId` is null), 1 the DM with the bot (the default
   * without a guild), 2 a group DM the bot is not in. 1 and 2 carry `user` instead of `member` and no guild.
   */
  context?: InteractionContext;
  channelId?: string;
  locale?: string;
  guildLocale?: string;
  applicationId?: string;
  appPermissions?: string;
  /** For components (and modals opened from one): the message the component was on. */
  message?: Record<string, unknown>;
  /**
   * Which install authorised it: 0 the server's (default in a server), 1 the user's (default in DMs; always in a
   * group DM, which only a user install reaches).
   */
  integrationType?: 0 | 1;
  attachmentSizeLimit?: number;
  /** The invoker's entitlements (monetised apps); the emulator fills them from the purchases it holds. */
  entitlements?: unknown[];
  id?: string;
  token?: string;
}

export interface InteractionPayload {
  id: string;
  application_id: string;
  type: number;
  token: string;
  version: 1;
  data?: Record<string, unknown>;
  channel_id: string;
  channel: Record<string, unknown>;
  guild_id?: string;
  guild?: Record<string, unknown>;
  guild_locale?: string;
  member?: Record<string, unknown>;
  user?: InteractionUser;
  locale?: string;
  app_permissions: string;
  entitlements: unknown[];
  authorizing_integration_owners: Record<string, string>;
  context: 0 | 1 | 2;
  attachment_size_limit: number;
  message?: Record<string, unknown>;
}

/** A continuation token shaped like Discord's (base64url of "interaction:<id>:<secret>"). */
export function interactionToken(id: string): string {
  const secret = base64Url(crypto.getRandomValues(new Uint8Array(48)));
  return base64Url(new TextEncoder().encode(`interaction:${id}:${secret}`));
}

// btoa rather than Buffer: this module also runs in workerd and in the browser.
function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function defaultData(type: number, data: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (type === INTERACTION_TYPES.PING) return undefined;
  const given = data ?? {};
  if (type === INTERACTION_TYPES.APPLICATION_COMMAND || type === INTERACTION_TYPES.AUTOCOMPLETE) {
    return { id: snowflake(), type: 1, ...given };
  }
  if (type === INTERACTION_TYPES.MESSAGE_COMPONENT) return { component_type: 2, ...given };
  if (type === INTERACTION_TYPES.MODAL_SUBMIT) return { components: [], ...given };
  return given;
}

export function buildInteraction(options: BuildInteractionOptions): InteractionPayload {
  const id = options.id ?? snowflake();
  const applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
  const context: InteractionContext = options.context ?? (options.guildId === null ? CONTEXTS.BOT_DM : CONTEXTS.GUILD);
  const guildId = context !== CONTEXTS.GUILD ? null : (options.guildId ?? DEFAULT_GUILD_ID);
  const channelId = options.channelId ?? CHANNEL_OF_CONTEXT[context];
  const user: InteractionUser = { ...DEFAULT_USER, ...options.user };
  const integrationType =
    context === CONTEXTS.PRIVATE_CHANNEL ? 1 : (options.integrationType ?? (context === CONTEXTS.GUILD ? 0 : 1));
  // The guild install's key holds the guild id, or "0" in the bot's DM (discord-api-docs, "Authorizing Integration Owners Object").
  const owners: Record<string, string> = integrationType === 1 ? { "1": user.id } : { "0": guildId ?? "0" };

  const payload: InteractionPayload = {
    id,
    application_id: applicationId,
    type: options.type,
    token: options.token ?? interactionToken(id),
    version: 1,
    channel_id: channelId,
    channel: guildId
      ? {
          id: channelId,
          type: 0,
          name: "general",
          guild_id: guildId,
          flags: 0,
          nsfw: false,
          permissions: options.member?.permissions ?? MEMBER_PERMISSIONS,
        }
      : context === CONTEXTS.PRIVATE_CHANNEL
        ? {
            id: channelId,
            type: 3,
            name: null,
            flags: 0,
            recipients: [FRIEND],
            owner_id: FRIEND.id,
            permissions: MEMBER_PERMISSIONS,
          }
        : { id: channelId, type: 1, flags: 0, recipients: [user] },
    // Where the bot is not a member, the app may do what any user-installed app may: no server extras.
    app_permissions:
      options.appPermissions ?? (context === CONTEXTS.PRIVATE_CHANNEL ? MEMBER_PERMISSIONS : APP_PERMISSIONS),
    entitlements: options.entitlements ?? [],
    authorizing_integration_owners: owners,
    context,
    attachment_size_limit: options.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT,
  };
  const data = defaultData(options.type, options.data);
  if (data) payload.data = data;
  if (options.type !== INTERACTION_TYPES.PING) payload.locale = options.locale ?? "en-US";

  if (guildId) {
    payload.guild_id = guildId;
    payload.guild = { id: guildId, locale: options.guildLocale ?? "en-US", features: [] };
    payload.guild_locale = options.guildLocale ?? "en-US";
    payload.member = {
      user,
      roles: options.member?.roles ?? [],
      premium_since: null,
      permissions: options.member?.permissions ?? MEMBER_PERMISSIONS,
      pending: false,
      nick: options.member?.nick ?? null,
      mute: false,
      deaf: false,
      joined_at: JOINED_AT,
      flags: 0,
      avatar: null,
    };
  } else {
    payload.user = user;
  }

  if (options.message) payload.message = options.message;
  else if (options.type === INTERACTION_TYPES.MESSAGE_COMPONENT) {
    payload.message = {
      id: snowflake(),
      type: 20,
      channel_id: channelId,
      author: botUser(applicationId),
      content: "",
      embeds: [],
      components: [],
      attachments: [],
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
    };
  }
  return payload;
}

/** A context-menu command as the builders need it; its name may have spaces and capitals ("Chart numbers"). */
export interface ContextMenuCommand {
  name: string;
  /** The registered command's id; a fresh snowflake when not given. */
  id?: string;
  /** For a guild command: Discord then sends `data.guild_id`. */
  guild_id?: string;
}

/** The user a user command targets. */
export interface UserTarget {
  user: Partial<InteractionUser> & { id: string };
  /** Their member in the guild; null for none (a DM). Missing fields get an ordinary member's values. */
  member?: { permissions?: string; roles?: string[]; nick?: string | null } | null;
}

/** A user object with Discord's fields, from as little as an id. */
export function completeUser(user: UserTarget["user"]): InteractionUser {
  return {
    username: `user${user.id.slice(-4)}`,
    global_name: null,
    discriminator: "0",
    avatar: null,
    public_flags: 0,
    ...user,
  };
}

/** A member as `data.resolved.members` carries one: no `user`, `deaf` or `mute`, but the channel `permissions`. */
function resolvedMember(member: NonNullable<UserTarget["member"]>): Record<string, unknown> {
  return {
    roles: member.roles ?? [],
    premium_since: null,
    permissions: member.permissions ?? MEMBER_PERMISSIONS,
    pending: false,
    nick: member.nick ?? null,
    joined_at: JOINED_AT,
    flags: 0,
    avatar: null,
    communication_disabled_until: null,
  };
}

function contextData(
  command: ContextMenuCommand,
  type: 2 | 3,
  targetId: string,
  resolved: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: command.id ?? snowflake(),
    name: command.name,
    type,
    target_id: targetId,
    resolved,
    ...(command.guild_id ? { guild_id: command.guild_id } : {}),
  };
}

/** `data` of a user command (type 2): `target_id`, and the user (and member, when given) in `resolved`. */
export function userCommandData(command: ContextMenuCommand, target: UserTarget): Record<string, unknown> {
  const user = completeUser(target.user);
  const resolved: Record<string, unknown> = { users: { [user.id]: user } };
  if (target.member) resolved.members = { [user.id]: resolvedMember(target.member) };
  return contextData(command, COMMAND_TYPES.USER, user.id, resolved);
}

/** `data` of a message command (type 3): `target_id`, and the whole message object in `resolved.messages`. */
export function messageCommandData(
  command: ContextMenuCommand,
  message: Record<string, unknown>,
): Record<string, unknown> {
  if (typeof message.id !== "string")
    throw new TypeError("emulator(interactions): the target message needs a string id");
  return contextData(command, COMMAND_TYPES.MESSAGE, message.id, { messages: { [message.id]: message } });
}

export type ContextMenuOptions = Omit<BuildInteractionOptions, "type" | "data">;

/** Right-click a user → Apps → `command`. In a guild (the default) the target's member is resolved too. */
export function buildUserCommandInteraction(
  command: ContextMenuCommand,
  target: UserTarget,
  options: ContextMenuOptions = {},
): InteractionPayload {
  const inGuild = options.guildId !== null && (options.context ?? CONTEXTS.GUILD) === CONTEXTS.GUILD;
  const member = inGuild ? (target.member === undefined ? {} : target.member) : null;
  return buildInteraction({
    ...options,
    type: INTERACTION_TYPES.APPLICATION_COMMAND,
    data: userCommandData(command, { user: target.user, member }),
  });
}

/** Right-click a message → Apps → `command`; `message` is the full message object as Discord's API returns it. */
export function buildMessageCommandInteraction(
  command: ContextMenuCommand,
  message: Record<string, unknown>,
  options: ContextMenuOptions = {},
): InteractionPayload {
  return buildInteraction({
    ...options,
    channelId: options.channelId ?? (typeof message.channel_id === "string" ? message.channel_id : undefined),
    type: INTERACTION_TYPES.APPLICATION_COMMAND,
    data: messageCommandData(command, message),
  });
}

export interface SendOptions {
  /** Discord's initial-response deadline (default 3000 ms). */
  deadlineMs?: number;
  timestamp?: string | number;
  /**
   * Where to report the Worker's inline answer, so later webhook calls find the original message: an emulator
   * in this process, or the base URL of one over HTTP (e.g. http://127.0.0.1:8790).
   */
  emulator?: { recordInlineResponse(token: string, body: unknown): Promise<{ ok: boolean; error?: unknown }> } | string;
}

export interface SendResult {
  /** HTTP status from the Worker; null when it never answered in time or the connection failed. */
  status: number | null;
  body: unknown;
  ms: number;
  timedOut: boolean;
  /** What the Discord user would see when the interaction failed; undefined on success. */
  error?: string;
  /** Set when the emulator rejected the inline answer (wrong type for the interaction, over a limit, ...). */
  inlineError?: unknown;
}

/** What the Discord client shows when an interaction gets no valid answer. */
export function failureText(type: number): string {
  return type === INTERACTION_TYPES.MESSAGE_COMPONENT || type === INTERACTION_TYPES.MODAL_SUBMIT
    ? "This interaction failed"
    : "The application did not respond";
}

export async function sendInteraction(
  workerUrl: string,
  payload: InteractionPayload | Record<string, unknown>,
  privateKey: string | CryptoKey,
  options: SendOptions = {},
): Promise<SendResult> {
  const raw = JSON.stringify(payload);
  const type = typeof payload.type === "number" ? payload.type : 2;
  const headers = await signInteraction(privateKey, raw, options.timestamp);
  const deadline = options.deadlineMs ?? 3_000;
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadline);
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (status: number | null, body: unknown, timedOut: boolean, detail?: string): SendResult => ({
    status,
    body,
    ms: elapsed(),
    timedOut,
    error: detail ? `${failureText(type)} (${detail})` : failureText(type),
  });

  let response: Response;
  let text: string;
  try {
    response = await fetch(workerUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Discord-Interactions/1.0 (+https://discord.com)",
        ...headers,
      },
      body: raw,
      signal: abort.signal,
    });
    text = await response.text();
  } catch (error) {
    if (abort.signal.aborted) return failed(null, null, true, `no answer within ${deadline} ms`);
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED: nothing listens there).
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const code = typeof cause?.code === "string" ? ` (${cause.code})` : "";
    return failed(null, null, false, `emulator(interactions): ${(error as Error).message}${code}`);
  } finally {
    clearTimeout(timer);
  }

  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: Discord rejects it below.
  }
  // 202 with no body is the answer after using the callback endpoint; otherwise Discord wants 200 + JSON.
  if (response.status === 202) return { status: 202, body, ms: elapsed(), timedOut: false };
  if (response.status !== 200) return failed(response.status, body, false, `HTTP ${response.status}`);
  if (
    !(response.headers.get("content-type") ?? "").includes("application/json") ||
    typeof body !== "object" ||
    body === null
  ) {
    return failed(response.status, body, false, "the answer was not a JSON interaction response");
  }
  const result: SendResult = { status: 200, body, ms: elapsed(), timedOut: false };
  if (options.emulator && typeof payload.token === "string" && type !== INTERACTION_TYPES.PING) {
    const report = await reportInline(options.emulator, payload.token, body);
    if (!report.ok) result.inlineError = report.error;
  }
  return result;
}

async function reportInline(
  target: NonNullable<SendOptions["emulator"]>,
  token: string,
  body: unknown,
): Promise<{ ok: boolean; error?: unknown }> {
  if (typeof target !== "string") return target.recordInlineResponse(token, body);
  const response = await fetch(
    `${target.replace(/\/$/, "")}/__emulator/interactions/${encodeURIComponent(token)}/response`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    },
  );
  return response.ok ? { ok: true } : { ok: false, error: await response.json().catch(() => response.status) };
}
