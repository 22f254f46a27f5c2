// The messages a bot makes for an interaction (the original response and follow-ups): creating them from a
// request body, applying edits with Discord's partial-update and flag rules, and rendering them (and the
// messages people post in the channel) in the shape Discord's API returns.

import { planAttachments } from "./attachments.ts";
import type { UploadedFile } from "./discord-body.ts";
import { emptyMessage, entityTooLarge, invalidFormBody, type FieldError } from "./errors.ts";
import { CREATABLE_FLAGS, MESSAGE_FLAGS, validateMessageBody } from "./limits.ts";
import { botUser } from "./signed-interactions.ts";
import { snowflake } from "./snowflake.ts";
import type { EmulatorState, InteractionRecord, PostedMessage, StoredMessage } from "./state.ts";

export type MessageResult =
  | { ok: true; message: StoredMessage; ignoredUploads: string[] }
  | { ok: false; response: Response };

/** What creating or editing a stored message needs: the state, the interaction and the request's content. */
export interface MessageInput {
  state: EmulatorState;
  record: InteractionRecord;
  body: unknown;
  files: readonly UploadedFile[];
  origin: string;
  now: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function bodyObject(body: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; response: Response } {
  if (body === undefined) return { ok: true, value: {} };
  if (!isObject(body)) {
    return {
      ok: false,
      response: invalidFormBody([
        { path: "", code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" },
      ]),
    };
  }
  return { ok: true, value: body };
}

/** A new message (callback type 4, a follow-up, or a deferred reply's placeholder). */
export function createMessage(input: MessageInput & { role: StoredMessage["role"]; loading?: boolean }): MessageResult {
  const parsed = bodyObject(input.body);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  const requested = typeof body.flags === "number" ? body.flags : 0;
  const errors: FieldError[] = validateMessageBody(body, requested);
  if ((requested & ~CREATABLE_FLAGS) !== 0) {
    errors.push({
      path: "flags",
      code: "MESSAGE_FLAGS_INVALID",
      message: `emulator(messages): flags ${requested & ~CREATABLE_FLAGS} cannot be set on a new message`,
    });
  }
  if (errors.length > 0) return { ok: false, response: invalidFormBody(errors) };

  const id = snowflake(input.now);
  const planned = planAttachments({
    mode: "create",
    messageId: id,
    existing: [],
    listed: body.attachments,
    files: input.files,
    origin: input.origin,
    sizeLimit: input.record.attachmentSizeLimit,
  });
  if (!planned.ok)
    return { ok: false, response: planned.tooLarge ? entityTooLarge() : invalidFormBody(planned.errors) };

  const message: StoredMessage = {
    id,
    token: input.record.token,
    role: input.role,
    channel_id: input.record.channelId,
    content: typeof body.content === "string" ? body.content : "",
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    attachments: planned.plan.attachments,
    flags: requested | (input.loading ? MESSAGE_FLAGS.LOADING : 0),
    tts: body.tts === true,
    loading: input.loading === true,
    timestamp: new Date(input.now).toISOString(),
    edited_timestamp: null,
    edits: 0,
    deleted: false,
  };
  if (body.allowed_mentions !== undefined) message.allowed_mentions = body.allowed_mentions;
  if (body.poll !== undefined) message.poll = body.poll;

  const empty =
    !message.content &&
    message.embeds.length === 0 &&
    message.components.length === 0 &&
    message.attachments.length === 0 &&
    message.poll === undefined;
  if (empty && !input.loading) return { ok: false, response: emptyMessage() };

  for (const file of planned.plan.newFiles) input.state.files.set(file.attachmentId, file);
  return { ok: true, message, ignoredUploads: [] };
}

/** Applies a PATCH: only the fields present change; flags follow Discord's edit rules. */
export function editMessage(input: MessageInput & { message: StoredMessage }): MessageResult {
  const parsed = bodyObject(input.body);
  if (!parsed.ok) return parsed;
  const body = parsed.value;
  const current = input.message;

  // Editable flags: SUPPRESS_EMBEDS (set or clear) and IS_COMPONENTS_V2 (set only). Ephemerality is fixed.
  let flags = current.flags & ~MESSAGE_FLAGS.LOADING;
  if (typeof body.flags === "number") {
    flags =
      (flags & ~MESSAGE_FLAGS.SUPPRESS_EMBEDS) |
      (body.flags & MESSAGE_FLAGS.SUPPRESS_EMBEDS) |
      (body.flags & MESSAGE_FLAGS.IS_COMPONENTS_V2);
  }
  const errors = validateMessageBody(body, flags);
  const becomesV2 = (flags & MESSAGE_FLAGS.IS_COMPONENTS_V2) !== 0;
  if (becomesV2 && !("content" in body) && current.content)
    errors.push({
      path: "content",
      code: "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      message: "emulator(messages): clear content when switching a message to IS_COMPONENTS_V2",
    });
  if (errors.length > 0) return { ok: false, response: invalidFormBody(errors) };

  const planned = planAttachments({
    mode: "edit",
    messageId: current.id,
    existing: current.attachments,
    listed: body.attachments,
    files: input.files,
    origin: input.origin,
    sizeLimit: input.record.attachmentSizeLimit,
  });
  if (!planned.ok)
    return { ok: false, response: planned.tooLarge ? entityTooLarge() : invalidFormBody(planned.errors) };

  const next: StoredMessage = {
    ...current,
    content: "content" in body ? (typeof body.content === "string" ? body.content : "") : current.content,
    embeds: "embeds" in body ? (Array.isArray(body.embeds) ? body.embeds : []) : current.embeds,
    components: "components" in body ? (Array.isArray(body.components) ? body.components : []) : current.components,
    attachments: planned.plan.attachments,
    flags,
    loading: false,
    edited_timestamp: new Date(input.now).toISOString(),
    edits: current.edits + 1,
  };
  if ("allowed_mentions" in body) next.allowed_mentions = body.allowed_mentions;
  if ("poll" in body) next.poll = body.poll;

  const empty =
    !next.content &&
    next.embeds.length === 0 &&
    next.components.length === 0 &&
    next.attachments.length === 0 &&
    next.poll === undefined;
  if (empty) return { ok: false, response: emptyMessage() };

  const keptIds = new Set(next.attachments.map((a) => a.id));
  for (const old of current.attachments) if (!keptIds.has(old.id)) input.state.files.delete(old.id);
  for (const file of planned.plan.newFiles) input.state.files.set(file.attachmentId, file);
  return { ok: true, message: next, ignoredUploads: planned.plan.ignoredUploads };
}

/** Discord's message types for an original response: 20 CHAT_INPUT_COMMAND, 23 CONTEXT_MENU_COMMAND; else 0 DEFAULT. */
function messageType(message: StoredMessage, record: InteractionRecord): number {
  if (message.role !== "original" || record.type !== 2) return 0;
  return record.commandType === 2 || record.commandType === 3 ? 23 : 20;
}

/** The message as Discord's API returns it. */
export function renderMessage(message: StoredMessage, record: InteractionRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: message.id,
    type: messageType(message, record),
    channel_id: message.channel_id,
    author: asUserResponse(botUser(record.applicationId)),
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    attachments: message.attachments,
    flags: message.flags,
    timestamp: message.timestamp,
    edited_timestamp: message.edited_timestamp,
    tts: message.tts,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    webhook_id: record.applicationId,
    application_id: record.applicationId,
  };
  if (message.poll !== undefined) out.poll = renderPoll(message.poll, message.timestamp);
  if (record.metadata) out.interaction_metadata = withUserResponses(record.metadata);
  else if (record.id !== null && record.type !== null) out.interaction_metadata = { id: record.id, type: record.type };
  return out;
}

/**
 * A user as the API returns one inside a message (UserResponse in Discord's description): interactions carry users
 * without `flags` and `primary_guild` (and tests' payloads with less), which a message's author and
 * interaction_metadata have.
 */
function asUserResponse(user: unknown): unknown {
  if (!isObject(user)) return user;
  const publicFlags = typeof user.public_flags === "number" ? user.public_flags : 0;
  return {
    avatar: null,
    discriminator: "0",
    global_name: null,
    ...user,
    public_flags: publicFlags,
    flags: typeof user.flags === "number" ? user.flags : publicFlags,
    primary_guild: user.primary_guild ?? null,
  };
}

function withUserResponses(metadata: Record<string, unknown>): Record<string, unknown> {
  return {
    ...metadata,
    ...(metadata.user ? { user: asUserResponse(metadata.user) } : {}),
    ...(metadata.target_user ? { target_user: asUserResponse(metadata.target_user) } : {}),
  };
}

/** A poll as Discord returns it: answers numbered from 1, an expiry `duration` hours (24 by default) after the message, no votes yet. */
function renderPoll(requested: unknown, timestamp: string): Record<string, unknown> {
  const poll = (isObject(requested) ? requested : {}) as {
    question?: unknown;
    answers?: unknown;
    duration?: unknown;
    allow_multiselect?: unknown;
    layout_type?: unknown;
  };
  const hours = typeof poll.duration === "number" ? poll.duration : 24;
  return {
    question: poll.question,
    answers: (Array.isArray(poll.answers) ? poll.answers : []).map((answer, i) => ({
      answer_id: i + 1,
      poll_media: isObject(answer) ? answer.poll_media : {},
    })),
    expiry: new Date(Date.parse(timestamp) + hours * 3_600_000).toISOString(),
    allow_multiselect: poll.allow_multiselect === true,
    layout_type: typeof poll.layout_type === "number" ? poll.layout_type : 1,
    results: { is_finalized: false, answer_counts: [] },
  };
}

/** A message someone posted, as Discord's API returns it (what a message command's `resolved.messages` holds). */
export function renderPost(post: PostedMessage): Record<string, unknown> {
  return {
    id: post.id,
    type: 0,
    channel_id: post.channel_id,
    author: post.author,
    content: post.content,
    embeds: post.embeds,
    components: [],
    attachments: post.attachments,
    flags: 0,
    timestamp: post.timestamp,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
  };
}
