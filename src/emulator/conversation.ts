// Read-only views for assertions: what the bot said for one interaction, and the recorded calls filtered.

import type {
  CallbackRecord,
  EmulatorState,
  InteractionRecord,
  RecordedCall,
  StoredMessage,
  WorkerDone,
} from "./state.ts";

export interface Conversation {
  token: string;
  interaction_id: string | null;
  interaction_type: number | null;
  application_id: string;
  issued_at: string | null;
  acknowledged: boolean;
  callbacks: CallbackRecord[];
  /** The original response first (if any), then follow-ups in order; deleted ones carry `deleted: true`. */
  messages: StoredMessage[];
  /**
   * When the Worker said it finished this interaction (its final log line: the immediate answer, or its job's final
   * edit and follow-ups); null until then, and always null when nothing feeds the emulator the Worker's log.
   */
  worker_done: WorkerDone | null;
}

export function conversationOf(record: InteractionRecord, state?: EmulatorState): Conversation {
  return {
    token: record.token,
    interaction_id: record.id,
    interaction_type: record.type,
    application_id: record.applicationId,
    issued_at: record.issuedAt === null ? null : new Date(record.issuedAt).toISOString(),
    acknowledged: record.acknowledged,
    callbacks: record.callbacks,
    messages: [...(record.original ? [record.original] : []), ...record.followups],
    worker_done: (record.id !== null ? state?.workerDone.get(record.id) : undefined) ?? null,
  };
}

export interface CallFilter {
  method?: string;
  /** Substring of the path, or a regular expression tested against it. */
  path?: string | RegExp;
}

export function filterCalls(calls: readonly RecordedCall[], filter: CallFilter = {}): RecordedCall[] {
  return calls.filter((call) => {
    if (filter.method && call.method !== filter.method.toUpperCase()) return false;
    if (typeof filter.path === "string" && !call.path.includes(filter.path)) return false;
    if (filter.path instanceof RegExp && !filter.path.test(call.path)) return false;
    return true;
  });
}
