/**
 * The Linked Roles Verification URL and the OAuth2 redirect:
 *   GET /linked-role            → 302 to Discord's authorize page, with a one-time `state` also set in a cookie;
 *   GET /discord-oauth-callback → the state must match the cookie (else 403, and no Discord call: a forged or
 *                                 replayed link), then code → tokens → /users/@me → stored sealed → the role
 *                                 connection is PUT → a page saying it worked.
 * After Discord's "Configuring App Metadata for Linked Roles" tutorial
 * (discord.com/developers/docs/tutorials/configuring-app-metadata-for-linked-roles) and RFC 6749 §10.12 (CSRF and
 * `state`). Log lines name the user and the outcome, never the code, the state or a token.
 */
import { describeError, log } from "../worker/kit/log.ts";
import { readLinkedRolesConfig, type LinkedRolesConfig, type LinkedRolesEnv as Env } from "./config.ts";
import { currentUser, grant, putRoleConnection, type OAuthFailure } from "./oauth.ts";
import { saveTokens } from "./store.ts";

const COOKIE = "linked_role_state";
const ATTRIBUTES = "Path=/; HttpOnly; Secure; SameSite=Lax";
const AGAIN = " Open /linked-role to start again.";

/** A one-paragraph page, never cached or framed; every callback answer also clears the state cookie. */
function page(status: number, text: string, clear = true): Response {
  const escaped = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return new Response(`<!doctype html><meta charset="utf-8"><title>Linked Roles</title><p>${escaped}`, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      ...(clear ? { "Set-Cookie": `${COOKIE}=; Max-Age=0; ${ATTRIBUTES}` } : {}),
    },
  });
}

/** The config, or the page naming what the operator has to set (names only, never values). */
function linkedRoles(env: Env, clear = true): LinkedRolesConfig | Response {
  const config = readLinkedRolesConfig(env);
  if (!Array.isArray(config)) return config;
  log("linked_role.misconfigured", { level: "error", missing_or_invalid: config.map((p) => p.split(" ")[0]) });
  return page(
    503,
    `Linking is not set up yet: the bot's operator has to set ${config.map((p) => p.split(" ")[0]).join(", ")}.`,
    clear,
  );
}

const callbackUrl = (request: Request) => `${new URL(request.url).origin}/discord-oauth-callback`;

export function startLink(request: Request, env: Env): Response {
  const ready = linkedRoles(env, false);
  if (ready instanceof Response) return ready;
  const state = Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => b.toString(16).padStart(2, "0")).join("");
  const query = new URLSearchParams({
    client_id: ready.applicationId,
    redirect_uri: callbackUrl(request),
    response_type: "code",
    scope: "role_connections.write identify",
    state,
  });
  // 10 minutes: long enough to read Discord's consent page, short enough that a leaked state is soon worthless.
  return new Response(null, {
    status: 302,
    headers: {
      Location: `${new URL(ready.discordApiBase).origin}/oauth2/authorize?${query}`,
      "Set-Cookie": `${COOKIE}=${state}; Max-Age=600; ${ATTRIBUTES}`,
      "Cache-Control": "no-store",
    },
  });
}

export async function finishLink(request: Request, env: Env): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const state = params.get("state") ?? "";
  const expected = /(?:^|;\s*)linked_role_state=([0-9a-f]{48})/.exec(request.headers.get("Cookie") ?? "")?.[1];
  // Both are 48 hex characters from our own generator; compared in full, without an early exit.
  let diff = state.length ^ 48;
  for (let i = 0; i < 48; i++) diff |= state.charCodeAt(i) ^ (expected?.charCodeAt(i) ?? -1);
  if (diff !== 0 || !expected) {
    log("linked_role.callback", { outcome: "bad_state" });
    return page(403, `This link did not start here, or it is over 10 minutes old.${AGAIN}`);
  }
  const ready = linkedRoles(env);
  if (ready instanceof Response) return ready;
  const code = params.get("code");
  if (!code) {
    log("linked_role.callback", { outcome: "declined", discord_error: params.get("error")?.slice(0, 40) });
    return page(400, `Nothing was linked: you cancelled on Discord's page.${AGAIN}`);
  }
  let userId: string | undefined;
  try {
    const tokens = await grant(ready, ready.clientSecret, { code, redirect_uri: callbackUrl(request) });
    const user = await currentUser(ready, tokens.access_token);
    userId = user.id;
    const link = await saveTokens(ready.db, ready.tokenEncryptionKey, userId, tokens, Date.now());
    await putRoleConnection(ready, tokens.access_token, { charts_drawn: link.charts_drawn }, user.username);
    log("linked_role.callback", { outcome: "linked", user_id: userId, charts_drawn: link.charts_drawn });
    return page(
      200,
      `${user.username} is linked: ${link.charts_drawn} charts drawn so far, updated after each /chart. You can close this page.`,
    );
  } catch (error) {
    const kind = (error as Partial<OAuthFailure>).kind ?? "storage";
    log("linked_role.callback", {
      outcome: kind,
      level: kind === "grant" ? "warn" : "error",
      user_id: userId,
      error: describeError(error),
    });
    if (kind === "grant") return page(400, `Discord's code has expired or was used.${AGAIN}`);
    if (kind === "scope") return page(403, `Linking needs both permissions on Discord's page.${AGAIN}`);
    if (kind === "auth")
      return page(
        502,
        "Discord refused the bot's OAuth2 client secret or redirect URL: please tell the bot's operator.",
      );
    return page(
      kind === "storage" ? 503 : 502,
      `Discord or the bot failed just now. Wait a minute and try again.${AGAIN}`,
    );
  }
}
