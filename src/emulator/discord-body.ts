// Request bodies as Discord reads them: JSON, or multipart/form-data with a `payload_json` part plus `files[n]`
// parts. Anything else is rejected the way Discord does (50035), because a Worker that forgets the
// Content-Type works against a lax mock and fails in production.

import { discordError, invalidFormBody } from "./errors.ts";

export interface UploadedFile {
  /** The `n` of `files[n]`. */
  index: number;
  field: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface ParsedBody {
  kind: "none" | "json" | "multipart";
  /** The JSON body, or `payload_json` of a multipart body (or its plain fields when it has none). */
  payload: unknown;
  files: UploadedFile[];
}

/** What the call recorder keeps of a body: the JSON itself, or the multipart summary without file bytes. */
export type BodySummary =
  | null
  | { json: unknown }
  | { payload_json: unknown; files: Array<{ field: string; filename: string; size: number; content_type: string }> }
  | { text: string };

export type BodyResult = { ok: true; body: ParsedBody } | { ok: false; response: Response; summary: BodySummary };

const CONTENT_TYPE_ERROR = {
  path: "",
  code: "CONTENT_TYPE_INVALID",
  message: `Expected "Content-Type" header to be one of {'application/json', 'multipart/form-data'}.`,
};

const invalidJson = () => discordError(400, 50109, "The request body contains invalid JSON.");

const MIME_BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  svg: "image/svg+xml",
  txt: "text/plain; charset=utf-8",
  json: "application/json",
  csv: "text/csv",
  pdf: "application/pdf",
  mp4: "video/mp4",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  zip: "application/zip",
};

/** Discord infers a type from the filename when the part has none. */
export function guessContentType(filename: string): string {
  const extension = filename.split(".").pop()?.toLowerCase() ?? "";
  return MIME_BY_EXTENSION[extension] ?? "application/octet-stream";
}

export async function readBody(request: Request): Promise<BodyResult> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength === 0) return { ok: true, body: { kind: "none", payload: undefined, files: [] } };
  const contentType = (request.headers.get("content-type") ?? "").toLowerCase();

  if (contentType.startsWith("application/json")) {
    const text = new TextDecoder().decode(bytes);
    try {
      return { ok: true, body: { kind: "json", payload: JSON.parse(text), files: [] } };
    } catch {
      return { ok: false, response: invalidJson(), summary: { text: text.slice(0, 2000) } };
    }
  }

  if (contentType.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(bytes, {
        headers: { "content-type": request.headers.get("content-type")! },
      }).formData();
    } catch {
      return {
        ok: false,
        response: invalidFormBody([
          {
            ...CONTENT_TYPE_ERROR,
            code: "MULTIPART_INVALID",
            message: "emulator(body): the multipart body could not be parsed",
          },
        ]),
        summary: null,
      };
    }
    return readMultipart(form);
  }

  return {
    ok: false,
    response: invalidFormBody([CONTENT_TYPE_ERROR]),
    summary: { text: new TextDecoder().decode(bytes.slice(0, 2000)) },
  };
}

async function readMultipart(form: FormData): Promise<BodyResult> {
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  let payloadText: string | undefined;
  // FormData.forEach, not entries(): the project's lib has no DOM.Iterable.
  const entries: Array<[string, string | File]> = [];
  form.forEach((value, field) => entries.push([field, value]));
  for (const [field, value] of entries) {
    if (field === "payload_json") {
      payloadText = typeof value === "string" ? value : await value.text();
      continue;
    }
    if (typeof value === "string") {
      fields[field] = value;
      continue;
    }
    const match = /^files\[(\d+)\]$/.exec(field);
    // Legacy names (`file`, `file1`) still work on Discord but v10 code should use files[n]; keep them visible.
    const index = match ? Number(match[1]) : -1;
    const filename = value.name || "blob";
    files.push({
      index,
      field,
      filename,
      contentType: value.type || guessContentType(filename),
      bytes: new Uint8Array(await value.arrayBuffer()),
    });
  }
  let payload: unknown = fields;
  if (payloadText !== undefined) {
    try {
      payload = JSON.parse(payloadText);
    } catch {
      return { ok: false, response: invalidJson(), summary: { text: payloadText.slice(0, 2000) } };
    }
  }
  return { ok: true, body: { kind: "multipart", payload, files } };
}

export function summarizeBody(body: ParsedBody): BodySummary {
  if (body.kind === "none") return null;
  if (body.kind === "json") return { json: body.payload };
  return {
    payload_json: body.payload,
    files: body.files.map((f) => ({
      field: f.field,
      filename: f.filename,
      size: f.bytes.byteLength,
      content_type: f.contentType,
    })),
  };
}
