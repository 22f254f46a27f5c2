/**
 * The services Worker (wrangler.services.toml): what the bot runs off the interaction's 3-second path, kept out of the
 * interactions Worker (src/worker/index.ts) so that the isolate Discord waits on starts small (bench/budget.ts).
 *   - The Durable Object classes: DiscordRateLimiter (the bot's one rate-limit state) and UsageCounters (what users do,
 *     per month). The interactions Worker binds both through `script_name`; a Worker hosts a class by exporting it.
 *   - The JOBS queue's consumers (RELAY_MODE=queue): the deferred jobs and their dead-letter queue. The jobs are the
 *     bot's own, so the whole registry is bundled here too.
 *   - The daily cron: prune and the daily report (src/worker/app/scheduled.ts).
 *   - Webhook Events: POST /events, forwarded unchanged by the interactions Worker through its SERVICES binding
 *     (kit/ingress/forward-events.ts). It has no public URL (workers_dev = false): that forward is its only caller.
 * Everything else is a JSON 404.
 */
import { commands, registryOptions } from "./app/index.ts";
import { events } from "./app/events/index.ts";
import { createRegistry, errorResponse, handleEventRequest, handleQueue, pathOf, type Env } from "./kit/index.ts";
import { handleScheduled } from "./app/scheduled.ts";
import { importModule } from "./import-module.ts";

// The jobs the queue consumer runs are the registry's, built exactly as the interactions Worker builds it (their
// translations load on first use through importModule, which must sit in this folder: its header says why).
const registry = createRegistry(commands, { ...registryOptions, importModule });

export default {
  fetch(request, env, ctx) {
    if (request.method === "POST" && pathOf(request.url) === "/events")
      return handleEventRequest(request, env, ctx, events);
    return errorResponse(
      404,
      "not_found",
      "the services Worker answers only POST /events, forwarded by the interactions Worker's SERVICES binding",
    );
  },
  scheduled: (controller, env, _ctx) => handleScheduled(controller, env),
  queue: (batch, env, _ctx) => handleQueue(batch, env, registry),
} satisfies ExportedHandler<Env>;

// The classes this Worker hosts (wrangler.services.toml: their bindings and [[migrations]]).
export { DiscordRateLimiter } from "./kit/discord/limiter/object.ts";
export { UsageCounters } from "./kit/analytics/usage-counters.ts";
