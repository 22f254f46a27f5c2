// The initial response to an interaction: POST /interactions/{id}/{token}/callback, or the Worker's inline HTTP
// answer reported to the emulator. Enforces what Discord enforces: one acknowledgement, within 3 s, of a type
// that suits the interaction, with data inside the limits.

import { CALLBACK_TYPES } from "../callback-types.ts";
import { snowflake } from "../snowflake.ts";
import { checkAgainstSpec, SPEC_OPERATIONS, specViolationResponse } from "../conformance.ts";
import { alreadyAcknowledged, invalidFormBody, unknownInteraction, type FieldError } from "../errors.ts";
import { MESSAGE_FLAGS, validateChoices, validateModal } from "../limits.ts";
import { createMessage, editMessage, renderMessage, type MessageInput } from "../messages.ts";
import { initialDeadlinePassed, lazyRecord } from "../registry.ts";
import type { Route, RouteContext } from "../router.ts";
import type { InteractionRecord, StoredMessage } from "../state.ts";

// Interaction types: PING 1, APPLICATION_COMMAND 2, MESSAGE_COMPONENT 3, AUTOCOMPLETE 4, MODAL_SUBMIT 5.
const VALID_FOR: Record<number, readonly number[]> = {
  1: [1],
  4: [2, 3, 5],
  5: [2, 3, 5],
  6: [3, 5],
  7: [3, 5],
  8: [4],
  9: [2, 3],
  10: [2, 3, 5],
  12: [2, 3],
};

export interface AcknowledgeInput extends MessageInput {
  via: "callback" | "inline";
  log: (event: Record<string, unknown>) => void;
}

export type AcknowledgeResult =
  | { ok: true; callbackType: number; message: StoredMessage | null }
  | { ok: false; response: Response };

const fail = (errors: FieldError[]): AcknowledgeResult => ({ ok: false, response: invalidFormBody(errors) });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The component's message as a stored message, so type 6/7 and later PATCH @original edit it. */
function adoptSourceMessage(record: InteractionRecord, now: number): StoredMessage | null {
  const source = record.sourceMessage;
  if (!source || typeof source.id !== "string") return null;
  return {
    id: source.id,
    token: record.token,
    role: "original",
    channel_id: typeof source.channel_id === "string" ? source.channel_id : record.channelId,
    content: typeof source.content === "string" ? source.content : "",
    embeds: Array.isArray(source.embeds) ? source.embeds : [],
    components: Array.isArray(source.components) ? source.components : [],
    attachments: Array.isArray(source.attachments) ? (source.attachments as StoredMessage["attachments"]) : [],
    flags: typeof source.flags === "number" ? source.flags : 0,
    tts: false,
    loading: false,
    timestamp: typeof source.timestamp === "string" ? source.timestamp : new Date(now).toISOString(),
    edited_timestamp: null,
    edits: 0,
    deleted: false,
  };
}

export function acknowledge(input: AcknowledgeInput): AcknowledgeResult {
  const { record } = input;
  if (record.acknowledged) return { ok: false, response: alreadyAcknowledged() };
  const body = input.body;
  if (!isObject(body) || !Number.isInteger(body.type)) {
    return fail([{ path: "type", code: "BASE_TYPE_REQUIRED", message: "This field is required" }]);
  }
  const type = body.type as number;
  const nonconforming = checkAgainstSpec(SPEC_OPERATIONS.interactionCallback, body);
  if (nonconforming) return { ok: false, response: specViolationResponse(nonconforming, input.log) };
  const allowed = VALID_FOR[type];
  if (!allowed)
    return fail([
      { path: "type", code: "BASE_TYPE_CHOICES", message: "Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}." },
    ]);
  if (record.type !== null && !allowed.includes(record.type)) {
    return fail([
      {
        path: "type",
        code: "INTERACTION_RESPONSE_TYPE_INVALID",
        message: `emulator(callback): response type ${type} is not valid for interaction type ${record.type}`,
      },
    ]);
  }
  const data = body.data;
  if (data !== undefined && data !== null && !isObject(data))
    return fail([{ path: "data", code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" }]);
  const payload = (data ?? {}) as Record<string, unknown>;
  const common = { state: input.state, record, origin: input.origin, now: input.now, files: input.files };

  let message: StoredMessage | null = null;
  switch (type) {
    case CALLBACK_TYPES.CHANNEL_MESSAGE_WITH_SOURCE: {
      const created = createMessage({ ...common, role: "original", body: payload });
      if (!created.ok) return created;
      message = created.message;
      break;
    }
    case CALLBACK_TYPES.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: {
      const flags = typeof payload.flags === "number" ? payload.flags : 0;
      if ((flags & ~MESSAGE_FLAGS.EPHEMERAL) !== 0) {
        return fail([
          {
            path: "data.flags",
            code: "MESSAGE_FLAGS_INVALID",
            message: "emulator(callback): a deferred response may only carry EPHEMERAL (64)",
          },
        ]);
      }
      const created = createMessage({ ...common, files: [], role: "original", body: { flags }, loading: true });
      if (!created.ok) return created;
      message = created.message;
      break;
    }
    case CALLBACK_TYPES.DEFERRED_UPDATE_MESSAGE:
      message = adoptSourceMessage(record, input.now);
      break;
    case CALLBACK_TYPES.UPDATE_MESSAGE: {
      const source = adoptSourceMessage(record, input.now);
      const result = source
        ? editMessage({ ...common, message: source, body: payload })
        : createMessage({ ...common, role: "original", body: payload });
      if (!result.ok) return result;
      message = result.message;
      break;
    }
    case CALLBACK_TYPES.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT: {
      const errors = validateChoices(payload);
      if (errors.length > 0) return fail(errors);
      break;
    }
    case CALLBACK_TYPES.MODAL: {
      const errors = validateModal(payload);
      if (errors.length > 0) return fail(errors);
      break;
    }
  }

  record.acknowledged = true;
  record.callbacks.push({
    type,
    ...(data !== undefined ? { data } : {}),
    at: new Date(input.now).toISOString(),
    via: input.via,
  });
  if (message) record.original = message;
  return { ok: true, callbackType: type, message };
}

async function callback(ctx: RouteContext): Promise<Response> {
  const { id, token } = ctx.params as { id: string; token: string };
  let record = ctx.state.interactions.get(token);
  if (!record) {
    if (ctx.state.strictTokens) return unknownInteraction();
    record = lazyRecord(ctx.state, ctx.state.applicationId, token);
    record.id = id;
    record.acknowledged = false;
  }
  if (record.id !== null && record.id !== id) return unknownInteraction();
  if (initialDeadlinePassed(record, ctx.now)) return unknownInteraction();

  const result = acknowledge({ ...ctx, record, body: ctx.body.payload, files: ctx.body.files, via: "callback" });
  if (!result.ok) return result.response;
  if (ctx.url.searchParams.get("with_response") !== "true") return new Response(null, { status: 204 });

  const message = result.message;
  // LAUNCH_ACTIVITY: the Activity instance the launch created (discord-api-docs, "Interaction Callback Response").
  const activity = result.callbackType === 12 ? { id: `i-${snowflake(ctx.now)}` } : null;
  return Response.json({
    interaction: {
      id,
      type: record.type,
      ...(activity ? { activity_instance_id: activity.id } : {}),
      ...(message
        ? {
            response_message_id: message.id,
            response_message_loading: message.loading,
            response_message_ephemeral: (message.flags & MESSAGE_FLAGS.EPHEMERAL) !== 0,
          }
        : {}),
    },
    // Only a reply, an update or a launch creates a resource Discord describes (the message, the Activity instance).
    ...(activity
      ? { resource: { type: 12, activity_instance: activity } }
      : message && !message.loading && (result.callbackType === 4 || result.callbackType === 7)
        ? { resource: { type: result.callbackType, message: renderMessage(message, record) } }
        : {}),
  });
}

export const callbackRoutes: Route[] = [
  // Interaction callbacks are not queued by clients (@discordjs/rest uses a burst handler); generous bucket.
  {
    method: "POST",
    template: "/interactions/:id/:token/callback",
    auth: false,
    bucket: { limit: 50, windowMs: 1_000 },
    major: ["id"],
    handler: callback,
  },
];
