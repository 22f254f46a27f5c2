/**
 * Entities an interaction carries in `data.resolved` (users, members, roles, channels, attachments, messages),
 * read into small typed values at the boundary. Discord sends them keyed by id beside the options or the
 * context-menu target that names them; a missing or malformed entry reads as undefined, never a crash.
 */
import { isObject } from "./interaction.ts";

type Json = Record<string, unknown>;

/** @public */
export interface ResolvedMember {
  readonly nick: string | null;
  readonly roles: readonly string[];
  /** The member's permissions in the channel, when Discord sent them. */
  readonly permissions: bigint | null;
}

export interface ResolvedUser {
  readonly kind: "user";
  readonly id: string;
  readonly username: string;
  readonly globalName: string | null;
  readonly bot: boolean;
  /** In a server: the member for this user; null in DMs or when Discord sent none. */
  readonly member: ResolvedMember | null;
}

export interface ResolvedRole {
  readonly kind: "role";
  readonly id: string;
  readonly name: string;
}

export interface ResolvedChannel {
  readonly id: string;
  readonly name: string | null;
  /** Discord's channel type (0 text, 2 voice, 4 category, 11 public thread, …). */
  readonly type: number;
  /** The app that created a group DM; Discord sends it absent or null for every other channel. */
  readonly applicationId: string | null;
}

export interface Attachment {
  readonly id: string;
  readonly filename: string;
  readonly url: string;
  readonly size: number | null;
  readonly contentType: string | null;
}

/** The target of a message command. */
export interface ResolvedMessage {
  readonly id: string;
  readonly channelId: string | null;
  readonly content: string;
  readonly author: ResolvedUser | null;
  readonly attachments: readonly Attachment[];
  /** The whole message object as Discord sent it, for fields not modelled here. */
  readonly raw: Json;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function table(resolved: Json | null, name: string): Json | null {
  const value = resolved?.[name];
  return isObject(value) ? value : null;
}

function member(value: unknown): ResolvedMember | null {
  if (!isObject(value)) return null;
  const permissions =
    typeof value.permissions === "string" && /^\d{1,40}$/.test(value.permissions) ? BigInt(value.permissions) : null;
  return {
    nick: str(value.nick),
    roles: Array.isArray(value.roles) ? value.roles.filter((r): r is string => typeof r === "string") : [],
    permissions,
  };
}

function userFrom(value: unknown, memberValue: unknown = undefined): ResolvedUser | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (!id) return undefined;
  return {
    kind: "user",
    id,
    username: str(value.username) ?? "",
    globalName: str(value.global_name),
    bot: value.bot === true,
    member: member(memberValue),
  };
}

function attachmentFrom(id: string, value: unknown): Attachment | undefined {
  if (!isObject(value) || typeof value.url !== "string") return undefined;
  return {
    id,
    filename: typeof value.filename === "string" ? value.filename : "file",
    url: value.url,
    size: typeof value.size === "number" ? value.size : null,
    contentType: typeof value.content_type === "string" ? value.content_type : null,
  };
}

/** The entity of type `optionType` with this id, from `resolved`; undefined when it is absent or malformed. */
export function resolveOption(
  resolved: Json | null,
  optionType: number,
  id: string,
): ResolvedUser | ResolvedRole | ResolvedChannel | Attachment | undefined {
  switch (optionType) {
    case 6:
      return userFrom(table(resolved, "users")?.[id], table(resolved, "members")?.[id]);
    case 8:
      return roleFrom(id, table(resolved, "roles")?.[id]);
    case 7: {
      const channel = table(resolved, "channels")?.[id];
      return isObject(channel)
        ? {
            id,
            name: str(channel.name),
            type: typeof channel.type === "number" ? channel.type : 0,
            applicationId: str(channel.application_id) ?? null,
          }
        : undefined;
    }
    case 9:
      return resolveOption(resolved, 6, id) ?? resolveOption(resolved, 8, id);
    case 11:
      return attachmentFrom(id, table(resolved, "attachments")?.[id]);
    default:
      return undefined;
  }
}

function roleFrom(id: string, value: unknown): ResolvedRole | undefined {
  return isObject(value) ? { kind: "role", id, name: str(value.name) ?? "" } : undefined;
}

function messageFrom(value: unknown): ResolvedMessage | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (!id) return undefined;
  const attachments = Array.isArray(value.attachments)
    ? value.attachments.flatMap((a) => {
        const parsed = isObject(a) && typeof a.id === "string" ? attachmentFrom(a.id, a) : undefined;
        return parsed ? [parsed] : [];
      })
    : [];
  return {
    id,
    channelId: str(value.channel_id),
    content: typeof value.content === "string" ? value.content : "",
    author: userFrom(value.author) ?? null,
    attachments,
    raw: value,
  };
}

/** A context-menu command's target: the user (with member) or the message named by `data.target_id`. */
export function targetUser(data: Json | null): ResolvedUser | undefined {
  const id = str(data?.target_id);
  const resolved = isObject(data?.resolved) ? data.resolved : null;
  return id ? userFrom(table(resolved, "users")?.[id], table(resolved, "members")?.[id]) : undefined;
}

export function targetMessage(data: Json | null): ResolvedMessage | undefined {
  const id = str(data?.target_id);
  const resolved = isObject(data?.resolved) ? data.resolved : null;
  return id ? messageFrom(table(resolved, "messages")?.[id]) : undefined;
}
