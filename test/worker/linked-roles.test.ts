// Linked Roles end to end in workerd: GET /linked-role → the emulated Discord's authorize page → Authorize →
// GET /discord-oauth-callback → tokens sealed in D1 → the role connection set; a later /chart updates it after the
// final edit. The emulator plays Discord's side (src/emulator/routes/oauth2.ts) and checks every body it receives
// against Discord's API description.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import linkedRolesWorker from "../../src/linked-roles/index.ts";
import { roleConnectionMetadata } from "../../src/linked-roles/metadata.ts";
import { roleConnectionMetadataProblems } from "../../src/linked-roles/metadata-checks.ts";
import { seal as encryptToken, unseal as decryptToken } from "../../src/linked-roles/store.ts";
import { createDiscordEmulator, DEFAULT_USER, fault, type DiscordEmulator } from "../../src/emulator/index.ts";
import { oauthStore } from "../../src/emulator/oauth2-store.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { callDiscord } from "../support/discord-emulator.ts";
import { routeOutbound, serviceBinding } from "../support/outbound.worker.ts";
import { command, sendWith } from "../support/interactions.worker.ts";

const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const SECRET = "test-client-secret";
const ORIGIN = "https://bot.example";
/** The Linked Roles Worker's env (wrangler.linked-roles.toml), sharing the interactions Worker's D1. */
const linkedRolesEnv = (extra: Record<string, unknown>) => ({
  DISCORD_APPLICATION_ID: "100000000000000001",
  DISCORD_API_BASE: "https://discord.test/api/v10",
  DISCORD_CLIENT_SECRET: SECRET,
  TOKEN_ENCRYPTION_KEY: KEY_HEX,
  DB: env.DB,
  ...extra,
});
/** The interactions Worker with LINKED_ROLES bound to the Linked Roles Worker (`extra` changes the latter's env). */
const linkEnv = (extra: Record<string, unknown> = {}) => {
  const lrEnv = linkedRolesEnv(extra);
  return {
    ...env,
    HEAVY_LIMITER: undefined,
    CHART_CACHE: undefined,
    BACKEND_URL,
    RELAY_SECRET: TEST_RELAY_SECRET,
    LINKED_ROLES: serviceBinding((request) => linkedRolesWorker.fetch(request as never, lrEnv as never)),
  };
};

let discord: DiscordEmulator;
let lines: string[];

beforeEach(async () => {
  discord = createDiscordEmulator({ botToken: "test-bot-token" });
  oauthStore(discord.state).clientSecret = SECRET;
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: scriptedBackend().handler });
  lines = [];
  for (const method of ["log", "error", "warn"] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  await env.DB!.exec("DELETE FROM linked_roles");
  // What `npm run register` does first: the application's metadata records, from the Worker's declaration.
  const put = await callDiscord(
    discord,
    "PUT",
    "/applications/100000000000000001/role-connections/metadata",
    roleConnectionMetadata,
    { Authorization: "Bot test-bot-token" },
  );
  expect(put.status).toBe(200);
  discord.reset({ keepCommands: true }); // forget that call (the records stay: reset clears OAuth state, so put them back)
  oauthStore(discord.state).clientSecret = SECRET;
  oauthStore(discord.state).metadata = roleConnectionMetadata.map((r: (typeof roleConnectionMetadata)[number]) => ({
    ...r,
  }));
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

async function workerGet(path: string, workerEnv: Record<string, unknown>, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers }) as never, workerEnv as never, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** /linked-role → Discord's page → the person's choice → the URL Discord sends the browser back to, and the cookie. */
async function authorize(decision: "approve" | "cancel" = "approve", workerEnv = linkEnv()) {
  const start = await workerGet("/linked-role", workerEnv);
  expect(start.status).toBe(302);
  const cookie = /^(linked_role_state=[0-9a-f]+);/.exec(start.headers.get("Set-Cookie") ?? "")![1]!;
  const authorizeUrl = new URL(start.headers.get("Location")!);
  const consent = await discord.fetch(new Request(authorizeUrl));
  expect(consent.status).toBe(200);
  expect(await consent.text()).toContain("Authorize");
  const form = new URLSearchParams(authorizeUrl.searchParams);
  form.set("decision", decision);
  const chosen = await discord.fetch(
    new Request("http://discord.test/oauth2/authorize", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    }),
  );
  expect(chosen.status).toBe(302);
  const back = new URL(chosen.headers.get("Location")!);
  return { start, cookie, authorizeUrl, back, callbackPath: `${back.pathname}${back.search}` };
}

const connection = () => oauthStore(discord.state).roleConnections.get(DEFAULT_USER.id);
const chartBy = (userId: string) =>
  command("chart", [{ type: 3, name: "values", value: "3,5,8" }], {
    member: { user: { id: userId, username: "tester" }, permissions: "0" },
  });

async function drawChart(userId: string) {
  const payload = chartBy(userId);
  const ctx = createExecutionContext();
  const response = await sendWith(payload, linkEnv(), ctx);
  await discord.recordInlineResponse(String(payload.token), await response.clone().json());
  await waitOnExecutionContext(ctx);
}

describe("GET /linked-role", () => {
  it("redirects to Discord's authorize page with the app, the callback, the scopes and a state also set in a cookie", async () => {
    const { start, authorizeUrl } = await authorize();
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe("https://discord.test/oauth2/authorize");
    const q = authorizeUrl.searchParams;
    expect(q.get("client_id")).toBe("100000000000000001");
    expect(q.get("redirect_uri")).toBe(`${ORIGIN}/discord-oauth-callback`);
    expect(q.get("response_type")).toBe("code");
    expect(q.get("scope")!.split(" ").sort()).toEqual(["identify", "role_connections.write"]);
    const cookie = start.headers.get("Set-Cookie")!;
    expect(cookie).toContain(`linked_role_state=${q.get("state")};`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(q.get("state")).toMatch(/^[0-9a-f]{48}$/);
  });

  it("answers 503 naming what is missing when Linked Roles is not configured, and when it is not bound at all", async () => {
    const response = await workerGet(
      "/linked-role",
      linkEnv({ DISCORD_CLIENT_SECRET: undefined, TOKEN_ENCRYPTION_KEY: undefined }),
    );
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("DISCORD_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY");
    const unbound = await workerGet("/linked-role", { ...linkEnv(), LINKED_ROLES: undefined });
    expect(unbound.status).toBe(503);
    expect(await unbound.json()).toMatchObject({ error: { code: "linked_roles_off" } });
    expect(discord.calls()).toEqual([]);
  });

  it("names a TOKEN_ENCRYPTION_KEY that is not 32 bytes of hex on the Linked Roles Worker's /health", async () => {
    const response = await linkedRolesWorker.fetch(
      new Request("https://linked-roles/health") as never,
      linkedRolesEnv({ TOKEN_ENCRYPTION_KEY: "abcd" }) as never,
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ missing_or_invalid: ["TOKEN_ENCRYPTION_KEY"] });
  });

  it("keeps POST /chart-drawn off the interactions Worker's public routes", async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new Request(`${ORIGIN}/chart-drawn`, {
        method: "POST",
        body: JSON.stringify({ user_id: DEFAULT_USER.id, interaction_id: "1" }),
      }) as never,
      linkEnv() as never,
      ctx,
    );
    expect(response.status).toBe(404);
  });
});

describe("GET /discord-oauth-callback", () => {
  it("exchanges the code, stores the tokens sealed, sets the role connection and says so", async () => {
    const { cookie, callbackPath } = await authorize();
    const response = await workerGet(callbackPath, linkEnv(), { Cookie: cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(response.headers.get("Set-Cookie")).toMatch(/^linked_role_state=; .*Max-Age=0/);
    expect(await response.text()).toContain("is linked: 0 charts drawn so far");

    expect(connection()).toEqual({
      platform_name: "edge-discord-bot",
      platform_username: DEFAULT_USER.username,
      metadata: { charts_drawn: "0" },
    });
    const calls = discord.calls().map((c) => `${c.method} ${c.path} ${c.status}`);
    expect(calls).toEqual([
      "POST /api/v10/oauth2/token 200",
      "GET /api/v10/users/@me 200",
      "PUT /api/v10/users/@me/applications/100000000000000001/role-connection 200",
    ]);
    expect(discord.calls()[0]!.body).toEqual({
      json: { grant_type: "authorization_code", code: "[redacted]", redirect_uri: `${ORIGIN}/discord-oauth-callback` },
    });

    const [accessToken] = [...oauthStore(discord.state).accessTokens.keys()];
    const row = await env
      .DB!.prepare("SELECT * FROM linked_roles WHERE user_id = ?")
      .bind(DEFAULT_USER.id)
      .first<Record<string, string>>();
    expect(row!.access_token).not.toContain(accessToken!);
    expect(await decryptToken(hexKey(), DEFAULT_USER.id, row!.access_token!)).toBe(accessToken);
    await expect(decryptToken(hexKey(), "someone else", row!.access_token!)).rejects.toThrow();
  });

  it("refuses a wrong or missing state with 403 and calls nothing", async () => {
    const { cookie, back } = await authorize();
    const forged = new URL(back);
    forged.searchParams.set("state", "0".repeat(48));
    for (const [path, headers] of [
      [`${forged.pathname}${forged.search}`, { Cookie: cookie }],
      [`${back.pathname}${back.search}`, {}],
    ] as const) {
      const response = await workerGet(path, linkEnv(), headers);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("/linked-role");
    }
    expect(discord.calls()).toEqual([]);
    expect(connection()).toBeUndefined();
  });

  it("tells a person who cancelled what to do, and calls nothing", async () => {
    const { cookie, callbackPath } = await authorize("cancel");
    const response = await workerGet(callbackPath, linkEnv(), { Cookie: cookie });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("cancelled");
    expect(discord.calls()).toEqual([]);
  });

  it("answers a used code with a page saying to start again", async () => {
    const { cookie, callbackPath } = await authorize();
    expect((await workerGet(callbackPath, linkEnv(), { Cookie: cookie })).status).toBe(200);
    const again = await workerGet(callbackPath, linkEnv(), { Cookie: cookie });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("expired");
  });

  it("answers Discord's failure with a page saying to wait, and a wrong client secret with one for the operator", async () => {
    let { cookie, callbackPath } = await authorize();
    discord.faults.push(fault.serverError({ method: "POST", path: "/oauth2/token" }));
    const down = await workerGet(callbackPath, linkEnv(), { Cookie: cookie });
    expect(down.status).toBe(502);
    expect(await down.text()).toContain("Wait a minute and try again");

    ({ cookie, callbackPath } = await authorize());
    const wrong = await workerGet(callbackPath, linkEnv({ DISCORD_CLIENT_SECRET: "not-the-secret" }), {
      Cookie: cookie,
    });
    expect(wrong.status).toBe(502);
    expect(await wrong.text()).toContain("tell the bot&#39;s operator".replace("&#39;", "'"));
    expect(connection()).toBeUndefined();
  });

  it("never logs the code, the state or a token", async () => {
    const { cookie, back, callbackPath } = await authorize();
    await workerGet(callbackPath, linkEnv(), { Cookie: cookie });
    await drawChart(DEFAULT_USER.id);
    const secrets = [
      back.searchParams.get("code")!,
      back.searchParams.get("state")!,
      ...oauthStore(discord.state).accessTokens.keys(),
      ...oauthStore(discord.state).refreshTokens.keys(),
      SECRET,
    ];
    expect(lines.some((line) => line.includes("linked_role.callback"))).toBe(true);
    for (const secret of secrets) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
  });
});

describe("after a linked user's chart", () => {
  async function link() {
    const { cookie, callbackPath } = await authorize();
    expect((await workerGet(callbackPath, linkEnv(), { Cookie: cookie })).status).toBe(200);
    discord.state.calls.length = 0;
  }

  it("updates the role connection after the final edit", async () => {
    await link();
    await drawChart(DEFAULT_USER.id);
    expect(connection()!.metadata).toEqual({ charts_drawn: "1" });
    await drawChart(DEFAULT_USER.id);
    expect(connection()!.metadata).toEqual({ charts_drawn: "2" });
    const order = discord
      .calls()
      .map((c) => `${c.method} ${c.path.replace(/webhooks\/.*\/messages/, "webhooks/…/messages")}`);
    expect(order).toEqual([
      "PATCH /api/v10/webhooks/…/messages/@original",
      "PUT /api/v10/users/@me/applications/100000000000000001/role-connection",
      "PATCH /api/v10/webhooks/…/messages/@original",
      "PUT /api/v10/users/@me/applications/100000000000000001/role-connection",
    ]);
  });

  it("refreshes an expired access token first, and stores the new pair sealed", async () => {
    await link();
    await env.DB!.prepare("UPDATE linked_roles SET expires_at = 0").run();
    const before = await env.DB!.prepare("SELECT refresh_token FROM linked_roles").first<{ refresh_token: string }>();
    await drawChart(DEFAULT_USER.id);
    const token = discord.calls({ method: "POST" }).find((c) => c.path === "/api/v10/oauth2/token");
    expect(token!.body).toEqual({ json: { grant_type: "refresh_token", refresh_token: "[redacted]" } });
    expect(connection()!.metadata).toEqual({ charts_drawn: "1" });
    const after = await env
      .DB!.prepare("SELECT refresh_token, expires_at FROM linked_roles")
      .first<{ refresh_token: string; expires_at: number }>();
    expect(after!.refresh_token).not.toBe(before!.refresh_token);
    expect(after!.expires_at).toBeGreaterThan(Date.now());
  });

  it("costs users who have not linked no Discord call", async () => {
    await link();
    await drawChart("777777777777777777");
    expect(discord.calls().map((c) => c.method)).toEqual(["PATCH"]);
    expect(connection()!.metadata).toEqual({ charts_drawn: "0" });
  });

  it("logs a revoked grant as relink_needed; the chart itself is unaffected", async () => {
    await link();
    oauthStore(discord.state).accessTokens.clear();
    await drawChart(DEFAULT_USER.id);
    expect(discord.calls({ method: "PATCH" })[0]!.status).toBe(200);
    expect(lines.find((line) => line.includes("linked_role.update"))).toMatch(/"outcome":"relink_needed"/);
  });
});

describe("the metadata declaration", () => {
  it("keeps to Discord's limits, and the check names what breaks them", () => {
    expect(roleConnectionMetadataProblems(roleConnectionMetadata)).toEqual([]);
    const six = Array.from({ length: 6 }, (_, i) => ({ ...roleConnectionMetadata[0], key: `k${i}` }));
    expect(roleConnectionMetadataProblems(six)).toEqual(["6 records; Discord accepts at most 5"]);
    expect(
      roleConnectionMetadataProblems([
        { ...roleConnectionMetadata[0], key: "Charts Drawn" },
        { ...roleConnectionMetadata[0], description: "" },
      ]),
    ).toEqual([
      'record 1 ("Charts Drawn"): the key must be 1-50 characters of a-z, 0-9 and _',
      'record 2 ("charts_drawn"): description must be 1-200 characters',
    ]);
  });

  it("seals tokens so that another key cannot open them", async () => {
    const sealed = await encryptToken(hexKey(), "1", "secret-token");
    const other = new Uint8Array(32).fill(7);
    await expect(decryptToken(other, "1", sealed)).rejects.toThrow();
  });
});

function hexKey(): Uint8Array {
  return new Uint8Array(KEY_HEX.match(/../g)!.map((h) => parseInt(h, 16)));
}
