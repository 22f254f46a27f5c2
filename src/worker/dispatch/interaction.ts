/**
 * Turns a signed-but-untrusted JSON payload into a typed Interaction. A valid signature only proves the
 * bytes came from Discord (or whoever holds the key); any field may still be missing or of the wrong type,
 * so every read here is checked and the rest of the code can trust the types.
 */
import { InteractionType, type InteractionTypeValue } from "../discord/interaction-types.ts";
import { isObject } from "../json.ts";

export { InteractionType, isObject };

type Json = Record<string, unknown>;

export interface Interaction {
  readonly id: string;
  readonly type: InteractionTypeValue;
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string | null;
  readonly channelId: string | null;
  readonly user: { readonly id: string; readonly username: string } | null;
  /** The member's effective permissions in the channel; null outside guilds or when absent. */
  readonly memberPermissions: bigint | null;
  readonly locale: string | null;
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

export type ParseResult = { ok: true; interaction: Interaction } | { ok: false; status: 400; message: string };

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
  if (!KNOWN_TYPES.has(type)) return { ok: false, status: 400, message: `unknown interaction type ${type}` };

  const data = isObject(payload.data) ? payload.data : null;
  const member = isObject(payload.member) ? payload.member : null;
  const userObject = isObject(member?.user) ? member.user : isObject(payload.user) ? payload.user : null;
  const userId = str(userObject?.id);
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
      data,
      commandName: str(data?.name),
      commandType: typeof data?.type === "number" ? data.type : 1,
      customId: str(data?.custom_id),
      message: isObject(payload.message) ? payload.message : null,
      raw: payload,
    },
  };
}

function parsePermissions(value: unknown): bigint | null {
  if (typeof value !== "string" || !/^\d{1,40}$/.test(value)) return null;
  return BigInt(value);
}


function str(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}
