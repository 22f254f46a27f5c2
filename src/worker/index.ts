/**
 * The interactions Worker. Routes: POST /interactions and POST /events (Discord), GET /health (operators, monitors),
 * GET /linked-role and GET /discord-oauth-callback (Linked Roles: a person's browser; served by src/linked-roles/).
 * Everything else is a JSON 404, and other methods on /interactions and /events a 405 with Allow.
 *
 * It carries only what answers: an evicted isolate starts again on a user's interaction, inside Discord's 3 s, so its
 * bundle is budgeted (bench/budget.ts). The rest lives in the services Worker (src/worker/services.ts): the Durable
 * Object classes (bound here through script_name), the queue consumers, the daily cron, and Webhook Events, which
 * POST /events forwards to it through the SERVICES binding.
 */
import { IttyRouter, type IRequest } from "itty-router";
import { commands, registryOptions } from "./app/index.ts";
import {
  ConfigError,
  createRegistry,
  errorResponse,
  forwardEventRequest,
  handleInteractionRequest,
  jsonResponse,
  pathOf,
  readConfig,
  type Env,
} from "./kit/index.ts";
import { forwardToLinkedRoles } from "./app/linked-roles.ts";
import { importModule } from "./import-module.ts";

// The platform serves the bot's modules, with every interaction's after-steps (the one log line) and the bot's
// message catalogue merged with the platform's (src/worker/app/index.ts); their translations load on first use
// through importModule, which must sit in this folder (its header says why).
const registry = createRegistry(commands, { ...registryOptions, importModule });

// POST /interactions and POST /events never reach the router (see fetch below); it answers everything else.
const router = IttyRouter<IRequest, [Env, ExecutionContext]>()
  .all("/interactions", () => errorResponse(405, "method_not_allowed", "use POST for /interactions", { Allow: "POST" }))
  .all("/events", () => errorResponse(405, "method_not_allowed", "use POST for /events", { Allow: "POST" }))
  .get("/health", (_request, env) => health(env))
  .all("/health", () => errorResponse(405, "method_not_allowed", "use GET for /health", { Allow: "GET" }))
  .get("/linked-role", forwardToLinkedRoles)
  .get("/discord-oauth-callback", forwardToLinkedRoles)
  .all("*", () => errorResponse(404, "not_found", "no such route; Discord posts to /interactions"));

/** Reports readiness without revealing configuration values: only the names of what is missing. */
function health(env: Env): Response {
  try {
    readConfig(env);
    return jsonResponse({ status: "ok", commands: registry.modules.length });
  } catch (error) {
    const problems = error instanceof ConfigError ? error.problems.map((p) => p.split(" ")[0]) : ["unknown"];
    return jsonResponse({ status: "misconfigured", missing_or_invalid: problems }, 503);
  }
}

export default {
  // Discord's POSTs skip the router: it parses the URL and query and extends the Request for every call,
  // ≈ 10 µs a request on workerd (see BENCHMARKS.md). The router keeps everything else.
  fetch(request, env, ctx) {
    if (request.method === "POST") {
      const path = pathOf(request.url);
      if (path === "/interactions") return handleInteractionRequest(request, env, ctx, registry);
      if (path === "/events") return forwardEventRequest(request, env);
    }
    return router.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
