// Body helpers for the backend. Reading with a byte cap is shared with the Worker (src/shared/capped-body.ts);
// the backend cancels an oversized transfer rather than draining it.

export { readCapped, type CappedBody } from "../shared/capped-body.ts";

/** Content-Length as a number when present and well-formed, else undefined (the streamed count still applies). */
export function declaredLength(headers: Headers): number | undefined {
  const value = headers.get("content-length");
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
