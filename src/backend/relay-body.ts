// Body helpers for the backend. Reading with a byte cap is shared with the Worker (src/shared/capped-body.ts);
// the backend cancels an oversized transfer rather than draining it.

import { readCapped, type CappedBody } from "../shared/capped-body.ts";

export { readCapped, type CappedBody };

/** Content-Length as a number when present and well-formed, else undefined (the streamed count still applies). */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * readCapped that also stops when `signal` aborts: the pending read then rejects with `signal.reason` and the
 * source is cancelled. Piping through an identity stream is what lets a signal interrupt a read in progress.
 */
export function readCappedUntil(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  signal: AbortSignal,
): Promise<CappedBody> {
  if (body === null) return readCapped(null, maxBytes);
  return readCapped(body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), { signal }), maxBytes);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
