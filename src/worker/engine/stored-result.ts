/**
 * A job's result kept for delivery: when the final edit fails in a way a later attempt may fix (Discord 5xx, 429,
 * unreachable), the queue consumer stores what the job produced (the message, its files, the follow-ups it asked for)
 * in jobs_done and retries only the delivery: the job, its backend call and its follow-ups never run twice (issue 20,
 * defect 4). JSON with files as base64; D1 holds up to 2 MB a row, more than any message Discord accepts by default
 * plus its encoding would need for a chart.
 */
import { base64ToBytes } from "../base64.ts";
import type { FinalMessage } from "../discord/messages.ts";
import { DELETE_ORIGINAL, type JobResult } from "./jobs.ts";
import type { HeldOperation } from "./task-context.ts";

/** What delivery needs of a finished job, and what its log line says. */
export interface ReadyResult {
  readonly final: JobResult;
  readonly held: readonly HeldOperation[];
  readonly ok: boolean;
  readonly ref?: string;
  readonly v2: boolean;
  /** The job's error, as the log line shows it (a stored result keeps only its description). */
  readonly error?: unknown;
  readonly ms: number;
}

interface StoredFile {
  readonly name: string;
  readonly contentType: string;
  readonly description?: string;
  readonly base64: string;
}
interface StoredMessage {
  readonly data: FinalMessage["data"];
  readonly files: readonly StoredFile[];
}
interface Stored {
  readonly v: 1;
  readonly final: StoredMessage | "delete";
  readonly held: readonly (HeldOperation extends infer O ? (O extends { message: FinalMessage } ? Omit<O, "message"> & { message: StoredMessage } : O) : never)[];
  readonly ok: boolean;
  readonly ref: string | null;
  readonly v2: boolean;
  readonly error: string | null;
  readonly ms: number;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function storeMessage(message: FinalMessage): StoredMessage {
  return {
    data: message.data,
    files: (message.files ?? []).map((f) => ({ name: f.name, contentType: f.contentType, ...(f.description ? { description: f.description } : {}), base64: toBase64(f.data) })),
  };
}

function reviveMessage(stored: StoredMessage): FinalMessage {
  return {
    data: stored.data,
    files: stored.files.map((f) => ({ name: f.name, contentType: f.contentType, ...(f.description ? { description: f.description } : {}), data: base64ToBytes(f.base64) })),
  };
}

export function serialiseResult(result: ReadyResult): string {
  const stored: Stored = {
    v: 1,
    final: result.final === DELETE_ORIGINAL ? "delete" : storeMessage(result.final),
    held: result.held.map((op) => (op.kind === "delete" ? op : { ...op, message: storeMessage(op.message) })),
    ok: result.ok,
    ref: result.ref ?? null,
    v2: result.v2,
    error: result.error === undefined ? null : result.error instanceof Error ? result.error.message : String(result.error),
    ms: result.ms,
  };
  return JSON.stringify(stored);
}

/** The stored result, or null when the text is not one (a row written by another version: the job then runs). */
export function reviveResult(text: string): ReadyResult | null {
  let stored: Stored;
  try {
    stored = JSON.parse(text) as Stored;
  } catch {
    return null;
  }
  if (stored?.v !== 1) return null;
  return {
    final: stored.final === "delete" ? DELETE_ORIGINAL : reviveMessage(stored.final),
    held: stored.held.map((op) => (op.kind === "delete" ? op : { ...op, message: reviveMessage(op.message) })),
    ok: stored.ok,
    ...(stored.ref !== null ? { ref: stored.ref } : {}),
    v2: stored.v2,
    ...(stored.error !== null ? { error: stored.error } : {}),
    ms: stored.ms,
  };
}
