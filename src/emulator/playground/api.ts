// The playground's calls to its emulator's control surface. Every failure becomes an Error whose message says
// which call failed and why (the emulator's own `emulator(...): ...` text when it gave one).

import type { FeedSnapshot } from "../feed.ts";
import type { SendInput, SendOutcome } from "../send.ts";
import type { StoredAttachment } from "../state.ts";

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/__emulator${path}`, init);
  } catch (error) {
    throw new Error(`playground: the emulator is not reachable (${(error as Error).message}); is npm start still running?`);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new Error(`playground: ${path} answered HTTP ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const message = (body as { error?: unknown } | null)?.error;
    throw new Error(typeof message === "string" ? message : `playground: ${path} answered HTTP ${response.status}`);
  }
  return body as T;
}

export const api = {
  feed: () => call<FeedSnapshot>("/feed"),
  send: (input: SendInput) => call<SendOutcome>("/send", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) }),
  /** Posts a message in #general as the playground's user (what message commands can target). */
  post: (content: string) => call<Record<string, unknown>>("/channel/messages", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ content }) }),
  upload(file: File): Promise<StoredAttachment> {
    const form = new FormData();
    form.set("file", file, file.name);
    return call<StoredAttachment>("/uploads", { method: "POST", body: form });
  },
  /** Forgets conversations, posted messages, calls and uploads; keeps the registered commands. */
  clear: () => call<null>("/calls", { method: "DELETE" }),
};
