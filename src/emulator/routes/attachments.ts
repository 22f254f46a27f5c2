// Serves uploaded files back, like Discord's CDN: /attachments/{message_id}/{attachment_id or n}/{filename}.
// No User-Agent rule here: browsers (the playground) and image tools fetch these URLs.

import type { EmulatorState, StoredFile } from "../state.ts";

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

export function serveAttachment(state: EmulatorState, request: Request, path: string): Response {
  const [, , messageId, ref] = path.split("/");
  const file = messageId && ref ? findFile(state, messageId, decodeURIComponent(ref)) : undefined;
  if (!file) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  const headers = {
    "content-type": file.contentType,
    "content-length": String(file.bytes.byteLength),
    "content-disposition": `inline; filename="${file.filename.replace(/"/g, "")}"`,
    "cache-control": "no-store",
  };
  return new Response(request.method === "HEAD" ? null : (file.bytes as Uint8Array<ArrayBuffer>), { headers });
}
