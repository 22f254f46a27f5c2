// Interaction tokens: issued when the emulator builds an interaction, looked up by every webhook and callback
// route. Discord's clock rules live here: the initial response must arrive within 3 s, and the token answers
// webhook calls for 15 minutes. Lax mode (the default) accepts tokens it never issued, for tests that build
// their own interaction payloads.

import { invalidWebhookToken, unknownWebhook } from "./errors.ts";
import { describeInvocation } from "./invocation.ts";
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, type EmulatorState, type InteractionRecord } from "./state.ts";

export const INITIAL_RESPONSE_DEADLINE_MS = 3_000;
export const TOKEN_LIFETIME_MS = 15 * 60_000;
export const DEFAULT_CHANNEL_ID = "1000000000000000002";

/** The fields of an interaction payload the emulator keeps. */
export interface IssuedInteraction {
  id: string;
  token: string;
  type: number;
  application_id: string;
  channel_id?: string;
  channel?: Record<string, unknown>;
  message?: Record<string, unknown>;
  attachment_size_limit?: number;
  data?: Record<string, unknown>;
  member?: Record<string, unknown>;
  user?: Record<string, unknown> | { username?: string; global_name?: string | null };
  authorizing_integration_owners?: Record<string, unknown>;
}

export function registerInteraction(
  state: EmulatorState,
  payload: IssuedInteraction,
  now: number,
  label?: string,
): InteractionRecord {
  const record: InteractionRecord = {
    token: payload.token,
    id: payload.id,
    type: payload.type,
    commandType: payload.type === 2 ? (typeof payload.data?.type === "number" ? payload.data.type : 1) : null,
    applicationId: payload.application_id,
    channelId:
      payload.channel_id ?? (typeof payload.channel?.id === "string" ? payload.channel.id : DEFAULT_CHANNEL_ID),
    issuedAt: now,
    acknowledged: false,
    callbacks: [],
    original: null,
    followups: [],
    sourceMessage: payload.message ?? null,
    attachmentSizeLimit: payload.attachment_size_limit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT,
    invocation: describeInvocation(payload, label),
    metadata: interactionMetadata(payload),
  };
  const owners = payload.authorizing_integration_owners;
  if (owners && "1" in owners && !("0" in owners)) record.userInstallOnly = true;
  state.interactions.set(payload.token, record);
  return record;
}

/**
 * Discord's MessageInteractionMetadata for the messages an interaction creates: who ran it, and for context-menu
 * commands what they ran it on (`target_user` for user commands, `target_message_id` for message commands);
 * for components, the message the component was on.
 */
function interactionMetadata(payload: IssuedInteraction): Record<string, unknown> {
  const user = (payload.member?.user ?? payload.user) as Record<string, unknown> | undefined;
  const metadata: Record<string, unknown> = { id: payload.id, type: payload.type, ...(user ? { user } : {}) };
  metadata.authorizing_integration_owners = payload.authorizing_integration_owners ?? {};
  const data = payload.data;
  const targetId = typeof data?.target_id === "string" ? data.target_id : undefined;
  if (payload.type === 2 && targetId && data?.type === 2) {
    const users = (data.resolved as { users?: Record<string, unknown> } | undefined)?.users;
    if (users?.[targetId]) metadata.target_user = users[targetId];
  }
  if (payload.type === 2 && targetId && data?.type === 3) metadata.target_message_id = targetId;
  if (payload.type === 3 && typeof payload.message?.id === "string")
    metadata.interacted_message_id = payload.message.id;
  return metadata;
}

/** A record for a token the emulator never issued (lax mode): treated as already acknowledged inline. */
export function lazyRecord(state: EmulatorState, applicationId: string, token: string): InteractionRecord {
  const record: InteractionRecord = {
    token,
    id: null,
    type: null,
    commandType: null,
    applicationId,
    channelId: DEFAULT_CHANNEL_ID,
    issuedAt: null,
    acknowledged: true,
    callbacks: [],
    original: null,
    followups: [],
    sourceMessage: null,
    attachmentSizeLimit: DEFAULT_ATTACHMENT_SIZE_LIMIT,
    invocation: null,
    metadata: null,
  };
  state.interactions.set(token, record);
  return record;
}

function tokenExpired(record: InteractionRecord, now: number): boolean {
  return record.issuedAt !== null && now - record.issuedAt > TOKEN_LIFETIME_MS;
}

export function initialDeadlinePassed(record: InteractionRecord, now: number): boolean {
  return record.issuedAt !== null && now - record.issuedAt > INITIAL_RESPONSE_DEADLINE_MS;
}

export type Lookup = { ok: true; record: InteractionRecord } | { ok: false; response: Response };

/**
 * The record behind a webhook route's `{app}/{token}`. Unknown tokens, and issued ones nobody acknowledged,
 * are accepted in lax mode (the acknowledgement is assumed to have gone inline) and 404 in strict mode.
 */
export function lookupWebhook(
  state: EmulatorState,
  app: string,
  token: string,
  now: number,
  options: { create: boolean },
): Lookup {
  let record = state.interactions.get(token);
  if (!record) {
    if (state.strictTokens || !options.create || app !== state.applicationId)
      return { ok: false, response: unknownWebhook() };
    record = lazyRecord(state, app, token);
  }
  if (record.applicationId !== app) return { ok: false, response: unknownWebhook() };
  if (tokenExpired(record, now)) return { ok: false, response: invalidWebhookToken() };
  if (!record.acknowledged) {
    // Discord creates the webhook when the interaction is acknowledged; before that the token is unknown.
    if (state.strictTokens) return { ok: false, response: unknownWebhook() };
    record.acknowledged = true;
  }
  return { ok: true, record };
}
