// Files a user attaches to a command (ATTACHMENT options). Discord uploads them before the interaction and
// sends their CDN URLs in `data.resolved.attachments`; the emulator stores them the same way and serves them
// under /attachments/{channel}/{id}/{name}, so a backend that downloads the file meets a real HTTP URL.

import { attachmentUrl } from "./attachments.ts";
import { guessContentType } from "./discord-body.ts";
import { DEFAULT_CHANNEL_ID } from "./registry.ts";
import { snowflake } from "./snowflake.ts";
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, type EmulatorState, type StoredAttachment } from "./state.ts";

export interface UploadInput {
  filename: string;
  contentType?: string;
  bytes: Uint8Array;
}

export type UploadResult = { ok: true; attachment: StoredAttachment } | { ok: false; status: number; error: string };

export function storeUpload(state: EmulatorState, input: UploadInput, origin: string, now: number): UploadResult {
  const filename = input.filename.replace(/[/\\]/g, "_").trim().slice(0, 200);
  if (!filename) return { ok: false, status: 400, error: "emulator(uploads): the file needs a name" };
  if (input.bytes.byteLength > DEFAULT_ATTACHMENT_SIZE_LIMIT) {
    return {
      ok: false,
      status: 413,
      error: `emulator(uploads): ${filename} is ${input.bytes.byteLength} bytes; Discord's limit is ${DEFAULT_ATTACHMENT_SIZE_LIMIT}`,
    };
  }
  const id = snowflake(now);
  // Browsers and undici label a file of unknown type octet-stream; Discord then goes by the name, as here.
  const declared = input.contentType?.trim();
  const contentType =
    declared && !declared.startsWith("application/octet-stream") ? declared : guessContentType(filename);
  const url = attachmentUrl(origin, DEFAULT_CHANNEL_ID, id, filename);
  const attachment: StoredAttachment = {
    id,
    filename,
    size: input.bytes.byteLength,
    url,
    proxy_url: url,
    content_type: contentType,
  };
  state.files.set(id, { attachmentId: id, messageId: DEFAULT_CHANNEL_ID, filename, contentType, bytes: input.bytes });
  state.uploads.set(id, attachment);
  return { ok: true, attachment };
}

/** The body of POST /__emulator/uploads: a multipart form with one file part, or raw bytes with ?filename=. */
export async function readUpload(
  request: Request,
  url: URL,
): Promise<{ ok: true; input: UploadInput } | { ok: false; error: string }> {
  const type = request.headers.get("content-type") ?? "";
  if (type.toLowerCase().startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch (error) {
      return {
        ok: false,
        error: `emulator(uploads): the multipart body could not be read (${(error as Error).message})`,
      };
    }
    let file: File | undefined;
    form.forEach((value) => {
      if (!file && typeof value !== "string") file = value;
    });
    if (!file) return { ok: false, error: "emulator(uploads): the form has no file part" };
    const found = file as File;
    return {
      ok: true,
      input: {
        filename: found.name || "file",
        contentType: found.type,
        bytes: new Uint8Array(await found.arrayBuffer()),
      },
    };
  }
  const filename = url.searchParams.get("filename");
  if (!filename)
    return {
      ok: false,
      error: "emulator(uploads): send a multipart form with a file, or the raw bytes with ?filename=",
    };
  return { ok: true, input: { filename, contentType: type, bytes: new Uint8Array(await request.arrayBuffer()) } };
}
