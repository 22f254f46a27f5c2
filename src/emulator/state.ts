// Everything the emulator remembers, as plain data: registered commands, interactions and the messages the bot
// made for them, messages people posted in the channel, uploaded files, recorded calls and scripted faults. Route handlers read and write it; tests
// inspect it directly or over /__emulator/*. Nothing here does I/O.

import type { EmulatedEntitlement } from "./app-events.ts";
import type { BodySummary } from "./discord-body.ts";
import type { FaultSpec } from "./faults.ts";
import type { InteractionUser } from "./signed-interactions.ts";

export const DEFAULT_APPLICATION_ID = "100000000000000001";
/** Discord's default per-file upload limit since January 2025 (bytes). */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export interface StoredAttachment {
  id: string;
  filename: string;
  description?: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

export interface StoredFile {
  attachmentId: string;
  messageId: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface StoredMessage {
  id: string;
  token: string;
  role: "original" | "followup";
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  tts: boolean;
  allowed_mentions?: unknown;
  poll?: unknown;
  /** True while a type-5 defer shows "thinking…" and nothing has edited it yet. */
  loading: boolean;
  timestamp: string;
  edited_timestamp: string | null;
  /** How many PATCHes changed this message (a deferred reply's first edit counts). */
  edits: number;
  deleted: boolean;
}

/**
 * A message a person posted in the channel (the playground's message box, `npm run interact -- --message`):
 * what a message command can target besides the bot's own messages.
 */
export interface PostedMessage {
  id: string;
  channel_id: string;
  author: InteractionUser;
  content: string;
  embeds: unknown[];
  attachments: StoredAttachment[];
  timestamp: string;
}

export interface CallbackRecord {
  type: number;
  data?: unknown;
  at: string;
  /** "callback" = POST /interactions/{id}/{token}/callback; "inline" = the Worker's HTTP answer to Discord. */
  via: "callback" | "inline";
}

export interface InteractionRecord {
  token: string;
  /** Null when the token was first seen on a webhook call (lax mode) rather than issued by the emulator. */
  id: string | null;
  type: number | null;
  /** For application commands: 1 slash, 2 user, 3 message (data.type); null otherwise. */
  commandType: number | null;
  applicationId: string;
  channelId: string;
  /** ms epoch when issued; null for lazily created records (no deadline or expiry checks then). */
  issuedAt: number | null;
  acknowledged: boolean;
  callbacks: CallbackRecord[];
  original: StoredMessage | null;
  followups: StoredMessage[];
  /** For component interactions: the message the component was on (what type 6/7 edit). */
  sourceMessage: Record<string, unknown> | null;
  attachmentSizeLimit: number;
  /** Who did what, for the playground's chat view ("Tester used /chart …"); null for lazily created records. */
  invocation: Invocation | null;
  /** The response messages' `interaction_metadata`, as Discord builds it from the interaction; null for lazy records. */
  metadata: Record<string, unknown> | null;
  /**
   * Only a user install authorised it (`authorizing_integration_owners` has only "1"): Discord then allows 5
   * follow-ups. Absent for records the emulator did not issue.
   */
  userInstallOnly?: boolean;
}

export interface Invocation {
  /** The interaction type: 2 a command, 3 a component, 4 autocomplete, 5 a form. */
  type: number;
  /** e.g. "/chart values:3,5 kind:bar", "Bar" (a button), "Feedback" (a modal). */
  label: string;
  /** The invoking user's display name. */
  user: string;
  /** Whether the member's permissions include ADMINISTRATOR. */
  admin: boolean;
}

/** One interaction the emulator itself signed and POSTed to the Worker (POST /__emulator/send). */
export interface SendRecord {
  seq: number;
  /** When the POST started (ISO). */
  at: string;
  interaction_id: string;
  token: string;
  type: number;
  worker_url: string;
  /** The interaction as sent (the token is redacted when it is shown). */
  request: unknown;
  /** Null while waiting, or when the Worker never answered in time. */
  status: number | null;
  response: unknown;
  ms: number | null;
  timed_out: boolean;
  /** What the Discord user would see when it failed ("The application did not respond", ...). */
  error?: string;
  /** For components and modals opened from one: the message the interaction came from. */
  message_id: string | null;
}

/** One webhook event the emulator signed and POSTed to the Worker's Events URL (install, purchase, …). */
export interface AppEventRecord {
  seq: number;
  at: string;
  type: string;
  worker_url: string;
  request: unknown;
  /** Null while waiting, or when the Worker never answered in time. */
  status: number | null;
  ms: number | null;
  timed_out: boolean;
  /** Why Discord would count the delivery as failed; absent on a 204. */
  error?: string;
}

/** A SKU the emulated app sells (Developer Portal → Monetization → SKUs); the playground can "buy" it. */
export interface EmulatedSku {
  id: string;
  name: string;
}

export interface StoredCommand {
  id: string;
  application_id: string;
  version: string;
  type: number;
  name: string;
  description: string;
  guild_id?: string;
  [field: string]: unknown;
}

export interface RecordedCall {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: BodySummary;
  /** Null while the call is still in flight (or was never answered: a hang the client aborted). */
  status: number | null;
  /** The JSON the emulator answered with, when it answered JSON. */
  response?: unknown;
  at: string;
  ms: number | null;
  /** Set when a scripted fault produced the answer. */
  fault?: "respond" | "hang" | "delay";
}

interface BucketState {
  windowStart: number;
  count: number;
}

export interface EmulatorState {
  applicationId: string;
  /** When set, only `Bot <botToken>` is accepted on authenticated routes. */
  botToken: string | undefined;
  /** When false (default), webhook calls with unknown tokens create their interaction record lazily. */
  strictTokens: boolean;
  commands: { global: StoredCommand[]; guilds: Map<string, StoredCommand[]> };
  interactions: Map<string, InteractionRecord>;
  files: Map<string, StoredFile>;
  calls: RecordedCall[];
  faults: FaultSpec[];
  buckets: Map<string, BucketState>;
  nextSeq: number;
  /** Interactions sent by the emulator itself (the playground, POST /__emulator/send). */
  sends: SendRecord[];
  nextSendSeq: number;
  /** Files uploaded for ATTACHMENT options, by attachment id (served under /attachments like message files). */
  uploads: Map<string, StoredAttachment>;
  /** Messages people posted in the channel, oldest first. */
  posts: PostedMessage[];
  /** Webhook events sent to the Worker's Events URL, oldest first. */
  appEvents: AppEventRecord[];
  nextAppEventSeq: number;
  /** Entitlements Discord would hold for the app (test purchases); interactions carry the invoker's. */
  entitlements: EmulatedEntitlement[];
  /** Where the playground's user has added the app (APPLICATION_AUTHORIZED sent, no deauthorization since). */
  installed: { guild: boolean; user: boolean };
  skus: EmulatedSku[];
  /**
   * The interactions the Worker says it has finished (its own log line: the local stack reads wrangler dev's output,
   * scripts/lib/worker-done.ts), by interaction id. `workerLogs` is true when something feeds it, so a reader knows
   * whether waiting for it makes sense (`npm run interact` waits for it to say a conversation has settled).
   */
  workerDone: Map<string, WorkerDone>;
  workerLogs: boolean;
  /** What the local stack's type-check of the Worker found (npm start's dev loop); null when it passes or nobody checks. */
  devStatus: DevStatus | null;
  /** Bumped on every change a viewer could see; never reset, so a page always notices a reset too. */
  version: number;
}

export interface WorkerDone {
  at: string;
  /** The outcome the Worker logged ("ok", "task_error", …). */
  outcome: string;
}

export interface DevStatus {
  /** One line: what failed and what keeps running, e.g. "2 type errors: the Worker keeps running the last good version". */
  summary: string;
  /** The first errors as the compiler printed them (`src/…(line,col): error TS…`). */
  errors: string[];
}

export function createState(
  options: { applicationId?: string; botToken?: string; strictTokens?: boolean; skus?: readonly EmulatedSku[] } = {},
): EmulatorState {
  return {
    applicationId: options.applicationId ?? DEFAULT_APPLICATION_ID,
    botToken: options.botToken,
    strictTokens: options.strictTokens ?? false,
    commands: { global: [], guilds: new Map() },
    interactions: new Map(),
    files: new Map(),
    calls: [],
    faults: [],
    buckets: new Map(),
    nextSeq: 1,
    sends: [],
    nextSendSeq: 1,
    uploads: new Map(),
    posts: [],
    appEvents: [],
    nextAppEventSeq: 1,
    entitlements: [],
    installed: { guild: false, user: false },
    skus: [...(options.skus ?? [])],
    workerDone: new Map(),
    workerLogs: false,
    devStatus: null,
    version: 0,
  };
}

/**
 * Forget what the tests did (posted messages, sent events too); keep configuration (application id, bot token,
 * strictness, SKUs) and, if asked, commands, and with them the app's installs and entitlements (app state, like commands).
 */
export function clearState(state: EmulatorState, options: { keepCommands?: boolean } = {}): void {
  if (!options.keepCommands) {
    state.commands.global = [];
    state.commands.guilds.clear();
    state.entitlements.length = 0;
    state.installed = { guild: false, user: false };
  }
  state.appEvents.length = 0;
  state.interactions.clear();
  state.files.clear();
  state.calls.length = 0;
  state.faults.length = 0;
  state.buckets.clear();
  state.sends.length = 0;
  state.uploads.clear();
  state.posts.length = 0;
  state.workerDone.clear();
}
