/**
 * Reads a request body with a hard size cap, before any crypto runs: Discord's payloads are small, so a
 * large body is abuse or a mistake and must not cost a signature check or a JSON parse.
 *
 * A declared Content-Length over the cap is refused at once; a chunked (or lying) body is counted while
 * it streams. The excess is drained, not cancelled: cancelling the stream makes wrangler dev's proxy
 * answer 503 to the next request on the connection.
 */
export const MAX_BODY_BYTES = 1_048_576;

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" };

export async function readLimitedBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limit) {
    await drain(request.body);
    return { ok: false, reason: "too_large" };
  }
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await drainReader(reader);
      return { ok: false, reason: "too_large" };
    }
    chunks.push(value);
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

async function drain(body: ReadableStream<Uint8Array> | null): Promise<void> {
  if (body) await drainReader(body.getReader());
}

async function drainReader(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    for (;;) if ((await reader.read()).done) return;
  } catch {
    // The client went away mid-body: there is nothing left to drain and nobody to answer.
  }
}
