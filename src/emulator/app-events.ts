// Webhook events as Discord sends them (https://discord.com/developers/docs/events/webhook-events): the body
// {version: 1, application_id, type: 0 PING | 1 EVENT, event: {type, timestamp, data}}, signed exactly like an
// interaction, POSTed to the app's Events URL, which must answer 204 within 3 seconds. The builders here make
// APPLICATION_AUTHORIZED / _DEAUTHORIZED and ENTITLEMENT_* payloads shaped like discord-api-types'
// APIWebhookEvent*; the emulator (app.ts) keeps the entitlements they create so later interactions carry them.
// Portable (WebCrypto and fetch only): it runs on Node, in workerd and in a browser.

import { DEFAULT_USER, type InteractionUser } from "./signed-interactions.ts";
import { signInteraction } from "./signer.ts";
import { snowflake } from "./snowflake.ts";

export const WEBHOOK_TYPES = { PING: 0, EVENT: 1 } as const;
/** The installation contexts: added to a server, or to a user's account. */
export const INTEGRATION_TYPES = { GUILD_INSTALL: 0, USER_INSTALL: 1 } as const;
/** Entitlement types; the playground's purchases are test-mode purchases (4), as the Developer Portal's test SKUs make. */
export const ENTITLEMENT_TYPES = {
  PURCHASE: 1,
  PREMIUM_SUBSCRIPTION: 2,
  DEVELOPER_GIFT: 3,
  TEST_MODE_PURCHASE: 4,
  FREE_PURCHASE: 5,
  USER_GIFT: 6,
  PREMIUM_PURCHASE: 7,
  APPLICATION_SUBSCRIPTION: 8,
} as const;

/** An entitlement as Discord's API returns it (and as interactions carry it in `entitlements`). */
export interface EmulatedEntitlement {
  id: string;
  sku_id: string;
  application_id: string;
  user_id?: string;
  guild_id?: string;
  type: number;
  deleted: boolean;
  starts_at: string | null;
  ends_at: string | null;
  consumed?: boolean;
}

export interface WebhookEventBody {
  version: 1;
  application_id: string;
  type: 0 | 1;
  event?: { type: string; timestamp: string; data?: unknown };
}

/** Discord's event timestamp: ISO 8601 to the microsecond, without a zone (it is UTC). */
export function eventTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000");
}

export function webhookPing(applicationId: string): WebhookEventBody {
  return { version: 1, application_id: applicationId, type: WEBHOOK_TYPES.PING };
}

export function webhookEvent(
  applicationId: string,
  type: string,
  data: unknown,
  at: number = Date.now(),
): WebhookEventBody {
  return {
    version: 1,
    application_id: applicationId,
    type: WEBHOOK_TYPES.EVENT,
    event: { type, timestamp: eventTimestamp(at), data },
  };
}

/** APPLICATION_AUTHORIZED's data: who added the app, where, with which scopes. */
export function authorizedData(options: {
  integrationType: 0 | 1;
  user?: InteractionUser;
  guildId?: string;
  guildName?: string;
  scopes?: string[];
}): Record<string, unknown> {
  const user = options.user ?? DEFAULT_USER;
  const guild =
    options.integrationType === INTEGRATION_TYPES.GUILD_INSTALL
      ? {
          guild: {
            id: options.guildId ?? "0",
            name: options.guildName ?? "Emulated server",
            icon: null,
            owner_id: user.id,
            features: [],
          },
        }
      : {};
  const scopes =
    options.scopes ??
    (options.integrationType === INTEGRATION_TYPES.GUILD_INSTALL
      ? ["applications.commands", "bot"]
      : ["applications.commands"]);
  return { integration_type: options.integrationType, user, scopes, ...guild };
}

export function deauthorizedData(user: InteractionUser = DEFAULT_USER): Record<string, unknown> {
  return { user };
}

/** A test-mode purchase of `skuId` by a user (or for a server), starting now and never ending. */
export function testEntitlement(options: {
  applicationId: string;
  skuId: string;
  userId?: string;
  guildId?: string;
  at?: number;
}): EmulatedEntitlement {
  return {
    id: snowflake(options.at ?? Date.now()),
    sku_id: options.skuId,
    application_id: options.applicationId,
    ...(options.userId ? { user_id: options.userId } : {}),
    ...(options.guildId ? { guild_id: options.guildId } : {}),
    type: ENTITLEMENT_TYPES.TEST_MODE_PURCHASE,
    deleted: false,
    starts_at: null,
    ends_at: null,
    consumed: false,
  };
}

/** Whether an entitlement grants its SKU at `now`: not deleted or consumed, started, not ended. */
export function isActiveEntitlement(entitlement: EmulatedEntitlement, now: number): boolean {
  if (entitlement.deleted || entitlement.consumed) return false;
  if (entitlement.starts_at && Date.parse(entitlement.starts_at) > now) return false;
  return !(entitlement.ends_at && Date.parse(entitlement.ends_at) <= now);
}

export interface EventDelivery {
  /** The Worker's HTTP status; null when it did not answer in time or could not be reached. */
  status: number | null;
  ms: number;
  timedOut: boolean;
  /** Why Discord would count the delivery as failed (and retry it); absent when it was a 204. */
  error?: string;
}

/** Signs and POSTs a webhook event as Discord does; Discord wants a 204 within `deadlineMs` (3 s). */
export async function deliverWebhookEvent(
  url: string,
  body: WebhookEventBody,
  privateKey: string | CryptoKey,
  options: { deadlineMs?: number; timestamp?: string | number } = {},
): Promise<EventDelivery> {
  const raw = JSON.stringify(body);
  const headers = await signInteraction(privateKey, raw, options.timestamp);
  const deadline = options.deadlineMs ?? 3_000;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadline);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Discord-Webhooks/1.0 (+https://discord.com)",
        ...headers,
      },
      body: raw,
      signal: abort.signal,
    });
    const text = await response.text();
    if (response.status !== 204)
      return {
        status: response.status,
        ms: elapsed(),
        timedOut: false,
        error: `Discord wants 204 for a webhook event, got HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}; it would retry`,
      };
    return { status: 204, ms: elapsed(), timedOut: false };
  } catch (error) {
    if (abort.signal.aborted)
      return {
        status: null,
        ms: elapsed(),
        timedOut: true,
        error: `no answer within ${deadline} ms; Discord would retry`,
      };
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return {
      status: null,
      ms: elapsed(),
      timedOut: false,
      error: `emulator(events): ${(error as Error).message}${typeof cause?.code === "string" ? ` (${cause.code})` : ""}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
