// Reads a body stream with a byte cap, counting while reading: a Content-Length header can be absent (chunked
// encoding) or wrong, so it is only an early hint and the count is what enforces the limit. Used by the Worker's
// ingress (interaction bodies) and the backend (relay bodies, downloaded attachments).
//
// On overflow the rest is cancelled: the transfer stops now and no CPU is spent reading what nobody wants.

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
        await reader.cancel().catch(() => undefined); // a failed cancel changes nothing here
        return { ok: false, exceededAt: total };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
