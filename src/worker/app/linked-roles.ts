/**
 * Linked Roles from the interactions Worker's side: the OAuth2 flow and the role connection updates live in their
 * own Worker (src/linked-roles/, bound as LINKED_ROLES), which holds the client secret and the token key; this
 * Worker forwards the two browser routes to it and reports each chart. Without the binding, Linked Roles is off.
 */
import { errorResponse, type Env } from "../kit/index.ts";

export function forwardToLinkedRoles(request: Request, env: Env): Promise<Response> | Response {
  return (
    env.LINKED_ROLES?.fetch(request) ??
    errorResponse(
      503,
      "linked_roles_off",
      "Linked Roles is not set up on this bot (its operator binds LINKED_ROLES: DEPLOYMENT.md, section 9)",
    )
  );
}

/** After a chart's final edit (task.after): the Linked Roles Worker counts it and updates the user's role connection. */
export async function reportChart(env: Env, userId: string | undefined, interactionId: string): Promise<void> {
  if (!env.LINKED_ROLES || !userId) return;
  const response = await env.LINKED_ROLES.fetch("https://linked-roles/chart-drawn", {
    method: "POST",
    body: JSON.stringify({ user_id: userId, interaction_id: interactionId }),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== 204) throw new Error(`linked-roles: POST /chart-drawn answered ${response.status}`);
}
