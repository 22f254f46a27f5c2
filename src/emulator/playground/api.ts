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
    throw new Error(
      `playground: the emulator is not reachable (${(error as Error).message}); is npm start still running?`,
    );
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
  send: (input: SendInput) =>
    call<SendOutcome>("/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    }),
  /** Posts a message as the playground's user in a channel (#general by default): what message commands can target. */
  post: (content: string, channelId?: string) =>
    call<Record<string, unknown>>("/channel/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content, ...(channelId ? { channel_id: channelId } : {}) }),
    }),
  upload(file: File): Promise<StoredAttachment> {
    const form = new FormData();
    form.set("file", file, file.name);
    return call<StoredAttachment>("/uploads", { method: "POST", body: form });
  },
  /** Adds the app to the playground's server (0) or to the user's account (1): APPLICATION_AUTHORIZED to the Worker. */
  install: (integrationType: 0 | 1) =>
    call<{ event: { error?: string } }>("/app/install", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ integration_type: integrationType }),
    }),
  uninstall: () =>
    call<{ event: { error?: string } }>("/app/uninstall", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }),
  /** A test purchase of a SKU by the playground's user: ENTITLEMENT_CREATE, and their interactions carry it. */
  buy: (skuId: string) =>
    call<{ event: { error?: string } }>("/entitlements", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku_id: skuId }),
    }),
  /** Deletes a test purchase: ENTITLEMENT_DELETE. */
  refund: (entitlementId: string) =>
    call<{ event: { error?: string } }>(`/entitlements/${encodeURIComponent(entitlementId)}`, { method: "DELETE" }),
  /** Runs the Worker's daily cron (its scheduled handler); what the bot posts arrives through the feed. */
  cron: () => call<{ messages: unknown[] }>("/cron", { method: "POST" }),
  /** Forgets conversations, posted messages, calls and uploads; keeps the registered commands. */
  clear: () => call<null>("/calls", { method: "DELETE" }),
};
