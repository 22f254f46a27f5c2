// Reads a body stream with a byte cap, counting while reading: a Content-Length header can be absent (chunked
// encoding) or wrong, so it is only an early hint and the count is what enforces the limit. Used for relay
// request bodies and for downloaded attachments.

export type CappedBody = { ok: true; bytes: Uint8Array } | { ok: false; exceededAt: number };

export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<CappedBody> {
  if (body === null) return { ok: true, bytes: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        // Stop the transfer now rather than draining an oversized body; a failed cancel changes nothing here.
        await reader.cancel().catch(() => undefined);
        return { ok: false, exceededAt: total };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

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
