/**
 * The Linked Roles Worker (wrangler.linked-roles.toml): Discord's OAuth2 flow for role connections and the update
 * after each chart, kept out of the interactions Worker, whose bundle has a size budget (bench/budget.ts) and which
 * then holds neither the client secret nor the token key. It has no public URL (workers_dev = false): the
 * interactions Worker forwards the two browser routes to it through its LINKED_ROLES service binding, and tells it
 * of each chart the same way.
 *   GET  /linked-role             the Linked Roles Verification URL (routes.ts)
 *   GET  /discord-oauth-callback  the OAuth2 redirect (routes.ts)
 *   POST /chart-drawn             {user_id, interaction_id}: count it and update the role connection (update.ts)
 *   GET  /health                  200, or 503 naming what is missing or malformed (never values)
 */
import { errorResponse, jsonResponse } from "../worker/kit/http.ts";
import { readLinkedRolesConfig, type LinkedRolesEnv } from "./config.ts";
import { finishLink, startLink } from "./routes.ts";
import { updateRoleConnectionAfterChart } from "./update.ts";

export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (request.method === "GET" && path === "/linked-role") return startLink(request, env);
    if (request.method === "GET" && path === "/discord-oauth-callback") return finishLink(request, env);
    if (request.method === "POST" && path === "/chart-drawn") {
      const config = readLinkedRolesConfig(env);
      if (Array.isArray(config))
        return errorResponse(503, "misconfigured", "Linked Roles is not configured; GET /health names what is missing");
      const body = (await request.json().catch(() => null)) as { user_id?: unknown; interaction_id?: unknown } | null;
      if (typeof body?.user_id !== "string" || typeof body.interaction_id !== "string")
        return errorResponse(400, "invalid_body", "expected {user_id, interaction_id} as strings");
      await updateRoleConnectionAfterChart(config, body.user_id, body.interaction_id);
      return new Response(null, { status: 204 });
    }
    if (path === "/health") {
      const config = readLinkedRolesConfig(env);
      return Array.isArray(config)
        ? jsonResponse({ status: "misconfigured", missing_or_invalid: config.map((p) => p.split(" ")[0]) }, 503)
        : jsonResponse({ status: "ok" });
    }
    return errorResponse(404, "not_found", "no such route");
  },
} satisfies ExportedHandler<LinkedRolesEnv>;
