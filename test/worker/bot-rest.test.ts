// The bot-token REST client and its rate limits, in workerd: against the Discord emulator (its per-bucket
// headers, scripted 429s, its bot-token check) and against scripted answers where a header combination is needed
// that the emulator does not make. One fake clock drives the client, its limits and the emulator, and the
// client's sleep moves it: waits are asserted exactly, without real time passing.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDiscordEmulator, DEFAULT_CHANNEL_ID, fault, type DiscordEmulator } from "../../src/emulator/core.ts";
import { DiscordBotClient } from "../../src/worker/kit/discord/bot-rest.ts";
import {
  GLOBAL_REQUESTS_PER_SECOND,
  INVALID_REQUEST_CEILING,
  INVALID_REQUEST_WINDOW_MS,
  createRateLimits,
  routeOf,
} from "../../src/worker/kit/discord/rate-limits.ts";
import { DiscordApiError, USER_AGENT } from "../../src/worker/kit/discord/rest.ts";
import { routeOutbound } from "../support/outbound.worker.ts";

const API = "https://discord.test/api/v10";
const OTHER_CHANNEL = "300000000000000003";
let clock = 0;
let waits: number[] = [];
let discord: DiscordEmulator;

const advance = async (ms: number) => {
  waits.push(ms);
  clock += ms;
};

function client(
  options: {
    limits?: ReturnType<typeof createRateLimits>;
    fetch?: typeof fetch;
    sleep?: (ms: number) => Promise<void>;
    botToken?: string;
    deadline?: number;
  } = {},
) {
  return new DiscordBotClient({
    apiBase: API,
    botToken: options.botToken ?? "test-bot-token",
    limits: options.limits ?? createRateLimits(),
    now: () => clock,
    sleep: options.sleep ?? advance,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
  });
}

/** Answers in order; the last one repeats. Responses are built inside the call (workerd I/O rules). */
function scripted(steps: Array<(request: Request) => Response>) {
  const seen: Request[] = [];
  const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request);
    return steps[Math.min(seen.length - 1, steps.length - 1)]!(request);
  }) as typeof fetch;
  return { fetchStub, seen };
}

const message = (content: string) => ({ content });
const tooMany =
  (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  () =>
    Response.json({ message: "You are being rate limited.", ...body }, { status: 429, headers });

beforeEach(() => {
  clock = Date.UTC(2026, 11, 5, 12);
  waits = [];
  discord = createDiscordEmulator({ now: () => clock });
  routeOutbound({ "discord.test": (request) => discord.fetch(request) });
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("DiscordBotClient requests", () => {
  it("posts a channel message with the bot token, a DiscordBot User-Agent and JSON; the emulator shows it from the bot", async () => {
    const sent = await client().createMessage(DEFAULT_CHANNEL_ID, message("daily report"));
    expect(sent).toMatchObject({ channel_id: DEFAULT_CHANNEL_ID, content: "daily report", author: { bot: true } });
    const [call] = discord.calls({ method: "POST" });
    expect(call).toMatchObject({ path: `/api/v10/channels/${DEFAULT_CHANNEL_ID}/messages`, status: 200 });
    expect(call!.headers).toMatchObject({
      authorization: "Bot [redacted]",
      "user-agent": USER_AGENT,
      "content-type": "application/json",
    });
    expect(discord.feed().timeline).toEqual([
      expect.objectContaining({ message: expect.objectContaining({ id: sent.id, content: "daily report" }) }),
    ]);
  });

  it("posts a PNG as multipart, which the emulator stores as the message's attachment", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const sent = await client().createMessage(DEFAULT_CHANNEL_ID, {
      data: { content: "chart", embeds: [{ image: { url: "attachment://traffic.png" } }] },
      files: [{ name: "traffic.png", contentType: "image/png", data: png }],
    });
    expect(sent.attachments).toEqual([
      expect.objectContaining({ filename: "traffic.png", content_type: "image/png", size: png.byteLength }),
    ]);
    expect(discord.file(sent.attachments[0]!.id)?.bytes).toEqual(png);
  });

  it("is refused with 401 by Discord without the right token, and then stops calling", async () => {
    discord.state.botToken = "the-real-token";
    const bot = client({ botToken: "a-stale-token" });
    const first = await bot.createMessage(DEFAULT_CHANNEL_ID, message("x")).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DiscordApiError);
    expect((first as DiscordApiError).status).toBe(401);
    const second = await bot.createMessage(DEFAULT_CHANNEL_ID, message("x")).catch((e: unknown) => e);
    expect((second as Error).message).toMatch(/^discord\(bot\): POST .* refused: DISCORD_TOKEN is wrong or revoked/);
    expect(discord.calls()).toHaveLength(1);
  });

  it("an unknown channel is Discord's 404 10003, not retried", async () => {
    const error = await client()
      .createMessage(OTHER_CHANNEL, message("x"))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 10003 });
    expect(discord.calls()).toHaveLength(1);
  });

  it("lists entitlements with Discord's query parameters, typed, from the emulator's test purchases", async () => {
    const base = { application_id: "100000000000000001", type: 4, deleted: false, starts_at: null, ends_at: null };
    discord.state.entitlements.push(
      { ...base, id: "1000000000000000010", sku_id: "1", guild_id: "200000000000000002" },
      { ...base, id: "1000000000000000020", sku_id: "3", guild_id: "200000000000000002" },
      {
        ...base,
        id: "1000000000000000030",
        sku_id: "2",
        guild_id: "200000000000000002",
        ends_at: "2000-01-01T00:00:00.000Z",
      },
    );
    const entitlements = await client().listEntitlements("100000000000000001", {
      guild_id: "200000000000000002",
      sku_ids: ["1", "2"],
      exclude_ended: true,
    });
    expect(entitlements.map((e) => e.sku_id)).toEqual(["1"]);
    const [call] = discord.calls();
    expect(call).toMatchObject({
      path: "/api/v10/applications/100000000000000001/entitlements",
      query: { guild_id: "200000000000000002", sku_ids: "1,2", exclude_ended: "true" },
      status: 200,
    });
    expect(call!.headers.authorization).toBe("Bot [redacted]");
  });
});

describe("per-route buckets", () => {
  it("keys routes by their major parameter (channel, guild, webhook), generalising other ids", () => {
    expect(routeOf("POST", "/channels/123456789012345678/messages")).toEqual({
      route: "POST /channels/:major/messages",
      major: "123456789012345678",
    });
    expect(routeOf("DELETE", "/channels/123456789012345678/messages/223456789012345678")).toEqual({
      route: "DELETE /channels/:major/messages/:id",
      major: "123456789012345678",
    });
    expect(routeOf("PATCH", "/webhooks/123456789012345678")).toEqual({
      route: "PATCH /webhooks/:major",
      major: "123456789012345678",
    });
    expect(routeOf("GET", "/guilds/123456789012345678/members/223456789012345678")).toEqual({
      route: "GET /guilds/:major/members/:id",
      major: "123456789012345678",
    });
    expect(routeOf("GET", "/applications/123456789012345678/entitlements?limit=1")).toEqual({
      route: "GET /applications/:id/entitlements",
      major: "",
    });
  });

  it("waits out a bucket the emulator reports empty (X-RateLimit-Remaining: 0) before the next call, and only that bucket", async () => {
    const bot = client();
    for (let i = 0; i < 5; i++) await bot.createMessage(DEFAULT_CHANNEL_ID, message(`m${i}`));
    const fifth = discord.calls({ method: "POST" })[4]!;
    expect(fifth.status).toBe(200);
    expect(waits).toEqual([]);
    // The emulator's channel bucket is 5 per 5 s: the 6th call waits for its reset, and the emulator accepts it.
    await bot.createMessage(DEFAULT_CHANNEL_ID, message("m5"));
    expect(waits).toEqual([5000]);
    expect(discord.calls({ method: "POST" }).map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it("reads Remaining and Reset-After per bucket hash and major parameter; routes sharing a hash share the limit", async () => {
    const bucketed = (remaining: number, resetAfter: string) => () =>
      Response.json(
        { id: "1" },
        {
          headers: {
            "X-RateLimit-Bucket": "shared-hash",
            "X-RateLimit-Limit": "2",
            "X-RateLimit-Remaining": String(remaining),
            "X-RateLimit-Reset-After": resetAfter,
          },
        },
      );
    const { fetchStub, seen } = scripted([
      bucketed(0, "1.25"),
      () => Response.json([], { headers: { "X-RateLimit-Bucket": "shared-hash" } }),
      bucketed(1, "1"),
      bucketed(1, "1"),
    ]);
    const limits = createRateLimits();
    const bot = client({ fetch: fetchStub, limits });
    await bot.createMessage(DEFAULT_CHANNEL_ID, message("a"));
    // Another channel is another bucket: no wait.
    await bot.createMessage(OTHER_CHANNEL, message("b"));
    expect(waits).toEqual([]);
    // A route learned to share the hash waits for the same bucket of the same channel.
    limits.observe(
      "GET /channels/:major/messages/:id",
      DEFAULT_CHANNEL_ID,
      new Headers({ "X-RateLimit-Bucket": "shared-hash" }),
      clock,
    );
    expect(limits.reserve("GET /channels/:major/messages/:id", DEFAULT_CHANNEL_ID, clock)).toBe(1250);
    await bot.createMessage(DEFAULT_CHANNEL_ID, message("c"));
    expect(waits).toEqual([1250]);
    expect(seen).toHaveLength(3);
  });

  it("reserves slots, so concurrent calls cannot all spend a bucket's last one", async () => {
    const limits = createRateLimits();
    const { route, major } = routeOf("POST", `/channels/${DEFAULT_CHANNEL_ID}/messages`);
    limits.observe(route, major, new Headers({ "X-RateLimit-Remaining": "1", "X-RateLimit-Reset-After": "2" }), clock);
    expect(limits.reserve(route, major, clock)).toBe(0);
    expect(limits.reserve(route, major, clock)).toBe(2000);
    expect(limits.reserve(route, major, clock + 2000)).toBe(0);
  });
});

describe("429s", () => {
  it("a per-route 429 from the emulator waits retry_after, retries, and counts one invalid request", async () => {
    discord.faults.push(fault.rateLimited({ method: "POST", path: "/channels/" }, { retryAfter: 0.75 }));
    const limits = createRateLimits();
    const sent = await client({ limits }).createMessage(DEFAULT_CHANNEL_ID, message("x"));
    expect(sent.content).toBe("x");
    const calls = discord.calls({ method: "POST" });
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(waits).toEqual([750]);
    expect(limits.invalidCount(clock)).toBe(1);
  });

  it("a global 429 (X-RateLimit-Global) pauses every route, not only the one that got it", async () => {
    discord.faults.push(
      fault.rateLimited({ method: "POST", path: `/channels/${DEFAULT_CHANNEL_ID}/` }, { retryAfter: 2, global: true }),
    );
    const pending: Array<{ ms: number; release: () => void }> = [];
    const held = (ms: number) => new Promise<void>((resolve) => pending.push({ ms, release: () => resolve() }));
    const limits = createRateLimits();
    const first = client({ limits, sleep: held }).createMessage(DEFAULT_CHANNEL_ID, message("a"));
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    expect(discord.calls()[0]!.status).toBe(429);
    // While paused, a call on another channel (another bucket) waits for the same pause instead of calling.
    const second = client({ limits, sleep: held })
      .createMessage(OTHER_CHANNEL, message("b"))
      .catch((e: unknown) => e);
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    expect(pending.map((p) => p.ms)).toEqual([2000, 2000]);
    expect(discord.calls()).toHaveLength(1);
    clock += 2000;
    for (const p of pending) p.release();
    await first;
    await second;
    expect(discord.calls().map((c) => c.path.split("/")[4])).toEqual([
      DEFAULT_CHANNEL_ID,
      DEFAULT_CHANNEL_ID,
      OTHER_CHANNEL,
    ]);
  });

  it("takes a 429 body's global flag as global even without the header", async () => {
    const { fetchStub, seen } = scripted([
      tooMany({ retry_after: 1.5, global: true }),
      () => Response.json({ id: "1" }),
    ]);
    const limits = createRateLimits();
    await client({ fetch: fetchStub, limits }).createMessage(DEFAULT_CHANNEL_ID, message("a"));
    expect(waits).toEqual([1500]);
    expect(seen).toHaveLength(2);
    expect(limits.reserve("GET /applications/:id/entitlements", "", clock - 1)).toBe(1);
  });

  it("a shared-scope 429 waits but is not counted toward the invalid-request limit", async () => {
    discord.faults.push(fault.rateLimited({ method: "POST" }, { retryAfter: 0.5, shared: true }));
    const limits = createRateLimits();
    await client({ limits }).createMessage(DEFAULT_CHANNEL_ID, message("x"));
    expect(discord.calls()[0]!.status).toBe(429);
    expect(waits).toEqual([500]);
    expect(limits.invalidCount(clock)).toBe(0);
  });

  it("gives up after 3 retries of a 429", async () => {
    discord.faults.push(fault.rateLimited({ method: "POST" }, { retryAfter: 0.1, times: "always" }));
    const error = await client()
      .createMessage(DEFAULT_CHANNEL_ID, message("x"))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429 });
    expect(discord.calls()).toHaveLength(4);
  });

  it("does not wait past its deadline: it fails with a clear error instead", async () => {
    discord.faults.push(fault.rateLimited({ method: "POST" }, { retryAfter: 30 }));
    const error = await client({ deadline: clock + 5_000 })
      .createMessage(DEFAULT_CHANNEL_ID, message("x"))
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^discord\(bot\): POST \/channels\/\d+\/messages ran out of time before attempt 2 \(deadline reached\)/,
    );
    expect(waits).toEqual([]);
  });
});

describe("the global limit", () => {
  it(`starts at most ${GLOBAL_REQUESTS_PER_SECOND} calls in any second`, async () => {
    const starts: number[] = [];
    const { fetchStub } = scripted([() => (starts.push(clock), Response.json({ id: "1" }))]);
    const bot = client({ fetch: fetchStub });
    // Different channels: no per-route bucket stands in the way, only the global one.
    for (let i = 0; i < 120; i++) await bot.createMessage(String(400000000000000000n + BigInt(i)), message("x"));
    expect(starts).toHaveLength(120);
    for (let i = GLOBAL_REQUESTS_PER_SECOND; i < starts.length; i++)
      expect(starts[i]! - starts[i - GLOBAL_REQUESTS_PER_SECOND]!).toBeGreaterThanOrEqual(1000);
    expect(waits).toEqual([1000, 1000]);
  });
});

describe("the invalid-request budget", () => {
  it("refuses calls before the 10-minute count reaches the ceiling, without calling Discord, and recovers as the window slides", async () => {
    discord.faults.push({
      match: { method: "POST" },
      times: "always",
      respond: { status: 403, json: { message: "Missing Permissions", code: 50013 } },
    });
    const limits = createRateLimits(3);
    const bot = client({ limits });
    for (let i = 0; i < 3; i++)
      expect(await bot.createMessage(DEFAULT_CHANNEL_ID, message("x")).catch((e: unknown) => e)).toMatchObject({
        status: 403,
        code: 50013,
      });
    const refused = await bot.createMessage(DEFAULT_CHANNEL_ID, message("x")).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(
      /refused: 3 invalid requests \(401\/403\/429\) in 10 minutes; Discord bans at 10,000/,
    );
    expect(discord.calls()).toHaveLength(3);
    clock += INVALID_REQUEST_WINDOW_MS;
    discord.faults.length = 0;
    await expect(bot.createMessage(DEFAULT_CHANNEL_ID, message("x"))).resolves.toMatchObject({ content: "x" });
  });

  it(`stops at ${INVALID_REQUEST_CEILING} by default, below Discord's 10,000`, async () => {
    expect(INVALID_REQUEST_CEILING).toBeLessThan(10_000);
    const limits = createRateLimits();
    for (let i = 0; i < INVALID_REQUEST_CEILING - 1; i++) limits.recordInvalid(clock - i);
    discord.faults.push(fault.rateLimited({ method: "POST" }, { retryAfter: 0.1 }));
    // The 429 is the last invalid request this isolate may spend: the retry is refused, not sent.
    const error = await client({ limits })
      .createMessage(DEFAULT_CHANNEL_ID, message("x"))
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`refused: ${INVALID_REQUEST_CEILING} invalid requests`));
    expect(discord.calls()).toHaveLength(1);
  });
});
