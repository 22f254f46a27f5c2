/**
 * The acknowledgement's one limit the engine cannot enforce, detected and reported by name. Discord waits 3 s for the
 * interaction's answer; the engine answers in time, or acknowledges for a slow handler at AUTO_DEFER_MS (auto-defer.ts),
 * but only while the event loop turns. Synchronous work blocks it: a handler computing before it returns (or before
 * its first await), or another request's code on the same isolate. No timer fires then, the auto-deferral's
 * included, so the response leaves when that work ends. Such an answer is measured (arrival at the Worker →
 * response returned) and, past ACK_LATE_MS, logged as `engine.ack_late` with its ms; the interaction's log line
 * carries `ack_late_ms` too, so the handler to fix is named.
 *
 * Deployed, Date.now() advances only after I/O (https://developers.cloudflare.com/workers/runtime-apis/performance/), so a
 * purely computing handler reads as less late than it was; wrangler dev and the tests (workerd) measure it exactly.
 */
import { log } from "../log.ts";
import { scaled } from "../timing.ts";

/**
 * Past this, the answer is at risk: the auto-deferral answers at 2.5 s by design, and the response still has to travel
 * back to Discord inside its 3 s.
 */
const ACK_LATE_MS = 2_800;

/** The time from arrival to the response when it is past ACK_LATE_MS (and logs it), else undefined. */
export function lateAck(interactionId: string, route: string | null, arrivedAt: number): number | undefined {
  const ms = Date.now() - arrivedAt;
  if (ms < scaled(ACK_LATE_MS)) return undefined;
  log("engine.ack_late", { interaction_id: interactionId, route, ack_ms: ms, level: "warn" });
  return ms;
}
