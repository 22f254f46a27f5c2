// The playground's view of the emulator: one chat timeline (the bot's messages and those people posted) and one
// log, computed from state on request.
// Discord edits a message in place, even when a later interaction (a button's type 6/7, its PATCH @original)
// does the editing; the emulator stores that edit under the later interaction's token, so the timeline merges
// every stored copy of a message id and keeps the newest. Tokens never leave here: log paths show ":token".

import { renderMessage, renderPost } from "./messages.ts";
import { MESSAGE_FLAGS } from "./limits.ts";
import { linkedRoleView, type LinkedRoleView } from "./linked-role-view.ts";
import { activeEntitlements } from "./app-actions.ts";
import {
  BOT_DM_CHANNEL_ID,
  CHANNEL_OF_CONTEXT,
  CONTEXTS,
  FRIEND,
  GROUP_DM_CHANNEL_ID,
  type InteractionContext,
} from "./signed-interactions.ts";
import type {
  AppEventRecord,
  DevStatus,
  EmulatorState,
  InteractionRecord,
  Invocation,
  RecordedCall,
  SendRecord,
  StoredCommand,
  StoredMessage,
} from "./state.ts";

export interface TimelineMessage {
  kind: "message";
  /** The message id: stable across edits, so a page can update the message in place. */
  key: string;
  at: string;
  /** The message as Discord's API returns it (attachments carry emulator URLs). */
  message: Record<string, unknown>;
  /** True while a deferred reply shows "thinking…". */
  loading: boolean;
  ephemeral: boolean;
  /** Whether Discord would mark it "(edited)": any edit but the one that completes a deferred reply. */
  edited: boolean;
  /** Set on a reply to a command, button or form: who did what. Follow-ups and edits carry none. */
  invocation: Invocation | null;
  interaction_id: string | null;
}

export interface TimelineFailure {
  kind: "failure";
  key: string;
  at: string;
  invocation: Invocation | null;
  /** "The application did not respond", "This interaction failed", with the reason in parentheses. */
  error: string;
  /** For a component or a form opened from one: the message Discord would show the error under. */
  message_id: string | null;
  /** The channel it happened in (the playground shows one channel at a time). */
  channel_id: string | null;
}

/** The bot answered with LAUNCH_ACTIVITY (type 12): Discord opens the app's Activity; there is no message. */
export interface TimelineActivity {
  kind: "activity";
  key: string;
  at: string;
  invocation: Invocation | null;
  /** The channel it happened in (the playground shows one channel at a time). */
  channel_id: string | null;
}

export type TimelineItem = TimelineMessage | TimelineFailure | TimelineActivity;

const LAUNCH_ACTIVITY = 12;

export interface LogEntry {
  /**
   * "interaction": the emulator's signed POST to the Worker; "event": a webhook event POSTed to its Events URL;
   * "api": the Worker's call to the Discord API.
   */
  kind: "interaction" | "event" | "api";
  key: string;
  at: string;
  method: string;
  /** The Worker's URL, or the API path with tokens replaced by ":token". */
  target: string;
  /** Null while in flight (or when the Worker never answered). */
  status: number | null;
  ms: number | null;
  label: string | null;
  interaction_id: string | null;
  error?: string;
  request: unknown;
  response: unknown;
}

/** Who the playground user is and where they are: what mentions and user/channel selects refer to. */
export interface FeedIdentity {
  user: { id: string; name: string };
  channel: { id: string; name: string };
  guild_id: string;
}

/** A place the playground can act in: the server's channel, the DM with the bot, a group DM (user install). */
interface FeedPlace {
  context: InteractionContext;
  channel_id: string;
  name: string;
}

export interface FeedSnapshot {
  version: number;
  /** Where the playground's user can run commands; each command's `contexts` says in which of these it is offered. */
  places: FeedPlace[];
  application_id: string;
  worker_url: string | null;
  identity: FeedIdentity;
  /** Chat-input commands the playground's command box offers: global ones and the playground guild's. */
  commands: StoredCommand[];
  /** Context-menu commands (right-click → Apps): user commands for a person, message commands for a message. */
  apps: { user: StoredCommand[]; message: StoredCommand[] };
  /** The app itself: where the playground's user installed it, and the SKUs it sells (owned or not). */
  app: FeedApp;
  timeline: TimelineItem[];
  log: LogEntry[];
  /** The local stack's type-check of the Worker when it fails (npm start shows it as a banner); null when it passes. */
  dev: DevStatus | null;
}

export interface FeedApp {
  installed: { guild: boolean; user: boolean };
  /** `entitlement_id`: the playground user's active entitlement to the SKU, null when they do not own it. */
  skus: Array<{ id: string; name: string; entitlement_id: string | null }>;
  /** The playground user's role connection (Linked Roles) as the app last set it, with its records' names; null before linking. */
  linked_role: LinkedRoleView | null;
}

export interface FeedOptions {
  workerUrl: string | null;
  identity: FeedIdentity;
  /** How many log entries to return, newest kept (default 300). */
  logLimit?: number;
}

/** The time a copy of a message was last changed; later copies of one id win ties (they were made later). */
const changedAt = (message: StoredMessage) => message.edited_timestamp ?? message.timestamp;

interface Latest {
  message: StoredMessage;
  record: InteractionRecord;
  creator: InteractionRecord;
}

function latestCopies(state: EmulatorState): Map<string, Latest> {
  const latest = new Map<string, Latest>();
  // Map iteration follows insertion: interactions in the order they were issued.
  for (const record of state.interactions.values()) {
    for (const message of [record.original, ...record.followups]) {
      if (!message) continue;
      const seen = latest.get(message.id);
      if (!seen) latest.set(message.id, { message, record, creator: record });
      else if (changedAt(message) >= changedAt(seen.message))
        latest.set(message.id, { message, record, creator: seen.creator });
    }
  }
  return latest;
}

/** The newest copy of a message, rendered as Discord sends it in a component interaction's `message`. */
export function currentMessage(state: EmulatorState, messageId: string): Record<string, unknown> | null {
  const found = latestCopies(state).get(messageId);
  if (!found || found.message.deleted) return null;
  return renderMessage(found.message, found.creator);
}

export function buildTimeline(state: EmulatorState): TimelineItem[] {
  const items: TimelineItem[] = state.posts.map((post) => ({
    kind: "message",
    key: post.id,
    at: post.timestamp,
    message: renderPost(post),
    loading: false,
    ephemeral: false,
    edited: false,
    invocation: null,
    interaction_id: null,
  }));
  for (const { message, record, creator } of latestCopies(state).values()) {
    if (message.deleted) continue;
    const isReply = message.role === "original" && creator.original?.id === message.id;
    const completesDefer = record === creator && creator.callbacks[0]?.type === 5 && message.edits <= 1;
    items.push({
      kind: "message",
      key: message.id,
      at: message.timestamp,
      message: renderMessage(message, creator),
      loading: message.loading,
      ephemeral: (message.flags & MESSAGE_FLAGS.EPHEMERAL) !== 0,
      edited: message.edited_timestamp !== null && !completesDefer,
      invocation: isReply ? creator.invocation : null,
      interaction_id: creator.id,
    });
  }
  for (const record of state.interactions.values()) {
    const launch = record.callbacks.find((callback) => callback.type === LAUNCH_ACTIVITY);
    if (launch)
      items.push({
        kind: "activity",
        key: `activity-${record.token.slice(-12)}`,
        at: launch.at,
        invocation: record.invocation,
        channel_id: record.channelId,
      });
  }
  for (const send of state.sends) {
    if (send.error === undefined) continue;
    items.push({
      kind: "failure",
      key: `send-${send.seq}`,
      at: send.at,
      invocation: state.interactions.get(send.token)?.invocation ?? null,
      error: send.error,
      message_id: send.message_id,
      channel_id:
        typeof (send.request as { channel_id?: unknown } | null)?.channel_id === "string"
          ? (send.request as { channel_id: string }).channel_id
          : null,
    });
  }
  // Stable sort: a failure and the message it concerns keep their relative order on equal times.
  return items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const TOKEN_SEGMENTS = [/^(.*\/webhooks\/\d+\/)([^/]+)(.*)$/, /^(.*\/interactions\/\d+\/)([^/]+)(\/callback.*)$/];

/** The API path with its interaction token replaced, and the token it held (to find the interaction). */
export function redactTokenPath(path: string): { path: string; token: string | null } {
  for (const pattern of TOKEN_SEGMENTS) {
    const match = pattern.exec(path);
    if (match) return { path: `${match[1]}:token${match[3]}`, token: decodeURIComponent(match[2]!) };
  }
  return { path, token: null };
}

function redactPayload(payload: unknown): unknown {
  if (typeof payload !== "object" || payload === null || !("token" in payload)) return payload;
  return { ...payload, token: "[redacted]" };
}

function sendEntry(state: EmulatorState, send: SendRecord): LogEntry {
  return {
    kind: "interaction",
    key: `send-${send.seq}`,
    at: send.at,
    method: "POST",
    target: send.worker_url,
    status: send.status,
    ms: send.ms,
    label: state.interactions.get(send.token)?.invocation?.label ?? null,
    interaction_id: send.interaction_id,
    ...(send.error !== undefined ? { error: send.error } : {}),
    request: redactPayload(send.request),
    response: send.response,
  };
}

function callEntry(state: EmulatorState, call: RecordedCall): LogEntry {
  const { path, token } = redactTokenPath(call.path);
  const record = token === null ? undefined : state.interactions.get(token);
  return {
    kind: "api",
    key: `call-${call.seq}`,
    at: call.at,
    method: call.method,
    target: path,
    status: call.status,
    ms: call.ms,
    label: record?.invocation?.label ?? null,
    interaction_id: record?.id ?? null,
    ...(call.fault ? { error: `scripted fault: ${call.fault}` } : {}),
    request: call.body,
    response: call.response,
  };
}

function eventEntry(event: AppEventRecord): LogEntry {
  return {
    kind: "event",
    key: `event-${event.seq}`,
    at: event.at,
    method: "POST",
    target: event.worker_url,
    status: event.status,
    ms: event.ms,
    label: event.type,
    interaction_id: null,
    ...(event.error !== undefined ? { error: event.error } : {}),
    request: event.request,
    response: null,
  };
}

function buildLog(state: EmulatorState, limit = 300): LogEntry[] {
  const entries = [
    ...state.sends.map((s) => sendEntry(state, s)),
    ...state.appEvents.map(eventEntry),
    ...state.calls.map((c) => callEntry(state, c)),
  ];
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return entries.slice(-limit);
}

export function buildFeed(state: EmulatorState, options: FeedOptions): FeedSnapshot {
  const all = [...state.commands.global, ...(state.commands.guilds.get(options.identity.guild_id) ?? [])];
  const byName = (a: StoredCommand, b: StoredCommand) => a.name.localeCompare(b.name);
  return {
    version: state.version,
    places: [
      { context: CONTEXTS.GUILD, channel_id: CHANNEL_OF_CONTEXT[CONTEXTS.GUILD], name: "#general" },
      { context: CONTEXTS.BOT_DM, channel_id: BOT_DM_CHANNEL_ID, name: "DM with the bot" },
      {
        context: CONTEXTS.PRIVATE_CHANNEL,
        channel_id: GROUP_DM_CHANNEL_ID,
        name: `Group DM with ${FRIEND.global_name} (bot not in it)`,
      },
    ],
    application_id: state.applicationId,
    worker_url: options.workerUrl,
    identity: options.identity,
    commands: all.filter((c) => c.type === 1),
    apps: { user: all.filter((c) => c.type === 2).sort(byName), message: all.filter((c) => c.type === 3).sort(byName) },
    app: buildApp(state, options.identity),
    timeline: buildTimeline(state),
    log: buildLog(state, options.logLimit),
    dev: state.devStatus,
  };
}

function buildApp(state: EmulatorState, identity: FeedIdentity): FeedApp {
  const owned = activeEntitlements(state, identity.user.id, identity.guild_id, Date.now());
  return {
    installed: { ...state.installed },
    skus: state.skus.map((sku) => ({ ...sku, entitlement_id: owned.find((e) => e.sku_id === sku.id)?.id ?? null })),
    linked_role: linkedRoleView(state, identity.user.id),
  };
}
