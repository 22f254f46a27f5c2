// Interaction payloads look like Discord's, and sendInteraction reports what a Discord user would see:
// a signed request the Worker can verify, and "did not respond" when the 3 s deadline passes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyKey } from "discord-interactions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APP_PERMISSIONS,
  buildInteraction,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  generateDevKeyPair,
  isSnowflake,
  MEMBER_PERMISSIONS,
  sendInteraction,
  type DevKeyPair,
} from "../../support/discord-emulator.ts";

describe("buildInteraction", () => {
  it("builds a guild slash command like Discord sends it", () => {
    const i = buildInteraction({
      type: 2,
      data: { name: "chart", options: [{ type: 3, name: "values", value: "1,2" }] },
    });
    expect(isSnowflake(i.id)).toBe(true);
    expect(i).toMatchObject({
      application_id: DEFAULT_APPLICATION_ID,
      type: 2,
      version: 1,
      app_permissions: APP_PERMISSIONS,
      entitlements: [],
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      locale: "en-US",
      guild_locale: "en-US",
      data: { name: "chart", type: 1, options: [{ type: 3, name: "values", value: "1,2" }] },
    });
    expect(isSnowflake(i.data!.id)).toBe(true);
    expect(i.guild_id).toBe(i.guild!.id);
    expect(i.authorizing_integration_owners).toEqual({ "0": i.guild_id });
    expect(i.member).toMatchObject({ permissions: MEMBER_PERMISSIONS, roles: [], user: { username: "tester" } });
    expect(typeof i.member!.permissions).toBe("string");
    expect(i.user).toBeUndefined();
    expect(i.token.length).toBeGreaterThan(60);
    expect(i.token).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("gives every interaction a fresh id and token", () => {
    const a = buildInteraction({ type: 2, data: { name: "ping" } });
    const b = buildInteraction({ type: 2, data: { name: "ping" } });
    expect(a.id).not.toBe(b.id);
    expect(a.token).not.toBe(b.token);
  });

  it("builds a DM invocation with user and no member", () => {
    const i = buildInteraction({ type: 2, data: { name: "ping" }, guildId: null, user: { id: "42", username: "sam" } });
    expect(i.member).toBeUndefined();
    expect(i.guild_id).toBeUndefined();
    expect(i.user).toMatchObject({ id: "42", username: "sam" });
    expect(i.context).toBe(1);
    expect(i.channel).toMatchObject({ type: 1 });
  });

  it("builds a group DM the bot is not in: context 2, user install only, no guild, a type-3 channel", () => {
    const i = buildInteraction({ type: 2, data: { name: "ping" }, context: 2, locale: "fr", integrationType: 0 });
    expect([i.context, i.guild_id, i.member, i.guild_locale, i.locale]).toEqual([
      2,
      undefined,
      undefined,
      undefined,
      "fr",
    ]);
    expect(i.user).toMatchObject({ id: "1000000000000000003" });
    // Only a user install reaches a private channel, whatever was asked.
    expect(i.authorizing_integration_owners).toEqual({ "1": "1000000000000000003" });
    expect(i.channel).toMatchObject({ id: "1000000000000000011", type: 3 });
    expect(i.channel_id).toBe("1000000000000000011");
    expect(i.app_permissions).not.toBe(buildInteraction({ type: 2, data: { name: "ping" } }).app_permissions);
  });

  it("takes the bot's DM as the user's install by default, or the server's (owner \"0\")", () => {
    expect(buildInteraction({ type: 2, data: { name: "ping" }, context: 1 })).toMatchObject({
      context: 1,
      channel_id: "1000000000000000010",
      authorizing_integration_owners: { "1": "1000000000000000003" },
    });
    expect(
      buildInteraction({ type: 2, data: { name: "ping" }, guildId: null, integrationType: 0 })
        .authorizing_integration_owners,
    ).toEqual({ "0": "0" });
  });

  it("takes member permissions, locale and user-install ownership", () => {
    const i = buildInteraction({
      type: 2,
      data: { name: "admin" },
      member: { permissions: "8" },
      locale: "de",
      integrationType: 1,
    });
    expect(i.member!.permissions).toBe("8");
    expect(i.locale).toBe("de");
    expect(i.authorizing_integration_owners).toEqual({ "1": (i.member!.user as { id: string }).id });
  });

  it("gives component interactions the message they were on; PING has no data or locale", () => {
    const click = buildInteraction({ type: 3, data: { custom_id: "chart:abc" } });
    expect(click.data).toEqual({ component_type: 2, custom_id: "chart:abc" });
    expect(click.message).toMatchObject({ author: { bot: true }, channel_id: click.channel_id });
    const ping = buildInteraction({ type: 1 });
    expect(ping.data).toBeUndefined();
    expect(ping.locale).toBeUndefined();
  });

  it("issueInteraction registers the token and uses the registered command id", async () => {
    const emulator = createDiscordEmulator();
    emulator.state.commands.global.push({
      id: "555555555555555555",
      application_id: DEFAULT_APPLICATION_ID,
      version: "1",
      type: 1,
      name: "chart",
      description: "d",
    });
    const i = emulator.issueInteraction({ type: 2, data: { name: "chart" } });
    expect(i.data!.id).toBe("555555555555555555");
    expect(emulator.conversation(i.token)).toMatchObject({
      interaction_id: i.id,
      interaction_type: 2,
      acknowledged: false,
      messages: [],
    });
  });
});

describe("sendInteraction", () => {
  let keys: DevKeyPair;
  let server: Server;
  let url: string;
  // What the fake Worker does, per test.
  let behaviour: (
    body: string,
    headers: Record<string, string | string[] | undefined>,
  ) => { status: number; type?: string; body?: string; delayMs?: number };

  beforeAll(async () => {
    keys = await generateDevKeyPair();
    server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c) => (raw += c));
      req.on("end", () => {
        const answer = behaviour(raw, req.headers);
        setTimeout(() => {
          res.writeHead(answer.status, answer.type ? { "content-type": answer.type } : {});
          res.end(answer.body ?? "");
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("POSTs the signed raw body and returns the Worker's answer", async () => {
    let verified: Promise<boolean> | undefined;
    behaviour = (raw, headers) => {
      verified = verifyKey(
        raw,
        String(headers["x-signature-ed25519"]),
        String(headers["x-signature-timestamp"]),
        keys.publicKeyHex,
      );
      return { status: 200, type: "application/json", body: JSON.stringify({ type: 4, data: { content: "pong" } }) };
    };
    const payload = buildInteraction({ type: 2, data: { name: "ping" } });
    const result = await sendInteraction(url, payload, keys.privateKeyHex);
    expect(result).toMatchObject({ status: 200, body: { type: 4, data: { content: "pong" } }, timedOut: false });
    expect(result.error).toBeUndefined();
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(await verified).toBe(true);
  });

  it("reports 'The application did not respond' past the deadline", async () => {
    behaviour = () => ({ status: 200, type: "application/json", body: '{"type":5}', delayMs: 400 });
    const result = await sendInteraction(
      url,
      buildInteraction({ type: 2, data: { name: "slow" } }),
      keys.privateKeyHex,
      { deadlineMs: 100 },
    );
    expect(result.timedOut).toBe(true);
    expect(result.status).toBeNull();
    expect(result.error).toMatch(/^The application did not respond/);
    expect(result.ms).toBeGreaterThanOrEqual(90);
    expect(result.ms).toBeLessThan(400);
  });

  it("reports 'This interaction failed' for a component whose Worker errors or answers non-JSON", async () => {
    behaviour = () => ({ status: 500, body: "boom" });
    const click = buildInteraction({ type: 3, data: { custom_id: "x" } });
    expect((await sendInteraction(url, click, keys.privateKeyHex)).error).toMatch(
      /^This interaction failed \(HTTP 500\)/,
    );
    behaviour = () => ({ status: 200, type: "text/plain", body: "ok" });
    expect((await sendInteraction(url, click, keys.privateKeyHex)).error).toMatch(/not a JSON interaction response/);
  });

  it("accepts 202 (the callback endpoint was used instead)", async () => {
    behaviour = () => ({ status: 202 });
    const result = await sendInteraction(url, buildInteraction({ type: 2, data: { name: "x" } }), keys.privateKeyHex);
    expect(result).toMatchObject({ status: 202, timedOut: false });
    expect(result.error).toBeUndefined();
  });

  it("reports the inline answer to the emulator, so @original exists afterwards", async () => {
    const emulator = createDiscordEmulator({ strictTokens: true });
    const payload = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    behaviour = () => ({
      status: 200,
      type: "application/json",
      body: JSON.stringify({ type: 4, data: { content: "pong" } }),
    });
    const result = await sendInteraction(url, payload, keys.privateKeyHex, { emulator });
    expect(result.inlineError).toBeUndefined();
    expect(emulator.messagesFor(payload.token)).toMatchObject([{ role: "original", content: "pong" }]);
    expect(emulator.conversation(payload.token)!.callbacks).toMatchObject([{ type: 4, via: "inline" }]);
  });

  it("surfaces an inline answer the emulator rejects (wrong response type for the interaction)", async () => {
    const emulator = createDiscordEmulator();
    const payload = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    behaviour = () => ({
      status: 200,
      type: "application/json",
      body: JSON.stringify({ type: 8, data: { choices: [] } }),
    });
    const result = await sendInteraction(url, payload, keys.privateKeyHex, { emulator });
    expect(result.inlineError).toMatchObject({ code: 50035 });
  });
});
