/**
 * POST /events in the interactions Worker: handed, as it came (method, headers, body), to the services Worker through
 * the SERVICES service binding (https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/),
 * which verifies it, records the event and answers (handle-events.ts, run there). Its answer is Discord's answer, so
 * the Webhook Events URL operators set stays this Worker's /events and its guarantee holds end to end: a 2xx only once
 * the event is recorded. Discord redelivers what it got no 2xx for, for up to 10 minutes, and never what it got one
 * for (https://discord.com/developers/docs/events/webhook-events), so anything that keeps the services Worker from
 * answering (the binding missing, throwing, or silent past the time limit) answers 503 here.
 *
 * The time limit sits past the services Worker's own (event-dispatch.ts: 2 s for the claim and the handler, then at
 * most 0.5 s to give the claim back), so that Worker answers first whenever it runs at all, and inside Discord's 3 s.
 * Past it, only the wait ends.
 */
import type { Env } from "../env.ts";
import { errorResponse } from "../http.ts";
import { describeError, errorFields, log } from "../log.ts";
import { scaled } from "../timing.ts";

const FORWARD_DEADLINE_MS = 2_800;

export async function forwardEventRequest(request: Request, env: Env): Promise<Response> {
  const started = Date.now();
  const ms = scaled(FORWARD_DEADLINE_MS);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!env.SERVICES) throw new Error("SERVICES is not bound (wrangler.toml [[services]]; DEPLOYMENT.md)");
    return await Promise.race([
      env.SERVICES.fetch(request),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the services Worker did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } catch (error) {
    // The services Worker logs each event it runs; this line is for the ones that never got an answer from it.
    log("event", { outcome: "error", effect: "answered 503", ...errorFields(error), ms: Date.now() - started });
    return errorResponse(503, "event_not_recorded", `${describeError(error)}; Discord delivers the event again`);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
