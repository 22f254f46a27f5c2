/**
 * Webhook events (POST /events), read at the boundary. The body is Discord's event payload
 * (https://discord.com/developers/docs/events/webhook-events#payload-structure):
 *
 *   { version: 1, application_id, type: 0 (PING) | 1 (EVENT), event?: { type: "ENTITLEMENT_CREATE", timestamp, data } }
 *
 * A valid signature only proves who sent the bytes, so the envelope is checked here (a malformed one is a 400) and
 * each event type we handle has a reader that turns its `data` into our own typed value (data that does not fit is
 * a 400 too). Event types without a reader are Discord's newer events: answered 204 and logged, never refused.
 * Payload shapes: discord-api-types' APIWebhookEvent* (payloads/v10/webhook.d.ts), which follow the docs above.
 */
import type { APIWebhookEventBody } from "discord-api-types/v10";
import { isObject } from "../json.ts";

/** Every event type Discord documents; a module's `event` outside this list is a compile error. */
type EventName = `${APIWebhookEventBody["type"]}`;

const WebhookType = { Ping: 0, Event: 1 } as const;

/** Installation context (integration_type): 0 a server, 1 a user's account. */
type IntegrationType = 0 | 1;

export interface Authorization {
  readonly userId: string;
  /** Null when Discord did not say (it is optional in the payload). */
  readonly integrationType: IntegrationType | null;
  readonly scopes: readonly string[];
  /** The server it was added to, for integration_type 0. */
  readonly guildId: string | null;
}

interface Deauthorization {
  readonly userId: string;
}

/** https://discord.com/developers/docs/resources/entitlement#entitlement-object, with times as ms epoch. */
export interface Entitlement {
  readonly id: string;
  readonly skuId: string;
  readonly userId: string | null;
  readonly guildId: string | null;
  readonly type: number;
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  readonly deleted: boolean;
  readonly consumed: boolean;
}

/** What a handler gets for each event type it can be declared for. */
export interface EventData {
  APPLICATION_AUTHORIZED: Authorization;
  APPLICATION_DEAUTHORIZED: Deauthorization;
  ENTITLEMENT_CREATE: Entitlement;
  ENTITLEMENT_UPDATE: Entitlement;
  ENTITLEMENT_DELETE: Entitlement;
}

/** Event types we can read; a handler module may be declared for these. */
export type HandledEventName = keyof EventData & EventName;

type Json = Record<string, unknown>;

const str = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);
const SNOWFLAKE = /^\d{1,20}$/;
const id = (value: unknown): string | null => (typeof value === "string" && SNOWFLAKE.test(value) ? value : null);

/** ISO 8601 as Discord writes it, sometimes without a zone ("2024-10-18T14:42:53.064834"): that is UTC. */
function parseTimestamp(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : null;
}

function readAuthorization(data: Json): Authorization | null {
  const userId = isObject(data.user) ? id(data.user.id) : null;
  if (!userId) return null;
  const integration = data.integration_type;
  const scopes = Array.isArray(data.scopes) ? data.scopes.filter((s): s is string => typeof s === "string") : [];
  return {
    userId,
    integrationType: integration === 0 || integration === 1 ? integration : null,
    scopes,
    guildId: isObject(data.guild) ? id(data.guild.id) : null,
  };
}

function readDeauthorization(data: Json): Deauthorization | null {
  const userId = isObject(data.user) ? id(data.user.id) : null;
  return userId ? { userId } : null;
}

function readEntitlement(data: Json): Entitlement | null {
  const entitlementId = id(data.id);
  const skuId = id(data.sku_id);
  if (!entitlementId || !skuId || typeof data.type !== "number") return null;
  return {
    id: entitlementId,
    skuId,
    userId: id(data.user_id),
    guildId: id(data.guild_id),
    type: data.type,
    startsAt: parseTimestamp(data.starts_at),
    endsAt: parseTimestamp(data.ends_at),
    deleted: data.deleted === true,
    consumed: data.consumed === true,
  };
}

/** One reader per handled type; adding a type to EventData without a reader is a compile error. */
const READERS: { readonly [E in HandledEventName]: (data: Json) => EventData[E] | null } = {
  APPLICATION_AUTHORIZED: readAuthorization,
  APPLICATION_DEAUTHORIZED: readDeauthorization,
  ENTITLEMENT_CREATE: readEntitlement,
  ENTITLEMENT_UPDATE: readEntitlement,
  ENTITLEMENT_DELETE: readEntitlement,
};

export function isHandledEventName(name: string): name is HandledEventName {
  return Object.hasOwn(READERS, name);
}

export interface WebhookEvent<E extends string = string> {
  readonly type: E;
  /** When the event occurred (ms epoch), from `event.timestamp`. */
  readonly occurredAt: number;
  readonly timestamp: string;
  /** `event.data` as sent, for logs and for event types we do not read. */
  readonly raw: Json;
}

export type ParsedWebhook =
  | { ok: true; kind: "ping" }
  | { ok: true; kind: "event"; event: WebhookEvent }
  | { ok: false; message: string };

const decoder = new TextDecoder();

/** The envelope: JSON object, type 0 or 1, and for 1 an event with a type and a timestamp. */
export function parseWebhook(bytes: Uint8Array): ParsedWebhook {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(bytes));
  } catch {
    return { ok: false, message: "body is not valid JSON" };
  }
  if (!isObject(payload)) return { ok: false, message: "body must be a JSON object" };
  if (typeof payload.type !== "number") return { ok: false, message: "body.type must be a number" };
  if (payload.type === WebhookType.Ping) return { ok: true, kind: "ping" };
  if (payload.type !== WebhookType.Event)
    return { ok: false, message: `unknown webhook type ${payload.type} (0 PING, 1 EVENT)` };
  const event = payload.event;
  if (!isObject(event)) return { ok: false, message: "body.event must be an object for type 1" };
  const type = str(event.type);
  if (!type) return { ok: false, message: "body.event.type must be a string" };
  const occurredAt = parseTimestamp(event.timestamp);
  if (occurredAt === null) return { ok: false, message: "body.event.timestamp must be an ISO 8601 time" };
  return {
    ok: true,
    kind: "event",
    event: { type, occurredAt, timestamp: event.timestamp as string, raw: isObject(event.data) ? event.data : {} },
  };
}

/** The typed data of a handled event, or null when it does not fit (then the body is malformed: 400). */
export function readEventData<E extends HandledEventName>(type: E, raw: Json): EventData[E] | null {
  return (READERS[type] as (data: Json) => EventData[E] | null)(raw);
}

/**
 * The event's identity, stable across Discord's redeliveries: its type, when it occurred (set once by Discord, to
 * the microsecond) and the ids it concerns (the entitlement, the user, the server). The body has no id of its own,
 * and hashing the bytes would tie identity to serialisation (a redelivery is not promised to be byte-identical,
 * and a user object inside may change between tries) while costing a SHA-256 per event.
 */
export function eventKey(event: WebhookEvent): string {
  const data = event.raw;
  const userId = isObject(data.user) ? str(data.user.id) : str(data.user_id);
  const guildId = isObject(data.guild) ? str(data.guild.id) : str(data.guild_id);
  return `${event.type}|${event.timestamp}|${str(data.id) ?? ""}|${userId ?? ""}|${guildId ?? ""}`;
}
