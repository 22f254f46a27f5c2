// Discord's OAuth2 as the Linked Roles flow meets it (discord.com/developers/docs/topics/oauth2):
//   GET  /oauth2/authorize           the consent page, with Authorize and Cancel (outside /api, as on discord.com);
//   POST /oauth2/authorize           the person's choice: 302 to redirect_uri with ?code&state, or ?error=access_denied;
//   POST /api/v10/oauth2/token       authorization_code and refresh_token grants, form-encoded, client auth by HTTP
//                                    Basic or client_id/client_secret fields; codes are single-use and last 10 minutes;
//   GET  /api/v10/users/@me          with a Bearer token holding `identify`;
//   GET/PUT /api/v10/users/@me/applications/{app}/role-connection   with `role_connections.write`;
//   GET/PUT /api/v10/applications/{app}/role-connections/metadata   with the bot token (≤ 5 records).
// Codes and tokens never reach the call log: the token endpoint's recorded body has them replaced.

import { SPEC_OPERATIONS } from "../conformance.ts";
import type { BodyResult } from "../discord-body.ts";
import { discordError, invalidFormBody, unauthorized } from "../errors.ts";
import {
  credential,
  oauthStore,
  type OAuthGrant,
  type OAuthStore,
  type RoleConnectionMetadataRecord,
} from "../oauth2-store.ts";
import type { Route, RouteContext } from "../router.ts";
import { DEFAULT_USER } from "../signed-interactions.ts";
import type { EmulatorState } from "../state.ts";
import { botUserOf } from "./emojis.ts";

const CODE_LIFETIME_MS = 10 * 60_000;
/** Discord's access tokens last 7 days. */
const ACCESS_TOKEN_LIFETIME_S = 604_800;
const BUCKET = { limit: 5, windowMs: 1_000 };
export const TOKEN_PATH = "/oauth2/token";
const KNOWN_SCOPES = new Set([
  "identify",
  "email",
  "guilds",
  "role_connections.write",
  "applications.commands",
  "bot",
  "connections",
]);
const SECRET_FIELDS = new Set(["code", "refresh_token", "client_secret"]);

/** A form body as text (decoded from bytes: workerd warns on .text() of a form-encoded body). */
async function formText(request: Request): Promise<string> {
  return new TextDecoder().decode(await request.arrayBuffer());
}

// ---------------------------------------------------------------- the authorize page (a browser's GET and POST)

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function htmlPage(status: number, body: string): Response {
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Discord (emulated): authorize</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:1.5rem;color:#dbdee1;background:#313338;border-radius:8px}
h1{font-size:1.3rem;color:#f2f3f5}button{font:inherit;padding:.5rem 1.2rem;border:0;border-radius:4px;margin-right:.5rem;cursor:pointer}
.approve{background:#5865f2;color:#fff}.cancel{background:#4e5058;color:#fff}li{margin:.2rem 0}</style></head><body>${body}</body></html>`,
    { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } },
  );
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
}

/** Checks the authorize query as Discord does before showing consent; a string is the problem. */
function readAuthorize(state: EmulatorState, params: URLSearchParams): AuthorizeRequest | string {
  const clientId = params.get("client_id") ?? "";
  if (clientId !== state.applicationId)
    return `Unknown application: client_id ${JSON.stringify(clientId)} is not ${state.applicationId}.`;
  if (params.get("response_type") !== "code") return 'response_type must be "code" (the authorization code grant).';
  const redirectUri = params.get("redirect_uri") ?? "";
  if (!/^https?:\/\/[^\s]+$/.test(redirectUri))
    return "Invalid OAuth2 redirect_uri: it must be an http(s) URL registered in the Developer Portal.";
  const scopes = (params.get("scope") ?? "").split(/[\s+]+/).filter(Boolean);
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (scopes.length === 0 || unknown.length > 0) return `Invalid scope: ${unknown.join(", ") || "(none)"}.`;
  return { clientId, redirectUri, scopes, state: params.get("state") };
}

const SCOPE_TEXT: Record<string, string> = {
  identify: "Access your username, avatar and banner",
  "role_connections.write": "Update your role connection metadata (Linked Roles)",
  email: "Access your email address",
  guilds: "Know what servers you're in",
};

/** GET /oauth2/authorize and POST /oauth2/authorize (the Authorize or Cancel button). */
export async function handleAuthorizePage(
  state: EmulatorState,
  request: Request,
  url: URL,
  now: number,
  log: (event: Record<string, unknown>) => void,
): Promise<Response | null> {
  if (url.pathname !== "/oauth2/authorize") return null;
  if (request.method === "GET") {
    const asked = readAuthorize(state, url.searchParams);
    if (typeof asked === "string") return htmlPage(400, `<h1>Invalid authorization request</h1><p>${esc(asked)}</p>`);
    const hidden = [...url.searchParams]
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join("");
    return htmlPage(
      200,
      `<h1>An external application wants to access your Discord account</h1>
<p>Application ${esc(state.applicationId)} · signed in as <b>${esc(DEFAULT_USER.global_name ?? DEFAULT_USER.username)}</b></p>
<p>This will allow the developer to:</p><ul>${asked.scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)}</li>`).join("")}</ul>
<p>Once you authorize, you will be redirected to: <code>${esc(asked.redirectUri)}</code></p>
<form method="post" action="/oauth2/authorize">${hidden}<button class="cancel" name="decision" value="cancel">Cancel</button><button class="approve" name="decision" value="approve">Authorize</button></form>`,
    );
  }
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { Allow: "GET, POST" } });
  const form = new URLSearchParams(await formText(request));
  const asked = readAuthorize(state, form);
  if (typeof asked === "string") return htmlPage(400, `<h1>Invalid authorization request</h1><p>${esc(asked)}</p>`);
  const target = new URL(asked.redirectUri);
  if (form.get("decision") === "approve") {
    const code = credential();
    oauthStore(state).codes.set(code, {
      userId: DEFAULT_USER.id,
      scopes: asked.scopes,
      redirectUri: asked.redirectUri,
      expiresAt: now + CODE_LIFETIME_MS,
    });
    target.searchParams.set("code", code);
    log({ event: "emulator.oauth2.authorized", user_id: DEFAULT_USER.id, scopes: asked.scopes.join(" ") });
  } else {
    target.searchParams.set("error", "access_denied");
    target.searchParams.set("error_description", "The resource owner or authorization server denied the request");
    log({ event: "emulator.oauth2.cancelled", user_id: DEFAULT_USER.id });
  }
  if (asked.state !== null) target.searchParams.set("state", asked.state);
  return new Response(null, { status: 302, headers: { Location: target.toString() } });
}

// ---------------------------------------------------------------- the token endpoint (form-encoded, not JSON)

/** The token endpoint's body: form fields only, as Discord requires; the recorded copy hides the secrets. */
export async function readTokenBody(request: Request): Promise<BodyResult> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const text = await formText(request);
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    return {
      ok: false,
      response: Response.json(
        {
          error: "invalid_request",
          error_description: "emulator(oauth2): the token endpoint takes application/x-www-form-urlencoded",
        },
        { status: 400 },
      ),
      summary: null,
    };
  }
  const fields = Object.fromEntries(new URLSearchParams(text));
  return { ok: true, body: { kind: "json", payload: fields, files: [] } };
}

export function redactTokenBody(payload: unknown): unknown {
  if (typeof payload !== "object" || payload === null) return payload;
  return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? "[redacted]" : v]));
}

const oauthError = (status: number, error: string, description: string) =>
  Response.json({ error, error_description: description }, { status });

function clientOf(ctx: RouteContext, fields: Record<string, string>): { id: string; secret: string } | null {
  const basic = /^Basic (\S+)$/.exec(ctx.request.headers.get("authorization") ?? "");
  if (basic) {
    try {
      const decoded = atob(basic[1]!);
      const colon = decoded.indexOf(":");
      return colon < 0
        ? null
        : { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return null;
    }
  }
  return fields.client_id && fields.client_secret ? { id: fields.client_id, secret: fields.client_secret } : null;
}

function issueTokens(store: OAuthStore, grant: Omit<OAuthGrant, "expiresAt">, now: number): Response {
  const accessToken = credential();
  const refreshToken = credential();
  store.accessTokens.set(accessToken, { ...grant, expiresAt: now + ACCESS_TOKEN_LIFETIME_S * 1000 });
  store.refreshTokens.set(refreshToken, grant);
  return Response.json({
    token_type: "Bearer",
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_LIFETIME_S,
    refresh_token: refreshToken,
    scope: grant.scopes.join(" "),
  });
}

function token(ctx: RouteContext): Response {
  const store = oauthStore(ctx.state);
  const fields = (ctx.body.payload ?? {}) as Record<string, string>;
  const client = clientOf(ctx, fields);
  if (
    !client ||
    client.id !== ctx.state.applicationId ||
    !client.secret ||
    (store.clientSecret !== undefined && client.secret !== store.clientSecret)
  ) {
    return oauthError(
      401,
      "invalid_client",
      "Invalid client credentials (client id and secret, by HTTP Basic or the form)",
    );
  }
  if (fields.grant_type === "authorization_code") {
    const grant = fields.code ? store.codes.get(fields.code) : undefined;
    if (fields.code) store.codes.delete(fields.code); // single use, even when refused below
    if (!grant || grant.expiresAt <= ctx.now) return oauthError(400, "invalid_grant", 'Invalid "code" in request.');
    if (fields.redirect_uri !== grant.redirectUri)
      return oauthError(400, "invalid_grant", 'Invalid "redirect_uri" in request.');
    return issueTokens(store, { userId: grant.userId, scopes: grant.scopes }, ctx.now);
  }
  if (fields.grant_type === "refresh_token") {
    const grant = fields.refresh_token ? store.refreshTokens.get(fields.refresh_token) : undefined;
    if (!grant) return oauthError(400, "invalid_grant", "Invalid refresh token");
    store.refreshTokens.delete(fields.refresh_token!); // rotated: the old refresh token stops working
    return issueTokens(store, grant, ctx.now);
  }
  return oauthError(400, "unsupported_grant_type", `Unsupported grant type ${JSON.stringify(fields.grant_type ?? "")}`);
}

// ---------------------------------------------------------------- Bearer routes

function bearer(ctx: RouteContext, scope: string): OAuthGrant | Response {
  const match = /^Bearer (\S+)$/.exec(ctx.request.headers.get("authorization") ?? "");
  const grant = match ? oauthStore(ctx.state).accessTokens.get(match[1]!) : undefined;
  if (!grant || grant.expiresAt <= ctx.now) return unauthorized();
  if (!grant.scopes.includes(scope)) return discordError(403, 50001, "Missing Access");
  return grant;
}

function currentUser(ctx: RouteContext): Response {
  // With the bot token: the bot user (`npm run register` asks who it is before touching emojis).
  const bot = /^Bot (\S+)$/.exec(ctx.request.headers.get("authorization") ?? "");
  if (bot)
    return ctx.state.botToken === undefined || bot[1] === ctx.state.botToken
      ? Response.json({ ...botUserOf(ctx.state), bot: true, discriminator: "0", global_name: null, avatar: null })
      : unauthorized();
  const grant = bearer(ctx, "identify");
  if (grant instanceof Response) return grant;
  const user =
    grant.userId === DEFAULT_USER.id
      ? DEFAULT_USER
      : { ...DEFAULT_USER, id: grant.userId, username: `user${grant.userId.slice(-4)}` };
  return Response.json({ ...user, bot: false, mfa_enabled: false, locale: "en-US", flags: 0, premium_type: 0 });
}

const INTEGER_TYPES = new Set([1, 2, 3, 4]);

function getRoleConnection(ctx: RouteContext): Response {
  const grant = bearer(ctx, "role_connections.write");
  if (grant instanceof Response) return grant;
  return Response.json(
    oauthStore(ctx.state).roleConnections.get(grant.userId) ?? {
      platform_name: null,
      platform_username: null,
      metadata: {},
    },
  );
}

function putRoleConnection(ctx: RouteContext): Response {
  const grant = bearer(ctx, "role_connections.write");
  if (grant instanceof Response) return grant;
  const store = oauthStore(ctx.state);
  const body = (ctx.body.payload ?? {}) as {
    platform_name?: string | null;
    platform_username?: string | null;
    metadata?: Record<string, string> | null;
  };
  // Discord checks values against the app's records: a key it does not know, or a non-integer for an integer type.
  const records = new Map(store.metadata.map((r) => [r.key, r]));
  const errors = Object.entries(body.metadata ?? {}).flatMap(([key, value]) => {
    const record = records.get(key);
    if (!record)
      return [
        {
          path: `metadata.${key}`,
          code: "APPLICATION_ROLE_CONNECTION_METADATA_KEY_UNKNOWN",
          message: `emulator(role-connection): "${key}" is not one of the application's metadata records (register them first)`,
        },
      ];
    if (INTEGER_TYPES.has(record.type) && !/^-?\d+$/.test(value))
      return [{ path: `metadata.${key}`, code: "NUMBER_TYPE_COERCE", message: `"${value}" is not an integer` }];
    return [];
  });
  if (errors.length > 0) return invalidFormBody(errors);
  const connection = {
    platform_name: body.platform_name ?? null,
    platform_username: body.platform_username ?? null,
    metadata: { ...(body.metadata ?? {}) },
  };
  store.roleConnections.set(grant.userId, connection);
  ctx.log({ event: "emulator.role_connection", user_id: grant.userId, keys: Object.keys(connection.metadata) });
  return Response.json(connection);
}

// ---------------------------------------------------------------- the application's metadata records (bot token)

const MAX_METADATA_RECORDS = 5;

function getMetadata(ctx: RouteContext): Response {
  return Response.json(oauthStore(ctx.state).metadata);
}

function putMetadata(ctx: RouteContext): Response {
  const records = ctx.body.payload;
  if (!Array.isArray(records))
    return invalidFormBody([{ path: "", code: "BASE_TYPE_ARRAY", message: "Must be an array" }]);
  if (records.length > MAX_METADATA_RECORDS)
    return invalidFormBody([
      { path: "", code: "BASE_TYPE_MAX_LENGTH", message: `Must be ${MAX_METADATA_RECORDS} or fewer in length.` },
    ]);
  const keys = (records as RoleConnectionMetadataRecord[]).map((r) => r.key);
  const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (twice >= 0)
    return invalidFormBody([
      { path: `${twice}.key`, code: "APPLICATION_ROLE_CONNECTION_METADATA_KEY_DUPLICATE", message: "Duplicate key" },
    ]);
  if (keys.some((k) => !/^[a-z0-9_]{1,50}$/.test(k)))
    return invalidFormBody([
      {
        path: `${keys.findIndex((k) => !/^[a-z0-9_]{1,50}$/.test(k))}.key`,
        code: "STRING_TYPE_REGEX",
        message: "String value did not match validation regex.",
      },
    ]);
  oauthStore(ctx.state).metadata = (records as RoleConnectionMetadataRecord[]).map((r) => ({ ...r }));
  return Response.json(oauthStore(ctx.state).metadata);
}

export const oauth2Routes: Route[] = [
  { method: "POST", template: TOKEN_PATH, auth: false, bucket: BUCKET, major: [], handler: token },
  { method: "GET", template: "/users/@me", auth: false, bucket: BUCKET, major: [], handler: currentUser },
  {
    method: "GET",
    template: "/users/@me/applications/:app/role-connection",
    auth: false,
    bucket: BUCKET,
    major: [],
    handler: (ctx) =>
      ctx.params.app === ctx.state.applicationId
        ? getRoleConnection(ctx)
        : discordError(404, 10002, "Unknown Application"),
  },
  {
    method: "PUT",
    template: "/users/@me/applications/:app/role-connection",
    auth: false,
    bucket: BUCKET,
    major: [],
    spec: SPEC_OPERATIONS.updateRoleConnection,
    handler: (ctx) =>
      ctx.params.app === ctx.state.applicationId
        ? putRoleConnection(ctx)
        : discordError(404, 10002, "Unknown Application"),
  },
  {
    method: "GET",
    template: "/applications/:app/role-connections/metadata",
    auth: true,
    bucket: BUCKET,
    major: [],
    handler: getMetadata,
  },
  {
    method: "PUT",
    template: "/applications/:app/role-connections/metadata",
    auth: true,
    bucket: BUCKET,
    major: [],
    spec: SPEC_OPERATIONS.updateRoleConnectionsMetadata,
    handler: putMetadata,
  },
];
