// The emulated Discord's OAuth2 and Linked Roles side (src/emulator/routes/oauth2.ts): the authorize page, the
// token endpoint's rules (form bodies, client auth, single-use codes, rotated refresh tokens), Bearer scopes, the
// metadata records' limits, role connection values checked against them, and what the playground's feed shows.
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  DEFAULT_USER_ID,
  IN_PROCESS_ORIGIN,
  TEST_USER_AGENT,
  type DiscordEmulator,
} from "../../support/discord-emulator.ts";
import { oauthStore } from "../../../src/emulator/oauth2-store.ts";
import { takeSpecViolations } from "../../support/spec.ts";

const BOT = { Authorization: "Bot test-bot-token" };
const REDIRECT = "http://127.0.0.1:8787/discord-oauth-callback";
const RECORD = { type: 2, key: "charts_drawn", name: "Charts drawn", description: "Charts drawn at least" };
const basic = (secret = "s3cret") => ({ Authorization: `Basic ${btoa(`${DEFAULT_APPLICATION_ID}:${secret}`)}` });

const authorizeQuery = (extra: Record<string, string> = {}) =>
  new URLSearchParams({
    client_id: DEFAULT_APPLICATION_ID,
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "role_connections.write identify",
    state: "st4te",
    ...extra,
  });

async function approve(emulator: DiscordEmulator, decision = "approve"): Promise<URL> {
  const form = authorizeQuery({ decision });
  const response = await emulator.fetch(
    new Request(`${IN_PROCESS_ORIGIN}/oauth2/authorize`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    }),
  );
  expect(response.status).toBe(302);
  return new URL(response.headers.get("Location")!);
}

function tokenCall(
  emulator: DiscordEmulator,
  fields: Record<string, string>,
  headers: Record<string, string> = basic(),
) {
  return emulator.fetch(
    new Request(`${IN_PROCESS_ORIGIN}/api/v10/oauth2/token`, {
      method: "POST",
      headers: { "User-Agent": TEST_USER_AGENT, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

async function linkedToken(emulator: DiscordEmulator): Promise<{ access_token: string; refresh_token: string }> {
  const code = (await approve(emulator)).searchParams.get("code")!;
  const response = await tokenCall(emulator, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

describe("the authorize page", () => {
  it("shows the scopes with Authorize and Cancel, and refuses another application's client_id", async () => {
    const emulator = createDiscordEmulator();
    const page = await emulator.fetch(new Request(`${IN_PROCESS_ORIGIN}/oauth2/authorize?${authorizeQuery()}`));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Update your role connection metadata");
    expect(html).toContain(">Authorize</button>");
    expect(html).toContain(">Cancel</button>");
    const wrong = await emulator.fetch(
      new Request(`${IN_PROCESS_ORIGIN}/oauth2/authorize?${authorizeQuery({ client_id: "42" })}`),
    );
    expect(wrong.status).toBe(400);
  });

  it("sends the browser back with a code and the state, or with access_denied", async () => {
    const emulator = createDiscordEmulator();
    const approved = await approve(emulator);
    expect(`${approved.origin}${approved.pathname}`).toBe(REDIRECT);
    expect(approved.searchParams.get("code")).toMatch(/^[0-9a-z]{30}$/);
    expect(approved.searchParams.get("state")).toBe("st4te");
    const cancelled = await approve(emulator, "cancel");
    expect(cancelled.searchParams.get("error")).toBe("access_denied");
    expect(cancelled.searchParams.has("code")).toBe(false);
  });
});

describe("POST /oauth2/token", () => {
  it("takes a code once, for its redirect_uri, and never records it", async () => {
    const emulator = createDiscordEmulator();
    const code = (await approve(emulator)).searchParams.get("code")!;
    const tokens = await (
      await tokenCall(emulator, { grant_type: "authorization_code", code, redirect_uri: REDIRECT })
    ).json();
    expect(tokens).toMatchObject({
      token_type: "Bearer",
      expires_in: 604800,
      scope: "role_connections.write identify",
    });
    const again = await tokenCall(emulator, { grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
    expect(JSON.stringify(emulator.calls())).not.toContain(code);
  });

  it("refuses JSON, a wrong client secret when one is set, and a redirect_uri that differs", async () => {
    const emulator = createDiscordEmulator();
    oauthStore(emulator.state).clientSecret = "s3cret";
    const json = await callDiscord(emulator, "POST", "/oauth2/token", { grant_type: "authorization_code" }, basic());
    expect(json.status).toBe(400);
    const code = (await approve(emulator)).searchParams.get("code")!;
    expect(
      (await tokenCall(emulator, { grant_type: "authorization_code", code, redirect_uri: REDIRECT }, basic("nope")))
        .status,
    ).toBe(401);
    const code2 = (await approve(emulator)).searchParams.get("code")!;
    const moved = await tokenCall(emulator, {
      grant_type: "authorization_code",
      code: code2,
      redirect_uri: "http://elsewhere.example/cb",
    });
    expect(await moved.json()).toMatchObject({ error: "invalid_grant" });
    // client_id and client_secret in the form work as well as HTTP Basic.
    const code3 = (await approve(emulator)).searchParams.get("code")!;
    expect(
      (
        await tokenCall(
          emulator,
          {
            grant_type: "authorization_code",
            code: code3,
            redirect_uri: REDIRECT,
            client_id: DEFAULT_APPLICATION_ID,
            client_secret: "s3cret",
          },
          {},
        )
      ).status,
    ).toBe(200);
  });

  it("rotates refresh tokens: the old one stops working", async () => {
    const emulator = createDiscordEmulator();
    const { refresh_token } = await linkedToken(emulator);
    expect((await tokenCall(emulator, { grant_type: "refresh_token", refresh_token })).status).toBe(200);
    expect((await tokenCall(emulator, { grant_type: "refresh_token", refresh_token })).status).toBe(400);
  });
});

describe("Bearer routes and the metadata records", () => {
  it("answers /users/@me and role connections for the token's user, checked against the app's records", async () => {
    const emulator = createDiscordEmulator();
    expect(
      (
        await callDiscord(
          emulator,
          "PUT",
          `/applications/${DEFAULT_APPLICATION_ID}/role-connections/metadata`,
          [RECORD],
          BOT,
        )
      ).status,
    ).toBe(200);
    const { access_token } = await linkedToken(emulator);
    const bearer = { Authorization: `Bearer ${access_token}` };
    expect((await callDiscord(emulator, "GET", "/users/@me", undefined, bearer)).json).toMatchObject({
      id: DEFAULT_USER_ID,
    });
    expect((await callDiscord(emulator, "GET", "/users/@me", undefined, { Authorization: "Bearer nope" })).status).toBe(
      401,
    );
    const path = `/users/@me/applications/${DEFAULT_APPLICATION_ID}/role-connection`;
    const unknown = await callDiscord(emulator, "PUT", path, { metadata: { stars: "3" } }, bearer);
    expect(unknown.status).toBe(400);
    expect((await callDiscord(emulator, "PUT", path, { metadata: { charts_drawn: "three" } }, bearer)).status).toBe(
      400,
    );
    expect(
      (await callDiscord(emulator, "PUT", path, { platform_name: "bot", metadata: { charts_drawn: "3" } }, bearer))
        .status,
    ).toBe(200);
    expect((await callDiscord(emulator, "GET", path, undefined, bearer)).json).toEqual({
      platform_name: "bot",
      platform_username: null,
      metadata: { charts_drawn: "3" },
    });
    expect(emulator.feed().app.linked_role).toEqual({
      platform_name: "bot",
      platform_username: null,
      values: [{ key: "charts_drawn", name: "Charts drawn", value: "3" }],
    });
  });

  it("refuses more than 5 records, and a record Discord's description refuses", async () => {
    const emulator = createDiscordEmulator();
    const six = Array.from({ length: 6 }, (_, i) => ({ ...RECORD, key: `k${i}` }));
    const tooMany = await callDiscord(
      emulator,
      "PUT",
      `/applications/${DEFAULT_APPLICATION_ID}/role-connections/metadata`,
      six,
      BOT,
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.json).toMatchObject({ code: 50035 });
    const badType = await callDiscord(
      emulator,
      "PUT",
      `/applications/${DEFAULT_APPLICATION_ID}/role-connections/metadata`,
      [{ ...RECORD, type: 9 }],
      BOT,
    );
    expect(badType.status).toBe(400);
    expect(takeSpecViolations().map((v) => v.message)).toEqual([
      expect.stringMatching(
        /^discord-api-spec\(ApplicationRoleConnectionsMetadataItemRequest\[\]\) update_application_role_connections_metadata: \[0\]\.type/,
      ),
    ]);
  });
});
