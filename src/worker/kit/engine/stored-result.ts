/**
 * A job's result kept for delivery: when the final edit fails in a way a later attempt may fix (Discord 5xx, 429,
 * unreachable), the queue consumer stores what the job produced (the message, its files, the follow-ups it asked for)
 * in the job's record (job-record.ts) and retries only the delivery: the job, its backend call and its follow-ups never run twice (issue 20,
 * defect 4). JSON, with files as base64 and the job's error as its message; D1 holds up to 2 MB a row.
 */
import { base64ToBytes } from "../base64.ts";
import { DELETE_ORIGINAL, type JobResult } from "./jobs.ts";
import type { HeldOperation } from "./task-context.ts";

/** What delivery needs of a finished job, and what its log line says. */
export interface ReadyResult {
  readonly final: JobResult;
  readonly held: readonly HeldOperation[];
  readonly ok: boolean;
  readonly ref?: string;
  readonly v2: boolean;
  /** The job's error, as the log line shows it (a stored result keeps only its message). */
  readonly error?: unknown;
  readonly ms: number;
}

const DELETE = "@delete";

export function serialiseResult({ final, held, ok, ref, v2, error, ms }: ReadyResult): string {
  const stored = {
    final: final === DELETE_ORIGINAL ? DELETE : final,
    held,
    ok,
    ref,
    v2,
    error: error instanceof Error ? error.message : error,
    ms,
  };
  return JSON.stringify(stored, (_key, value: unknown) =>
    value instanceof Uint8Array ? { b64: toBase64(value) } : value,
  );
}

/** The stored result, or null when the text is not one (the job then runs again). */
export function reviveResult(text: string): ReadyResult | null {
  try {
    const stored = JSON.parse(text, (_key, value: { b64?: unknown } | null) =>
      typeof value?.b64 === "string" ? base64ToBytes(value.b64) : value,
    ) as ReadyResult & { final: unknown };
    return Array.isArray(stored.held)
      ? { ...stored, final: (stored.final as unknown) === DELETE ? DELETE_ORIGINAL : (stored.final as JobResult) }
      : null;
  } catch {
    return null;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
