/**
 * Turns a signed-but-untrusted JSON payload into a typed Interaction. A valid signature only proves the
 * bytes came from Discord (or whoever holds the key); any field may still be missing or of the wrong type,
 * so every read here is checked and the rest of the code can trust the types.
 */
import { InteractionType, type InteractionTypeValue } from "../discord/interaction-types.ts";
import { isObject } from "../json.ts";

export { InteractionType, isObject };

type Json = Record<string, unknown>;

/** Where the interaction happened (`context`): a server channel, the DM with the bot, or a private channel (a DM or group DM the bot is not in). */
export const ContextType = { Guild: 0, BotDm: 1, PrivateChannel: 2 } as const;
/** @public */
export type ContextTypeValue = (typeof ContextType)[keyof typeof ContextType];

/**
 * Which installs authorised the interaction (`authorizing_integration_owners`): the server's (its id, or "0" in
 * the bot's DM) and the user's (their id). Both may be set, e.g. a user-installed app used in a server that also
 * installed it.
 * @public
 */
export interface IntegrationOwners {
  readonly guildInstall: string | null;
  readonly userInstall: string | null;
}

/** An entitlement (a purchased or granted SKU) the interaction carries, for premium features. @public */
export interface Entitlement {
  readonly id: string;
  readonly skuId: string;
  readonly type: number;
  readonly userId: string | null;
  readonly guildId: string | null;
  /** ISO timestamps; null for entitlements without a start (or an end). */
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly consumed: boolean;
  readonly deleted: boolean;
}

export interface Interaction {
  readonly id: string;
  readonly type: InteractionTypeValue;
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string | null;
  readonly channelId: string | null;
  /** Who invoked it: `member.user` in a server, `user` in a DM or private channel; the same shape either way. */
  readonly user: { readonly id: string; readonly username: string } | null;
  /** The member's effective permissions in the channel; null outside guilds or when absent. */
  readonly memberPermissions: bigint | null;
  /** The user's client language ("de", "fr", "en-US", …); what `ctx.t` answers in. Absent on PING. */
  readonly locale: string | null;
  /** The server's preferred language, in a server only. */
  readonly guildLocale: string | null;
  /** Where it happened; null when Discord did not say (PING, very old payloads). */
  readonly context: ContextTypeValue | null;
  readonly authorizingIntegrationOwners: IntegrationOwners;
  /** What the app may do in this channel (`app_permissions`); in a private channel, only what any user-installed app may. */
  readonly appPermissions: bigint | null;
  readonly entitlements: readonly Entitlement[];
  /** `data`, when it is an object. Handlers read it through Options / the typed accessors. */
  readonly data: Json | null;
  /** Commands and autocomplete: `data.name`; null when absent. */
  readonly commandName: string | null;
  /** Commands: `data.type` (1 slash, 2 user, 3 message); defaults to 1. */
  readonly commandType: number;
  /** Components and modal submits: `data.custom_id`. */
  readonly customId: string | null;
  /** Components: the message the component is on. */
  readonly message: Json | null;
  /** The untouched payload, for the rare handler that needs a field not modelled here. */
  readonly raw: Json;
}

/**
 * A failure names what is wrong; `unknownType` is set when the payload is well-formed but of an interaction type
 * this platform does not know yet (Discord adds types): ingress answers it rather than refusing it.
 */
export type ParseResult =
  | { ok: true; interaction: Interaction }
  | {
      ok: false;
      status: 400;
      message: string;
      unknownType?: { type: number; id: string | null; locale: string | null };
    };

const decoder = new TextDecoder();
const KNOWN_TYPES = new Set<number>(Object.values(InteractionType));

export function parseInteraction(bytes: Uint8Array): ParseResult {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(bytes));
  } catch {
    return { ok: false, status: 400, message: "body is not valid JSON" };
  }
  if (!isObject(payload)) return { ok: false, status: 400, message: "body must be a JSON object" };
  const type = payload.type;
  if (typeof type !== "number") return { ok: false, status: 400, message: "body.type must be a number" };
  if (!KNOWN_TYPES.has(type)) {
    // A well-formed interaction (an id and a token) of a type Discord added later is answered, not refused.
    const known = Number.isInteger(type) && type > 0 && str(payload.id) && str(payload.token);
    return {
      ok: false,
      status: 400,
      message: `unknown interaction type ${type}`,
      ...(known ? { unknownType: { type, id: str(payload.id) ?? null, locale: str(payload.locale) ?? null } } : {}),
    };
  }

  const data = isObject(payload.data) ? payload.data : null;
  const member = isObject(payload.member) ? payload.member : null;
  const userObject = isObject(member?.user) ? member.user : isObject(payload.user) ? payload.user : null;
  const userId = str(userObject?.id);
  // A PING carries none of the fields below; it is answered with the shared empty values, at no cost.
  const full = type !== InteractionType.Ping;
  return {
    ok: true,
    interaction: {
      id: str(payload.id) ?? "",
      type: type as InteractionTypeValue,
      token: str(payload.token) ?? "",
      applicationId: str(payload.application_id) ?? "",
      guildId: str(payload.guild_id),
      channelId: str(payload.channel_id) ?? str(isObject(payload.channel) ? payload.channel.id : undefined),
      user: userId ? { id: userId, username: str(userObject?.username) ?? "" } : null,
      memberPermissions: parsePermissions(member?.permissions),
      locale: str(payload.locale),
      guildLocale: full ? str(payload.guild_locale) : null,
      context: full ? contextOf(payload.context) : null,
      authorizingIntegrationOwners: full ? ownersOf(payload.authorizing_integration_owners) : NO_OWNERS,
      appPermissions: full ? parsePermissions(payload.app_permissions) : null,
      entitlements:
        full && Array.isArray(payload.entitlements) && payload.entitlements.length > 0
          ? entitlementsOf(payload.entitlements)
          : NO_ENTITLEMENTS,
      data,
      commandName: str(data?.name),
      commandType: typeof data?.type === "number" ? data.type : 1,
      customId: str(data?.custom_id),
      message: isObject(payload.message) ? payload.message : null,
      raw: payload,
    },
  };
}

const NO_OWNERS: IntegrationOwners = Object.freeze({ guildInstall: null, userInstall: null });
const NO_ENTITLEMENTS: readonly Entitlement[] = Object.freeze([]);

function contextOf(value: unknown): ContextTypeValue | null {
  return value === 0 || value === 1 || value === 2 ? value : null;
}

function ownersOf(value: unknown): IntegrationOwners {
  if (!isObject(value)) return NO_OWNERS;
  // Keys are the integration types as strings: "0" guild install, "1" user install.
  const guildInstall = typeof value["0"] === "string" ? value["0"] : null;
  const userInstall = typeof value["1"] === "string" ? value["1"] : null;
  return guildInstall === null && userInstall === null ? NO_OWNERS : { guildInstall, userInstall };
}

function entitlementsOf(list: readonly unknown[]): readonly Entitlement[] {
  const out: Entitlement[] = [];
  for (const item of list) {
    if (!isObject(item)) continue;
    const id = str(item.id);
    const skuId = str(item.sku_id);
    if (!id || !skuId) continue;
    out.push({
      id,
      skuId,
      type: typeof item.type === "number" ? item.type : 0,
      userId: str(item.user_id),
      guildId: str(item.guild_id),
      startsAt: str(item.starts_at),
      endsAt: str(item.ends_at),
      consumed: item.consumed === true,
      deleted: item.deleted === true,
    });
  }
  return out;
}

/**
 * True when only a user install authorised the interaction: the app acts for that user, not as a member of the
 * server (or private channel) it runs in, and Discord's user-install limits apply (5 follow-ups per interaction).
 */
export function isUserInstallOnly(interaction: Pick<Interaction, "authorizingIntegrationOwners">): boolean {
  const owners = interaction.authorizingIntegrationOwners;
  return owners.userInstall !== null && owners.guildInstall === null;
}

function parsePermissions(value: unknown): bigint | null {
  if (typeof value !== "string" || !/^\d{1,40}$/.test(value)) return null;
  return BigInt(value);
}

function str(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}
