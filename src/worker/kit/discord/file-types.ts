/**
 * `file_types` on File Upload components and ATTACHMENT options (Discord, August 2026): what a user may pick, as
 * groups (`image`, `video`, `audio`) or dot-prefixed extensions (`.csv`), at most 10, each at most 16 characters
 * (Discord's API description: FileUploadComponentForModalRequest and ApplicationCommandAttachmentOption). Discord's
 * reference ("File Type Filtering") adds that a list of extensions only must include `.jpg` for images and both
 * `.mp4` and `.mov` for videos, for mobile clients. The types come from discord-api-types (FileUploadType), so a
 * group that does not exist is a compile error; the count and lengths are checked here.
 */
import type { FileUploadType } from "discord-api-types/v10";

export type { FileUploadType };

const MAX_FILE_TYPES = 10;
const ENTRY = /^(image|video|audio|\.[a-z0-9]{1,15})$/i;

/** Why Discord would refuse this list, or null. */
export function fileTypesProblem(types: readonly string[]): string | null {
  if (types.length === 0 || types.length > MAX_FILE_TYPES)
    return `file_types must list 1 to ${MAX_FILE_TYPES} groups or extensions, got ${types.length}`;
  const bad = types.find((type) => !ENTRY.test(type));
  return bad === undefined
    ? null
    : `file_types entry ${JSON.stringify(bad)} must be image, video, audio or an extension like ".csv" (≤ 16 characters)`;
}
