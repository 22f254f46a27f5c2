/**
 * Reads a request body with a hard size cap, before any crypto runs: Discord's payloads are small, so a
 * large body is abuse or a mistake and must not cost a signature check or a JSON parse.
 *
 * A declared Content-Length over the cap is refused at once; a chunked (or lying) body is counted while
 * it streams. The excess is drained, not cancelled: cancelling the stream makes wrangler dev's proxy
 * answer 503 to the next request on the connection.
 */
import { drain, readCapped } from "../shared/capped-body.ts";

export const MAX_BODY_BYTES = 1_048_576;

export type BodyResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" };

export async function readLimitedBody(request: Request, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = request.headers.get("Content-Length");
  if (declared !== null && Number(declared) > limit) {
    if (request.body) await drain(request.body.getReader());
    return { ok: false, reason: "too_large" };
  }
  const result = await readCapped(request.body, limit, "drain");
  return result.ok ? { ok: true, bytes: result.bytes } : { ok: false, reason: "too_large" };
}
