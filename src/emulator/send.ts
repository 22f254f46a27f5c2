// The emulator playing Discord's client side: build an interaction as Discord would (a registered command's id,
// a member with or without ADMINISTRATOR, the component's message as it is now, a context-menu command's target
// from the channel), sign it with the dev key, POST
// it to the Worker under Discord's 3-second deadline and record the answer, so the playground and any tool that
// reaches /__emulator/send see exactly what a Discord user would, including "The application did not respond".

import { TargetError } from "./channel.ts";
import { resolveModalSubmit } from "./modal-submit.ts";
import { describeDiscordError } from "./errors.ts";
import { currentMessage } from "./feed.ts";
import {
  ADMINISTRATOR,
  failureText,
  INTERACTION_TYPES,
  MEMBER_PERMISSIONS,
  sendInteraction,
  type BuildInteractionOptions,
  type InteractionContext,
  type InteractionPayload,
} from "./signed-interactions.ts";
import { INITIAL_RESPONSE_DEADLINE_MS } from "./registry.ts";
import type { EmulatorState, SendRecord } from "./state.ts";

export interface WorkerTarget {
  /** The Worker's interactions endpoint, e.g. http://127.0.0.1:8787/interactions. */
  url: string;
  /** PKCS#8 hex (or a 32-byte seed) of the key whose public half the Worker verifies with. */
  privateKeyHex: string;
  /** The Worker's webhook Events URL; default: `url` with /interactions replaced by /events. */
  eventsUrl?: string;
}

export interface SendInput {
  /** 1 PING, 2 APPLICATION_COMMAND, 3 MESSAGE_COMPONENT, 4 AUTOCOMPLETE, 5 MODAL_SUBMIT. */
  type: number;
  /** A user or message command is `{name, type: 2 | 3, target_id}`: the emulator resolves the target. */
  data?: Record<string, unknown>;
  /** "admin": the member has ADMINISTRATOR; "member" (default): an ordinary member's permissions. */
  role?: "admin" | "member";
  /** For components (and forms opened from one): the message the component is on, looked up as it is now. */
  message_id?: string;
  /** Or the message itself, when it was made elsewhere. */
  message?: Record<string, unknown>;
  /** How the chat view labels it ("Bar", "Feedback"); default: derived from the data. */
  label?: string;
  /** Where: 0 the server's #general (default), 1 the DM with the bot, 2 a group DM the bot is not in (user install). */
  context?: InteractionContext;
  /** The user's Discord locale ("de", "fr", "en-US"); default en-US. */
  locale?: string;
}

export interface SendOutcome {
  interaction: { id: string; type: number; label: string };
  /** The Worker's HTTP status; null when it did not answer in time or could not be reached. */
  status: number | null;
  body: unknown;
  ms: number;
  timed_out: boolean;
  /** What the Discord user would see; absent on success. */
  error?: string;
}

export type SendResult = { ok: true; outcome: SendOutcome } | { ok: false; status: number; error: string };

export interface SendDeps {
  state: EmulatorState;
  worker: WorkerTarget | undefined;
  issue(options: BuildInteractionOptions, label?: string): InteractionPayload;
  recordInlineResponse(token: string, body: unknown): Promise<{ ok: boolean; error?: unknown }>;
  /** Makes the Worker's API calls for this token wait until the returned function runs (the answer is recorded). */
  hold(token: string): () => void;
  changed(): void;
  now(): number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const ADMIN_PERMISSIONS = (BigInt(MEMBER_PERMISSIONS) | BigInt(ADMINISTRATOR)).toString();

/** Checks the JSON body of POST /__emulator/send once, at the boundary. */
export function parseSendInput(value: unknown): { ok: true; input: SendInput } | { ok: false; error: string } {
  const bad = (why: string) => ({ ok: false as const, error: `emulator(send): ${why}` });
  if (!isObject(value)) return bad("the body must be a JSON object {type, data?, role?, message_id?, label?}");
  const { type, data, role, message_id: messageId, message, label, context, locale } = value;
  if (typeof type !== "number" || !Number.isInteger(type) || type < 1 || type > 5)
    return bad("`type` must be an interaction type 1-5");
  if (data !== undefined && !isObject(data)) return bad("`data` must be an object");
  if (role !== undefined && role !== "admin" && role !== "member") return bad('`role` must be "admin" or "member"');
  if (messageId !== undefined && typeof messageId !== "string") return bad("`message_id` must be a string");
  if (message !== undefined && !isObject(message)) return bad("`message` must be an object");
  if (label !== undefined && typeof label !== "string") return bad("`label` must be a string");
  if (context !== undefined && context !== 0 && context !== 1 && context !== 2)
    return bad("`context` must be 0 (a server channel), 1 (the DM with the bot) or 2 (a group DM)");
  if (locale !== undefined && (typeof locale !== "string" || !/^[a-z]{2}(-[A-Z0-9]{2,3})?$/.test(locale)))
    return bad('`locale` must be a Discord locale such as "de", "fr" or "en-US"');
  return { ok: true, input: { type, data, role, message_id: messageId, message, label, context, locale } as SendInput };
}

/** Fills `data.resolved.attachments` for ATTACHMENT options whose value is an id uploaded to the emulator. */
function resolveUploads(state: EmulatorState, data: Record<string, unknown>): Record<string, unknown> {
  const ids: string[] = [];
  const visit = (options: unknown, depth: number) => {
    if (!Array.isArray(options) || depth > 2) return;
    for (const option of options) {
      if (!isObject(option)) continue;
      if (option.type === 11 && typeof option.value === "string") ids.push(option.value);
      visit(option.options, depth + 1);
    }
  };
  visit(data.options, 0);
  const uploads = ids.map((id) => state.uploads.get(id)).filter((a) => a !== undefined);
  if (uploads.length === 0) return data;
  const resolved = isObject(data.resolved) ? data.resolved : {};
  const attachments = { ...(isObject(resolved.attachments) ? resolved.attachments : {}) };
  for (const upload of uploads) attachments[upload.id] ??= { ...upload, ephemeral: true };
  return { ...data, resolved: { ...resolved, attachments } };
}

export async function sendToWorker(deps: SendDeps, input: SendInput): Promise<SendResult> {
  const { state, worker } = deps;
  if (!worker) {
    return {
      ok: false,
      status: 409,
      error:
        "emulator(send): no Worker to send to; start the emulator with worker: {url, privateKeyHex} (npm start does)",
    };
  }
  let message = input.message;
  if (input.message_id !== undefined) {
    message = currentMessage(state, input.message_id) ?? undefined;
    if (!message)
      return {
        ok: false,
        status: 404,
        error: `emulator(send): no message ${input.message_id} (was it deleted, or the emulator reset?)`,
      };
  }
  let data = input.data;
  if (data && (input.type === INTERACTION_TYPES.APPLICATION_COMMAND || input.type === INTERACTION_TYPES.AUTOCOMPLETE))
    data = resolveUploads(state, data);
  if (data && input.type === INTERACTION_TYPES.MODAL_SUBMIT) data = resolveModalSubmit(state, data);

  let payload: InteractionPayload;
  try {
    payload = deps.issue(
      {
        type: input.type,
        ...(data ? { data } : {}),
        member: { permissions: input.role === "admin" ? ADMIN_PERMISSIONS : MEMBER_PERMISSIONS },
        ...(message ? { message } : {}),
        ...(input.context !== undefined ? { context: input.context } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
      },
      input.label,
    );
  } catch (error) {
    // A user or message command whose target is not in the channel (any more).
    if (error instanceof TargetError) return { ok: false, status: 404, error: error.message };
    throw error;
  }
  const record: SendRecord = {
    seq: state.nextSendSeq++,
    at: new Date(deps.now()).toISOString(),
    interaction_id: payload.id,
    token: payload.token,
    type: payload.type,
    worker_url: worker.url,
    request: payload,
    status: null,
    response: null,
    ms: null,
    timed_out: false,
    message_id: typeof message?.id === "string" ? message.id : null,
  };
  state.sends.push(record);
  deps.changed();

  const release = deps.hold(payload.token);
  let result: Awaited<ReturnType<typeof sendInteraction>>;
  try {
    result = await sendInteraction(worker.url, payload, worker.privateKeyHex, {
      deadlineMs: INITIAL_RESPONSE_DEADLINE_MS,
      emulator: { recordInlineResponse: deps.recordInlineResponse },
    });
  } finally {
    release();
  }
  record.status = result.status;
  record.response = result.body;
  record.ms = result.ms;
  record.timed_out = result.timedOut;
  // Discord refuses an answer it cannot use (wrong type, over a limit) and the user sees the same failure.
  const error =
    result.error ??
    (result.inlineError !== undefined
      ? `${failureText(payload.type)} (Discord would refuse the answer: ${describeDiscordError(result.inlineError)})`
      : undefined);
  if (error !== undefined) record.error = error;
  deps.changed();

  const label = state.interactions.get(payload.token)?.invocation?.label ?? input.label ?? "";
  return {
    ok: true,
    outcome: {
      interaction: { id: payload.id, type: payload.type, label },
      status: result.status,
      body: result.body,
      ms: result.ms,
      timed_out: result.timedOut,
      ...(error !== undefined ? { error } : {}),
    },
  };
}
