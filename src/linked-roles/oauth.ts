/**
 * The OAuth2 side of Linked Roles, after Discord's "OAuth2" and "Configuring App Metadata for Linked Roles" docs
 * (discord.com/developers/docs/topics/oauth2, discord.com/developers/docs/tutorials/configuring-app-metadata-for-linked-roles):
 * the code and refresh grants at POST {api}/oauth2/token (form-encoded, the client authenticated with HTTP Basic),
 * GET {api}/users/@me and PUT {api}/users/@me/applications/{application.id}/role-connection with the user's Bearer
 * token. Every call has a deadline and no retry: the callback page is in front of a person who can click again, and
 * the after-chart update runs again at the next chart.
 */
import type { RESTGetAPICurrentUserResult, RESTPostOAuth2AccessTokenResult } from "discord-api-types/v10";
import { USER_AGENT } from "../worker/kit/discord/rest.ts";
import type { LinkedRolesConfig as Config } from "./config.ts";
import { ROLE_CONNECTION_PLATFORM, type RoleConnectionValues, type roleConnectionMetadata } from "./metadata.ts";

/** What went wrong, for the page and the log: `grant` (code or refresh token no good: link again), `auth` (the app's own credentials), `scope`, `unavailable`. */
export type OAuthFailure = Error & { kind: "grant" | "auth" | "scope" | "unavailable" };

const failure = (kind: OAuthFailure["kind"], message: string): OAuthFailure =>
  Object.assign(new Error(`linked-roles(oauth): ${message}`), { kind });

async function call(
  config: Config,
  path: string,
  init: { method?: string; headers: Record<string, string>; body?: string },
): Promise<any> {
  const response = await fetch(config.discordApiBase + path, {
    ...init,
    headers: { "User-Agent": USER_AGENT, ...init.headers },
    signal: AbortSignal.timeout(5_000),
  }).catch(() => {
    throw failure("unavailable", `${path}: no answer within 5 s`);
  });
  // OAuth2 errors are {error}, API errors {message, code} (RFC 6749 §5.2): neither carries a secret.
  const body: any = await response.json().catch(() => null);
  if (response.ok) return body;
  const kind =
    body?.error === "invalid_client"
      ? "auth"
      : response.status === 400 || response.status === 401
        ? "grant"
        : response.status === 403
          ? "scope"
          : "unavailable";
  throw failure(
    kind,
    `${path.replace(/\d{15,}/, ":id")} answered ${response.status} ${body?.error ?? body?.message ?? ""}`,
  );
}

/** The code grant (`{ code, redirect_uri }`) or a refresh (`{ refresh_token }`). */
export async function grant(
  config: Config,
  clientSecret: string,
  form: Record<string, string>,
): Promise<RESTPostOAuth2AccessTokenResult> {
  const tokens: RESTPostOAuth2AccessTokenResult = await call(config, "/oauth2/token", {
    method: "POST",
    headers: {
      Authorization: `Basic ${btoa(`${config.applicationId}:${clientSecret}`)}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: form.code ? "authorization_code" : "refresh_token", ...form }).toString(),
  });
  if (!tokens.scope.split(" ").includes("role_connections.write"))
    throw failure("scope", "the grant lacks role_connections.write");
  return tokens;
}

export const currentUser = (config: Config, accessToken: string): Promise<RESTGetAPICurrentUserResult> =>
  call(config, "/users/@me", { headers: { Authorization: `Bearer ${accessToken}` } });

/** PUTs the user's role connection, typed from the records (metadata.ts); Discord takes strings: integers in decimal, booleans 1/0, dates ISO 8601. */
export async function putRoleConnection(
  config: Config,
  accessToken: string,
  values: RoleConnectionValues<typeof roleConnectionMetadata>,
  username?: string,
): Promise<void> {
  await call(config, `/users/@me/applications/${config.applicationId}/role-connection`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      platform_name: ROLE_CONNECTION_PLATFORM,
      ...(username ? { platform_username: username } : {}),
      metadata: Object.fromEntries(
        Object.entries(values as Record<string, number | boolean | Date>).map(([key, value]) => [
          key,
          value instanceof Date ? value.toISOString() : String(+value),
        ]),
      ),
    }),
  });
}
