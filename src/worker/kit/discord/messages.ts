/**
 * A message with files, as the REST client sends it (JSON, or multipart with `payload_json` and `files[n]`).
 * Declared here, beside the client, so the REST layer depends on nothing above it.
 */
import type { APIInteractionResponseCallbackData } from "discord-api-types/v10";

export type MessageData = APIInteractionResponseCallbackData;

export interface FileUpload {
  readonly name: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly description?: string;
}

/** Message fields plus files to attach: a job's final message, a follow-up, an edit. */
export interface FinalMessage {
  readonly data: MessageData;
  readonly files?: readonly FileUpload[];
}
