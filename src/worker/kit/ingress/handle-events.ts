/**
 * POST /events: Discord's webhook events (https://discord.com/developers/docs/events/webhook-events). The same
 * ingress as /interactions (verify-request.ts: 503, 413, 401), then the envelope (400 when malformed). A PING (type
 * 0) is answered 204 with an empty body, as Discord requires to accept the URL. An event (type 1) is handled by the
 * module declared for its type (src/worker/app/events/) BEFORE the answer, within a time limit (event-dispatch.ts):
 * Discord never redelivers an event it got a 2xx for, so a 204 comes only once the event is recorded, and a failure
 * or timeout answers 500 for Discord to deliver it again. A type with no module is acknowledged and logged once:
 * Discord adds events over time, and refusing one would only make it retry.
 *
 * It runs in the services Worker (src/worker/services.ts): the interactions Worker forwards POST /events here unread,
 * through its SERVICES binding, and answers Discord with this answer (forward-events.ts).
 */
import { runEvent } from "../dispatch/event-dispatch.ts";
import type { EventRegistry } from "../dispatch/event-registry.ts";
import { eventKey, isHandledEventName, parseWebhook, readEventData } from "../dispatch/webhook-event.ts";
import type { Env } from "../env.ts";
import { errorResponse } from "../http.ts";
import { log } from "../log.ts";
import { readLimitedBody } from "./read-body.ts";
import { badSignature, configOrReject, reject, tooLarge, verifySignature } from "./verify-request.ts";

export async function handleEventRequest(
  request: Request,
  env: Env,
  _ctx: ExecutionContext,
  events: EventRegistry,
): Promise<Response> {
  const arrivedAt = Date.now();
  const config = configOrReject(env, "Webhook events");
  if (config instanceof Response) return config;
  const body = await readLimitedBody(request);
  if (!body.ok) return tooLarge();
  const failure = await verifySignature(request, config, body.bytes);
  if (failure) return badSignature(failure);

  const parsed = parseWebhook(body.bytes);
  if (!parsed.ok) return reject(400, "invalid_event", parsed.message);
  if (parsed.kind === "ping") return new Response(null, { status: 204 });

  const { event } = parsed;
  const module = events.handler(event.type);
  if (!module || !isHandledEventName(event.type)) {
    log("event", { type: event.type, occurred_at: event.timestamp, outcome: "unhandled" });
    return new Response(null, { status: 204 });
  }
  const data = readEventData(event.type, event.raw);
  if (data === null) return reject(400, "invalid_event", `body.event.data does not fit ${event.type}`);
  if (await runEvent(module, event, data, env, config, eventKey(event), arrivedAt))
    return new Response(null, { status: 204 });
  // runEvent logged the event's one line; this answer adds none.
  return errorResponse(500, "event_not_recorded", "the event could not be recorded");
}
