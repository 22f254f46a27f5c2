// Serves uploaded files back, like Discord's CDN: /attachments/{message_id}/{attachment_id or n}/{filename}.
// No User-Agent rule here: browsers (the playground) and image tools fetch these URLs.
//
// The files are a bot's uploads (or the developer's), served from the playground's own origin, where a page's
// script could drive /__emulator. So none may run script there: every response carries `Content-Security-Policy:
// sandbox` (an opened file is a document of its own opaque origin, scripts off) and `X-Content-Type-Options:
// nosniff` (a browser never guesses a script or page out of another type), and only passive types are shown inline;
// HTML, SVG and the rest are downloads.

import type { EmulatorState, StoredFile } from "../state.ts";

/** Types a browser shows without running anything of the file's. */
const INLINE_TYPES = /^(image\/(png|jpeg|gif|webp|avif|bmp)|audio\/[\w.+-]+|video\/[\w.+-]+|text\/plain)$/;
/** A media type as a header may carry it (RFC 9110 tokens, optional parameters); anything else is served as bytes. */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;[\x20-\x7e]*)?$/;

function findFile(state: EmulatorState, messageId: string, ref: string): StoredFile | undefined {
  const direct = state.files.get(ref);
  if (direct && direct.messageId === messageId) return direct;
  if (!/^\d{1,2}$/.test(ref)) return undefined;
  // A small number is the position in the message's current attachments.
  for (const record of state.interactions.values()) {
    for (const message of [record.original, ...record.followups]) {
      if (message?.id !== messageId || message.deleted) continue;
      const attachment = message.attachments[Number(ref)];
      return attachment ? state.files.get(attachment.id) : undefined;
    }
  }
  return undefined;
}

/** A path segment decoded; a malformed escape ("%E3") is looked up as written, and so is not found. */
function decodedOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Content-Disposition with the filename as RFC 6266 has it: an ASCII `filename` for old clients (other characters
 * as "_") and the exact name as `filename*`, UTF-8 percent-encoded (RFC 8187, which replaced RFC 5987). A header
 * value is bytes, so "データ.csv" written as is would make the Response throw.
 */
function contentDisposition(kind: "inline" | "attachment", filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function serveAttachment(state: EmulatorState, request: Request, path: string): Response {
  const [, , messageId, ref] = path.split("/");
  const file = messageId && ref ? findFile(state, messageId, decodedOrRaw(ref)) : undefined;
  if (!file) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  const type = MEDIA_TYPE.test(file.contentType) ? file.contentType : "application/octet-stream";
  const essence = type.split(";")[0]!.trim().toLowerCase();
  const headers = {
    "content-type": type,
    "content-length": String(file.bytes.byteLength),
    "content-disposition": contentDisposition(INLINE_TYPES.test(essence) ? "inline" : "attachment", file.filename),
    "content-security-policy": "sandbox",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  };
  return new Response(request.method === "HEAD" ? null : (file.bytes as Uint8Array<ArrayBuffer>), { headers });
}
