// The emulator enforcing Discord's rate limits (src/emulator/enforce.ts), on a fake clock: the global 50 bot-token
// requests per second (interaction webhooks exempt), per-route buckets as their headers announce them, and shared
// resource limits; each 429 shaped as Discord's (headers, JSON body) and counted as planned or not.
import { beforeEach, describe, expect, it } from "vitest";
import {
  createDiscordEmulator,
  DEFAULT_CHANNEL_ID,
  fault,
  TEST_USER_AGENT,
  type DiscordEmulator,
} from "../../support/discord-emulator.ts";

const APP = "100000000000000001";
const REACTIONS = "/channels/:channel/messages/:message/reactions/:emoji/@me";
let clock = 0;
let discord: DiscordEmulator;

const bot = (method: string, path: string, body?: unknown) =>
  discord.fetch(
    new Request(`http://discord.test/api/v10${path}`, {
      method,
      headers: {
        "User-Agent": TEST_USER_AGENT,
        Authorization: "Bot token",
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }),
  );
const webhook = (token: string) =>
  discord.fetch(
    new Request(`http://discord.test/api/v10/webhooks/${APP}/${token}`, {
      method: "POST",
      headers: { "User-Agent": TEST_USER_AGENT, "Content-Type": "application/json" },
      body: JSON.stringify({ content: "hi" }),
    }),
  );

beforeEach(() => {
  clock = Date.UTC(2026, 11, 7, 12);
  discord = createDiscordEmulator({
    now: () => clock,
    enforceRateLimits: { shared: [{ method: "PUT", template: REACTIONS, limit: 2, windowMs: 1_000 }] },
  });
});

describe("the global limit", () => {
  it("answers the 51st bot-token request of a second with a global 429, as Discord shapes it, counted as not planned", async () => {
    // Distinct guilds: distinct buckets, so only the global limit binds.
    for (let i = 0; i < 50; i++) expect((await bot("GET", `/guilds/${1000 + i}/members/1`)).status).not.toBe(429);
    clock += 400;
    const refused = await bot("GET", "/guilds/2000/members/1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("X-RateLimit-Global")).toBe("true");
    expect(refused.headers.get("X-RateLimit-Scope")).toBe("global");
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(await refused.json()).toEqual({ message: "You are being rate limited.", retry_after: 0.6, global: true });
    // A second after the first call, a slot is free again.
    clock += 600;
    expect((await bot("GET", "/guilds/2001/members/1")).status).not.toBe(429);
    expect(discord.rateLimits()).toMatchObject({
      botRequests: 52,
      peakPerSecond: 51,
      planned429: 0,
      unplanned429: 1,
      byScope: { global: 1, user: 0, shared: 0 },
    });
  });

  it("does not apply to interaction webhooks, which keep their own per-route buckets", async () => {
    for (let i = 0; i < 50; i++) await bot("GET", `/guilds/${1000 + i}/members/1`);
    const tokens = Array.from({ length: 10 }, (_, i) => `token-${i}`);
    for (const token of tokens) expect((await webhook(token)).status).toBe(200);
    // One token's bucket: 5 per 2 s in the emulator; the sixth is refused with scope user.
    for (let i = 0; i < 4; i++) expect((await webhook("token-0")).status).toBe(200);
    const sixth = await webhook("token-0");
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("X-RateLimit-Scope")).toBe("user");
    expect(discord.rateLimits().byScope).toEqual({ global: 0, user: 1, shared: 0 });
  });
});

describe("per-route buckets", () => {
  it("refuses a call past the remaining count its headers announced, with the bucket's headers and retry_after", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await bot("POST", `/channels/${DEFAULT_CHANNEL_ID}/messages`, { content: `m${i}` });
      expect(last.status).toBe(200);
    }
    expect(last!.headers.get("X-RateLimit-Remaining")).toBe("0");
    clock += 1_000;
    const refused = await bot("POST", `/channels/${DEFAULT_CHANNEL_ID}/messages`, { content: "one too many" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("X-RateLimit-Scope")).toBe("user");
    expect(refused.headers.get("X-RateLimit-Bucket")).toBe(last!.headers.get("X-RateLimit-Bucket"));
    expect(refused.headers.get("X-RateLimit-Reset-After")).toBe("4.000");
    expect(await refused.json()).toEqual({ message: "You are being rate limited.", retry_after: 4, global: false });
    // Another channel is another bucket.
    expect((await bot("POST", "/channels/1000000000000000009/messages", { content: "x" })).status).not.toBe(429);
    expect(discord.rateLimits()).toMatchObject({ planned429: 0, unplanned429: 1 });
    clock += 4_000;
    expect((await bot("POST", `/channels/${DEFAULT_CHANNEL_ID}/messages`, { content: "next window" })).status).toBe(
      200,
    );
  });
});

describe("shared resource limits and scripted 429s", () => {
  it("a shared limit answers scope shared, announced by no header, and counts as planned; so does a scripted 429", async () => {
    const message = (await (
      await bot("POST", `/channels/${DEFAULT_CHANNEL_ID}/messages`, { content: "react here" })
    ).json()) as { id: string };
    const react = (emoji: string) =>
      bot("PUT", `/channels/${DEFAULT_CHANNEL_ID}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}/@me`);
    expect((await react("🔥")).status).toBe(204);
    expect((await react("👍")).status).toBe(204);
    const refused = await react("🎉");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("X-RateLimit-Scope")).toBe("shared");
    expect(((await refused.json()) as { global: boolean }).global).toBe(false);
    discord.faults.push(fault.rateLimited({ method: "GET" }, { retryAfter: 1 }));
    expect((await bot("GET", "/guilds/1000000000000000003/members/1")).status).toBe(429);
    expect(discord.rateLimits()).toMatchObject({
      planned429: 2,
      unplanned429: 0,
      byScope: { shared: 1, user: 1, global: 0 },
    });
  });

  it("without enforceRateLimits the emulator announces and counts but never refuses", async () => {
    discord = createDiscordEmulator({ now: () => clock });
    for (let i = 0; i < 60; i++) expect((await bot("GET", `/guilds/${i}/members/1`)).status).not.toBe(429);
    expect(discord.rateLimits()).toMatchObject({
      enforcing: false,
      botRequests: 60,
      peakPerSecond: 60,
      unplanned429: 0,
    });
  });
});
