/**
 * Deferred work: the handler answers "thinking…" (type 5) or "acknowledged" (type 6, components) at once,
 * and its task produces the final message in the background. The task runner (src/worker/dispatch/run-deferred.ts)
 * guarantees exactly one final edit of @original, whatever the task does.
 */
import type { MessageData } from "../discord/responses.ts";
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { Interaction } from "./interaction.ts";

export interface FileUpload {
  readonly name: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly description?: string;
}

/** The final message of a deferred interaction: message fields plus files to attach. */
export interface FinalMessage {
  readonly data: MessageData;
  readonly files?: readonly FileUpload[];
}

export interface TaskContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  /** Aborted when the task's budget runs out (waitUntil work is cancelled about 30 s after the response). */
  readonly signal: AbortSignal;
}

export interface Deferred {
  readonly kind: "deferred";
  /** Type 6 (edit the component's message) instead of type 5 (a new "thinking…" message). */
  readonly update: boolean;
  readonly ephemeral: boolean;
  readonly task: (ctx: TaskContext) => Promise<FinalMessage>;
}

export function defer(task: Deferred["task"], options: { ephemeral?: boolean } = {}): Deferred {
  return { kind: "deferred", update: false, ephemeral: options.ephemeral ?? false, task };
}

export function deferComponentUpdate(task: Deferred["task"]): Deferred {
  return { kind: "deferred", update: true, ephemeral: false, task };
}

export function isDeferred(value: unknown): value is Deferred {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "deferred";
}
