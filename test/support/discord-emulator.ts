// Test-side entry to the Discord emulator: everything src/emulator exports, plus a small client for calling an
// in-process emulator the way the Worker calls Discord (right User-Agent, JSON or multipart bodies).

export * from "../../src/emulator/index.ts";
import type { DiscordEmulator } from "../../src/emulator/index.ts";

export const TEST_USER_AGENT = "DiscordBot (https://github.com/edge-discord-bot/edge-discord-bot, 0.1.0)";
/** Any origin works in-process; attachment URLs are built on it. */
export const IN_PROCESS_ORIGIN = "http://discord.test";

export interface FileUpload {
  n: number;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** Builds a Discord multipart body: payload_json plus files[n]. */
export function multipart(payload: unknown, files: readonly FileUpload[]): FormData {
  const form = new FormData();
  form.set("payload_json", new Blob([JSON.stringify(payload)], { type: "application/json" }));
  for (const file of files) {
    form.set(
      `files[${file.n}]`,
      new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType }),
      file.filename,
    );
  }
  return form;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: any;
}

/** Calls `emulator.fetch` on /api/v10`path`; a plain object body goes as JSON, FormData as multipart. */
export async function callDiscord(
  emulator: DiscordEmulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const init: RequestInit = { method, headers: { "User-Agent": TEST_USER_AGENT, ...headers } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
  }
  const response = await emulator.fetch(new Request(`${IN_PROCESS_ORIGIN}/api/v10${path}`, init));
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
}
