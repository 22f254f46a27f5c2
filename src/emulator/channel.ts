// The channel as people see it: the messages they post (the playground's message box, `npm run interact --
// --message`), the members the emulated server has, and the targets of context-menu commands. Discord resolves
// a target from what is in the channel: a message command carries the whole target message as the API returns
// it, a user command the user and, in a server, their member. The emulator does the same from its own state.

import { currentMessage } from "./feed.ts";
import { renderPost } from "./messages.ts";
import { DEFAULT_CHANNEL_ID } from "./registry.ts";
import {
  APP_PERMISSIONS,
  BOT_DM_CHANNEL_ID,
  GROUP_DM_CHANNEL_ID,
  botUser,
  COMMAND_TYPES,
  completeUser,
  DEFAULT_USER,
  MEMBER_PERMISSIONS,
  messageCommandData,
  userCommandData,
  type InteractionUser,
} from "./signed-interactions.ts";
import { isSnowflake, snowflake } from "./snowflake.ts";
import type { EmulatorState, PostedMessage } from "./state.ts";

/** Discord's limits for a message a person sends. */
const MAX_CONTENT = 2000;
const MAX_EMBEDS = 10;
const MAX_FILES = 10;

export interface PostInput {
  content: string;
  /** Who posts it; default the playground's user (Tester). Another author becomes a member of the server. */
  author?: Partial<InteractionUser> & { id: string };
  embeds?: unknown[];
  /** Files uploaded first (POST /__emulator/uploads), by attachment id; they become the message's attachments. */
  attachment_ids?: string[];
  /** Where: the server's #general (default), the DM with the bot, or the group DM. */
  channel_id?: string;
}

const CHANNELS = new Set([DEFAULT_CHANNEL_ID, BOT_DM_CHANNEL_ID, GROUP_DM_CHANNEL_ID]);

export type PostResult = { ok: true; message: Record<string, unknown> } | { ok: false; status: number; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Checks the body of POST /__emulator/channel/messages once, at the boundary. */
export function parsePostInput(value: unknown): { ok: true; input: PostInput } | { ok: false; error: string } {
  const bad = (why: string) => ({ ok: false as const, error: `emulator(channel): ${why}` });
  if (!isObject(value)) return bad("the body must be a JSON object {content, author?, embeds?, attachment_ids?}");
  const { content = "", author, embeds, attachment_ids: attachmentIds, channel_id: channelId } = value;
  if (typeof content !== "string") return bad("`content` must be a string");
  if ([...content].length > MAX_CONTENT) return bad(`\`content\` is longer than Discord's ${MAX_CONTENT} characters`);
  if (author !== undefined && !(isObject(author) && typeof author.id === "string" && isSnowflake(author.id)))
    return bad("`author` must be a user object with a snowflake `id`");
  if (embeds !== undefined && !(Array.isArray(embeds) && embeds.length <= MAX_EMBEDS && embeds.every(isObject)))
    return bad(`\`embeds\` must be an array of at most ${MAX_EMBEDS} objects`);
  if (
    attachmentIds !== undefined &&
    !(
      Array.isArray(attachmentIds) &&
      attachmentIds.length <= MAX_FILES &&
      attachmentIds.every((id) => typeof id === "string")
    )
  ) {
    return bad(`\`attachment_ids\` must be an array of at most ${MAX_FILES} upload ids`);
  }
  if (channelId !== undefined && !(typeof channelId === "string" && CHANNELS.has(channelId))) {
    return bad(
      `\`channel_id\` must be one of the emulated channels: ${[...CHANNELS].join(", ")} (#general, the DM with the bot, the group DM)`,
    );
  }
  return {
    ok: true,
    input: {
      content,
      ...(typeof channelId === "string" ? { channel_id: channelId } : {}),
      ...(author ? { author: author as PostInput["author"] } : {}),
      ...(embeds ? { embeds } : {}),
      ...(attachmentIds ? { attachment_ids: attachmentIds as string[] } : {}),
    },
  };
}

/** Posts a message in the channel as a person would; the answer is the message as Discord's API returns it. */
export function postMessage(state: EmulatorState, input: PostInput, now: number): PostResult {
  const attachments = [];
  for (const id of input.attachment_ids ?? []) {
    const upload = state.uploads.get(id);
    if (!upload)
      return {
        ok: false,
        status: 404,
        error: `emulator(channel): no upload ${id}; POST the file to /__emulator/uploads first`,
      };
    attachments.push(upload);
  }
  const embeds = input.embeds ?? [];
  if (!input.content.trim() && embeds.length === 0 && attachments.length === 0) {
    return {
      ok: false,
      status: 400,
      error: "emulator(channel): Discord sends no empty message; give content, embeds or attachments",
    };
  }
  for (const attachment of attachments) state.uploads.delete(attachment.id);
  const post: PostedMessage = {
    id: snowflake(now),
    channel_id: input.channel_id ?? DEFAULT_CHANNEL_ID,
    author: !input.author
      ? DEFAULT_USER
      : input.author.id === DEFAULT_USER.id
        ? { ...DEFAULT_USER, ...input.author }
        : completeUser(input.author),
    content: input.content,
    embeds,
    attachments,
    timestamp: new Date(now).toISOString(),
  };
  state.posts.push(post);
  return { ok: true, message: renderPost(post) };
}

/** A message in the channel (posted, or the bot's, as it is now), rendered as Discord's API returns it; null when none. */
export function channelMessage(state: EmulatorState, id: string): Record<string, unknown> | null {
  const post = state.posts.find((p) => p.id === id);
  return post ? renderPost(post) : currentMessage(state, id);
}

/** The server's members: the playground's user, the bot, and whoever posted in the channel. */
export function serverMembers(state: EmulatorState): InteractionUser[] {
  const users = new Map<string, InteractionUser>([
    [DEFAULT_USER.id, DEFAULT_USER],
    [state.applicationId, botUser(state.applicationId)],
  ]);
  for (const post of state.posts) if (!users.has(post.author.id)) users.set(post.author.id, post.author);
  return [...users.values()];
}

/** A user or message command whose target the emulator cannot find; the control routes answer it with a 404. */
export class TargetError extends Error {
  override readonly name = "TargetError";
}

/**
 * Fills `data.resolved` of a user or message command from the channel, as Discord does, unless the caller sent
 * the target already. Other interaction data passes unchanged.
 */
export function resolveContextTarget(
  state: EmulatorState,
  data: Record<string, unknown>,
  inGuild: boolean,
): Record<string, unknown> {
  const type = data.type;
  if (type !== COMMAND_TYPES.USER && type !== COMMAND_TYPES.MESSAGE) return data;
  const name = String(data.name ?? "?");
  const targetId = data.target_id;
  if (typeof targetId !== "string")
    throw new TargetError(
      `emulator(interactions): ${name} is a ${type === 2 ? "user" : "message"} command; data.target_id must name its target`,
    );
  const resolved = isObject(data.resolved) ? data.resolved : {};
  const table = type === COMMAND_TYPES.USER ? resolved.users : resolved.messages;
  if (isObject(table) && table[targetId] !== undefined) return data;

  const command = {
    name,
    ...(typeof data.id === "string" ? { id: data.id } : {}),
    ...(typeof data.guild_id === "string" ? { guild_id: data.guild_id } : {}),
  };
  if (type === COMMAND_TYPES.MESSAGE) {
    const message = channelMessage(state, targetId);
    if (!message)
      throw new TargetError(
        `emulator(interactions): no message ${targetId} in #general for ${name} (was it deleted, or the emulator reset?)`,
      );
    return messageCommandData(command, message);
  }
  const everyone = serverMembers(state);
  const user = everyone.find((u) => u.id === targetId);
  if (!user) {
    const known = everyone.map((u) => `${u.id} (${u.global_name ?? u.username})`).join(", ");
    throw new TargetError(
      `emulator(interactions): no member ${targetId} in the server for ${name}; its members are ${known}`,
    );
  }
  const member = inGuild ? { permissions: user.bot ? APP_PERMISSIONS : MEMBER_PERMISSIONS } : null;
  return userCommandData(command, { user, member });
}
