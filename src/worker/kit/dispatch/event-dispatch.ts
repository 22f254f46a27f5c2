/**
 * Runs an event's handler BEFORE the 2xx, within a time limit: Discord retries a delivery that was not acknowledged
 * with a 2xx within 3 s, for up to 10 minutes, and never one it got a 2xx for
 * (https://discord.com/developers/docs/events/webhook-events). So what must not be lost (the claim and the handler's
 * record) is done first, and a failure or a timeout answers 500 so that Discord delivers the event again.
 *
 * Once per event: the event is claimed in D1 (`INSERT … ON CONFLICT DO NOTHING` on its key: exactly one of two
 * deliveries wins) and a redelivery of a handled event is answered 204 and skipped. A handler that fails or runs out
 * of time gives its claim back, so the redelivery can run it. Storage trouble on the claim does not drop the event:
 * the handler runs (its own writes are idempotent by the key) and the log says so. Each delivery ends in exactly one
 * log line.
 */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log, type LogFields } from "../log.ts";
import { claimEvent, releaseEvent } from "../storage/event-claims.ts";
import { withStorageTimeout } from "../storage/deadline.ts";
import { scaled } from "../timing.ts";
import type { EventModule } from "./event-registry.ts";
import type { EventData, HandledEventName, WebhookEvent } from "./webhook-event.ts";

/**
 * The claim and the handler together must finish by then, counted from the request's arrival: well inside Discord's
 * 3 s, with room for the 500 to reach it (a late answer is a failed delivery too, which is retried: no loss either way).
 */
const EVENT_DEADLINE_MS = 2_000;

/** Resolves true when the event is handled (or was before): answer 2xx. False: answer 5xx so Discord redelivers. */
export async function runEvent(
  module: EventModule,
  event: WebhookEvent,
  data: EventData[HandledEventName],
  env: Env,
  config: Config,
  key: string,
  arrivedAt = Date.now(),
  deadlineMs = scaled(EVENT_DEADLINE_MS),
): Promise<boolean> {
  const started = Date.now();
  const left = () => Math.max(1, arrivedAt + deadlineMs - Date.now());
  const fields: LogFields = { type: event.type, occurred_at: event.timestamp };
  const db = env.DB;
  let claimed = false;
  if (db) {
    try {
      claimed = await withStorageTimeout(claimEvent(db, key, event.type, started), "event claim", left());
      if (!claimed) {
        log("event", { ...fields, outcome: "duplicate", ms: Date.now() - started });
        return true;
      }
    } catch (error) {
      fields.claim_error = describeError(error);
    }
  }
  try {
    await withStorageTimeout(
      module.handle({ type: module.event, data, occurredAt: event.occurredAt, key, env, config }),
      `event ${event.type}`,
      left(),
    );
    log("event", { ...fields, outcome: "ok", ms: Date.now() - started });
    return true;
  } catch (error) {
    // Given back, so the redelivery the 500 asks for can run the handler (not awaited past a short limit: a D1 that
    // hangs here must not hold the 500; a claim left behind is pruned with the retention).
    if (claimed && db) await withStorageTimeout(releaseEvent(db, key), "event release", 500).catch(() => {});
    log("event", {
      ...fields,
      outcome: "error",
      effect: "answered 500",
      ...errorFields(error),
      ms: Date.now() - started,
    });
    return false;
  }
}
