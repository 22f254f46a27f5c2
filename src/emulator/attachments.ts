// Discord's attachment rules for interaction messages. On create, every `files[n]` becomes an attachment (its
// `attachments` entry `{id: n}` may rename or describe it). On edit, an `attachments` array is the complete
// list the message keeps afterwards: existing files by their snowflake id, new uploads by `n`; without the key
// the old files stay and uploads are added. Files are kept in memory and served at /attachments/{message}/{id}/{name}.

import type { UploadedFile } from "./discord-body.ts";
import type { FieldError } from "./errors.ts";
import { snowflake } from "./snowflake.ts";
import type { StoredAttachment, StoredFile } from "./state.ts";

interface AttachmentPlan {
  attachments: StoredAttachment[];
  /** Files to store under their new attachment ids. */
  newFiles: StoredFile[];
  /** Uploads the body did not list on an edit: Discord drops them; the emulator logs them. */
  ignoredUploads: string[];
}

export type AttachmentResult =
  | { ok: true; plan: AttachmentPlan }
  | { ok: false; errors: FieldError[]; tooLarge?: undefined }
  | { ok: false; tooLarge: true; errors?: undefined };

interface Options {
  mode: "create" | "edit";
  messageId: string;
  existing: readonly StoredAttachment[];
  /** The body's `attachments` key; undefined when absent. */
  listed: unknown;
  files: readonly UploadedFile[];
  origin: string;
  sizeLimit: number;
}

export function attachmentUrl(origin: string, messageId: string, attachmentId: string, filename: string): string {
  return `${origin}/attachments/${messageId}/${attachmentId}/${encodeURIComponent(filename)}`;
}

export function planAttachments(options: Options): AttachmentResult {
  const { files, sizeLimit } = options;
  if (files.some((f) => f.bytes.byteLength > sizeLimit)) return { ok: false, tooLarge: true };

  const errors: FieldError[] = [];
  const uploads = new Map<number, UploadedFile>();
  for (const file of files) {
    if (file.index < 0) {
      errors.push({
        path: file.field,
        code: "ATTACHMENT_FIELD_INVALID",
        message: `emulator(attachments): use files[n] part names, got "${file.field}"`,
      });
    } else uploads.set(file.index, file);
  }

  const listed = options.listed;
  if (listed !== undefined && listed !== null && !Array.isArray(listed)) {
    return { ok: false, errors: [{ path: "attachments", code: "BASE_TYPE_LIST", message: "Must be an array." }] };
  }
  const entries = Array.isArray(listed) ? listed : null;

  const result: StoredAttachment[] = [];
  const newFiles: StoredFile[] = [];
  const used = new Set<number>();

  const addUpload = (upload: UploadedFile, entry: Record<string, unknown> | null) => {
    const id = snowflake();
    const filename = typeof entry?.filename === "string" && entry.filename ? entry.filename : upload.filename;
    const url = attachmentUrl(options.origin, options.messageId, id, filename);
    const attachment: StoredAttachment = {
      id,
      filename,
      size: upload.bytes.byteLength,
      url,
      proxy_url: url,
      content_type: upload.contentType,
    };
    if (typeof entry?.description === "string") attachment.description = entry.description;
    result.push(attachment);
    newFiles.push({
      attachmentId: id,
      messageId: options.messageId,
      filename,
      contentType: upload.contentType,
      bytes: upload.bytes,
    });
    used.add(upload.index);
  };

  if (options.mode === "edit" && entries === null) result.push(...options.existing);

  for (const [i, raw] of (entries ?? []).entries()) {
    const entry = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : null;
    const id = entry?.id;
    if (entry === null || (typeof id !== "string" && typeof id !== "number")) {
      errors.push({ path: `attachments.${i}.id`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
      continue;
    }
    const kept = options.existing.find((a) => a.id === String(id));
    if (kept) {
      result.push(typeof entry.description === "string" ? { ...kept, description: entry.description } : kept);
      continue;
    }
    const upload = uploads.get(Number(id));
    if (upload && String(id).length <= 4) {
      addUpload(upload, entry);
      continue;
    }
    errors.push({
      path: `attachments.${i}.id`,
      code: "ATTACHMENT_NOT_FOUND",
      message:
        options.mode === "edit"
          ? `emulator(attachments): ${JSON.stringify(id)} is neither an attachment of this message nor a files[n] upload`
          : `emulator(attachments): no files[${String(id)}] part for attachment ${JSON.stringify(id)}`,
    });
  }

  const ignoredUploads: string[] = [];
  for (const upload of [...uploads.values()].sort((a, b) => a.index - b.index)) {
    if (used.has(upload.index)) continue;
    // Create, or edit without an attachments list: every upload is attached. Edit with a list: it is exhaustive.
    if (options.mode === "create" || entries === null) addUpload(upload, null);
    else ignoredUploads.push(upload.field);
  }

  if (errors.length > 0) return { ok: false, errors };
  if (result.length > 10)
    return {
      ok: false,
      errors: [{ path: "attachments", code: "BASE_TYPE_BAD_LENGTH", message: "Must be 10 or fewer in length." }],
    };
  return { ok: true, plan: { attachments: result, newFiles, ignoredUploads } };
}
