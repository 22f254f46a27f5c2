/**
 * Runs an event's handler after the 204, in ctx.waitUntil, once per event: Discord retries a delivery that was not
 * acknowledged with a 204 within 3 s, for up to 10 minutes (https://discord.com/developers/docs/events/webhook-events), so
 * the event is claimed first in D1 (`INSERT … ON CONFLICT DO NOTHING` on its key: exactly one of two deliveries
 * wins) and a redelivery is logged and skipped. A handler that throws gives its claim back, so a later delivery can
 * try again. Storage trouble does not drop the event: the handler runs (its own writes are idempotent by the key)
 * and the log says so. Each event ends in exactly one log line.
 */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log, type LogFields } from "../log.ts";
import { claimEvent, releaseEvent } from "../storage/app-events.ts";
import { withStorageTimeout } from "../storage/deadline.ts";
import type { EventModule } from "./event-registry.ts";
import type { EventData, HandledEventName, WebhookEvent } from "./webhook-event.ts";

/** `data` is the event's, read for the module's type (handle-events.ts looked the module up by that type). */
export async function runEvent(module: EventModule, event: WebhookEvent, data: EventData[HandledEventName], env: Env, config: Config, key: string): Promise<void> {
  const started = Date.now();
  const fields: LogFields = { type: event.type, occurred_at: event.timestamp };
  const db = env.DB;
  let claimed = false;
  if (db) {
    try {
      claimed = await withStorageTimeout(claimEvent(db, key, event.type, started), "event claim");
      if (!claimed) {
        log("event", { ...fields, outcome: "duplicate", ms: Date.now() - started });
        return;
      }
    } catch (error) {
      fields.claim_error = describeError(error);
    }
  }
  try {
    await module.handle({ type: module.event, data, occurredAt: event.occurredAt, key, env, config });
    log("event", { ...fields, outcome: "ok", ms: Date.now() - started });
  } catch (error) {
    if (claimed && db) await releaseEvent(db, key).catch(() => {});
    log("event", { ...fields, outcome: "error", ...errorFields(error), ms: Date.now() - started });
  }
}
