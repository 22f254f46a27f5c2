// The bot's one rate-limit state (src/worker/discord/limiter/), in workerd with two Workers: this file's isolate (the
// Worker under test, whose DISCORD_LIMITER hosts the object) and "limiter-peer" (test/support/limiter-peer.js, its
// own isolate and binding). Both spend from one global second and one invalid-request budget. The client's
// fallback is tested with object doubles that fail, hang or answer late; its deadline is scaled like every Worker
// limit in the fault tests, so nothing waits real seconds.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDiscordEmulator, DEFAULT_CHANNEL_ID, type DiscordEmulator } from "../../src/emulator/core.ts";
import { DiscordBotClient } from "../../src/worker/kit/discord/bot-rest.ts";
import { invalidReporter, limiterStub } from "../../src/worker/kit/discord/limiter/bind.ts";
import { DiscordRestClient } from "../../src/worker/kit/discord/rest.ts";
import {
  LIMITER_DEADLINE_MS,
  localLimiter,
  sharedLimiter,
  type LimiterStub,
} from "../../src/worker/kit/discord/limiter/client.ts";
import {
  GLOBAL_GRANTS,
  SHARED_INVALID_CEILING,
  type AcquireRequest,
  type Answer,
  type Grant,
} from "../../src/worker/kit/discord/limiter/state.ts";
import { createRateLimits, GLOBAL_REQUESTS_PER_SECOND } from "../../src/worker/kit/discord/rate-limits.ts";
import { scaled, scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import { routeOutbound } from "../support/outbound.worker.ts";

interface PeerEnv {
  LIMITER_PEER: Fetcher;
}
const peer = (env as unknown as PeerEnv).LIMITER_PEER;
const API = "https://discord.test/api/v10";

/** A fresh object per test: its name is the test's own, so no state carries over. */
let objectName = 0;
function object(): LimiterStub {
  return limiterStub(env.DISCORD_LIMITER!, `bot-${objectName}`);
}

async function peerCall<T>(body: unknown): Promise<T> {
  const response = await peer.fetch("https://peer/", {
    method: "POST",
    body: JSON.stringify({ ...(body as object), name: `bot-${objectName}` }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

let discord: DiscordEmulator;
let restore: () => void = () => {};
beforeEach(() => {
  objectName++;
  discord = createDiscordEmulator();
  routeOutbound({ "discord.test": (request) => discord.fetch(request) });
});
afterEach(() => {
  restore();
  vi.restoreAllMocks();
  discord.close();
});

describe("one limiter for every isolate", () => {
  it("two Workers spend from one global second: what the peer takes, this isolate cannot", async () => {
    // One second for all 60 asks, however slow the machine: the object's clock (it runs in this isolate) is held.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    restore = () => vi.useRealTimers();
    const ask: AcquireRequest = { route: "GET /guilds/:major/members/:id", major: "", want: 1 };
    // The peer probes a bucket per call (distinct majors), so only the global limit binds.
    const peerGrants: Grant[] = [];
    for (let i = 0; i < 30; i++)
      peerGrants.push(...(await peerCall<Grant[]>({ op: "acquire", request: { ...ask, major: `p${i}` } })));
    expect(peerGrants.every((grant) => grant.granted === 1)).toBe(true);
    const mine: Grant[] = [];
    for (let i = 0; i < 30; i++) mine.push(await object().acquire({ ...ask, major: `m${i}` }));
    expect(mine.filter((grant) => grant.granted === 1)).toHaveLength(GLOBAL_GRANTS - 30);
    const refused = mine.find((grant) => grant.granted === 0)!;
    expect(refused.waitMs).toBeGreaterThan(0);
  });
});

describe("the shared invalid-request budget", () => {
  it("401/403/429 told by the peer count for this isolate too, and a storm refuses the bot's calls before Discord's 10,000", async () => {
    const invalid: Answer[] = Array.from({ length: SHARED_INVALID_CEILING - 1 }, (_, i) => ({
      status: i % 3 === 0 ? 401 : i % 3 === 1 ? 403 : 429,
      scope: "user",
    }));
    await peerCall({ op: "answer", answers: invalid });
    // One short of the ceiling: calls still go.
    const bot = new DiscordBotClient({
      apiBase: API,
      botToken: "test-bot-token",
      limiter: sharedLimiter(object, localLimiter(createRateLimits())),
    });
    await bot.createMessage(DEFAULT_CHANNEL_ID, { content: "still allowed" });
    // A shared-scope 429 is not the bot's fault and does not count (Discord's rule); the next 429 reaches the ceiling.
    await peerCall({
      op: "answer",
      answers: [
        { status: 429, scope: "shared" },
        { status: 429, scope: "user" },
      ],
    });
    const refused = await bot
      .createMessage(DEFAULT_CHANNEL_ID, { content: "refused" })
      .catch((error: unknown) => error);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `refused: ${SHARED_INVALID_CEILING} invalid requests \\(401/403/429\\) in 10 minutes, shared by every isolate`,
      ),
    );
    expect(discord.calls({ method: "POST" })).toHaveLength(1);
  });

  it("what this isolate's calls are told reaches the object: a 403 here is one invalid request for the peer", async () => {
    discord.faults.push({
      match: { method: "POST" },
      times: 1,
      respond: { status: 403, json: { message: "Missing Permissions", code: 50013 } },
    });
    const bot = new DiscordBotClient({
      apiBase: API,
      botToken: "test-bot-token",
      limiter: sharedLimiter(object, localLimiter(createRateLimits())),
    });
    await expect(bot.createMessage(DEFAULT_CHANNEL_ID, { content: "x" })).rejects.toThrow(/answered 403/);
    await peerCall({
      op: "answer",
      answers: Array.from({ length: SHARED_INVALID_CEILING - 2 }, () => ({ status: 401 })),
    });
    const [grant] = await peerCall<Grant[]>({
      op: "acquire",
      request: { route: "GET /users/@me", major: "", want: 1 },
    });
    expect(grant!.granted).toBe(1);
    await peerCall({ op: "answer", answers: [{ status: 401 }] });
    const [after] = await peerCall<Grant[]>({
      op: "acquire",
      request: { route: "GET /users/@me", major: "", want: 1 },
    });
    expect(after!.refused).toMatch(/^9000 invalid requests/);
  });
});

describe("buckets through the object", () => {
  it("an unknown bucket gets one probe; its answer's headers then let the rest go, leased to this isolate in one ask", async () => {
    const asks: AcquireRequest[] = [];
    const counting: LimiterStub = {
      acquire: (request) => (asks.push(request), object().acquire(request)),
      answer: (answers) => object().answer(answers),
    };
    const limiter = sharedLimiter(() => counting, localLimiter(createRateLimits()));
    const bot = new DiscordBotClient({ apiBase: API, botToken: "test-bot-token", limiter });
    // Five at once on one channel: the emulator's bucket is 5 per 5 s, so all five fit, without a 429.
    const sent = await Promise.all(
      Array.from({ length: 5 }, (_, i) => bot.createMessage(DEFAULT_CHANNEL_ID, { content: `m${i}` })),
    );
    expect(sent).toHaveLength(5);
    expect(discord.calls({ method: "POST" }).every((call) => call.status === 200)).toBe(true);
    // The probe, then (once it answered) one ask that leased what was waiting, not one ask per call.
    expect(asks.filter((ask) => ask.want > 1).length).toBeGreaterThan(0);
    expect(asks.length).toBeLessThan(5 + 3);
    // The sixth would exceed the bucket's 5: the object makes it wait for the reset instead of earning a 429.
    const sixth = await object().acquire({
      route: "POST /channels/:major/messages",
      major: DEFAULT_CHANNEL_ID,
      want: 1,
    });
    expect(sixth.granted).toBe(0);
    expect(sixth.waitMs).toBeGreaterThan(1_000);
  });

  it("a global 429 told by the peer pauses every route for this isolate", async () => {
    await peerCall({
      op: "answer",
      answers: [{ route: "GET /users/@me", major: "", status: 429, scope: "global", retryAfterMs: 2_000 }],
    });
    const grant = await object().acquire({
      route: "POST /channels/:major/messages",
      major: DEFAULT_CHANNEL_ID,
      want: 1,
    });
    expect(grant.granted).toBe(0);
    expect(grant.waitMs).toBeGreaterThan(1_000);
  });
});

describe("when the object cannot answer", () => {
  const failing: Record<"fails" | "hangs" | "slow", () => LimiterStub> = {
    fails: () => ({
      acquire: () => Promise.reject(new Error("injected: Durable Object unreachable")),
      answer: () => Promise.reject(new Error("injected")),
    }),
    hangs: () => ({ acquire: () => new Promise<Grant>(() => {}), answer: () => new Promise<void>(() => {}) }),
    // Answers, but after the deadline (and then grants: the slot is lost, never spent twice).
    slow: () => ({
      acquire: (request) =>
        new Promise<Grant>((resolve) =>
          setTimeout(() => resolve(object().acquire(request)), scaled(LIMITER_DEADLINE_MS) * 4),
        ),
      answer: () => new Promise<void>((resolve) => setTimeout(resolve, scaled(LIMITER_DEADLINE_MS) * 4)),
    }),
  };

  it.each(["fails", "hangs", "slow"] as const)(
    "the object %s: the call goes under this isolate's own limits, with one log line, never unlimited",
    async (fault) => {
      restore = scaleTimingsForTests(1 / 10);
      const lines: string[] = [];
      vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
      // The fallback runs on a fake clock its sleeps move: its waits are asserted exactly, without real time passing.
      let clock = Date.now();
      const local = createRateLimits();
      // This isolate's own second is already spent: the fallback must wait for it, not send at once.
      for (let i = 0; i < GLOBAL_REQUESTS_PER_SECOND; i++) local.reserve(`GET /x${i}`, "", clock);
      const waits: number[] = [];
      const bot = new DiscordBotClient({
        apiBase: API,
        botToken: "test-bot-token",
        limiter: sharedLimiter(
          failing[fault],
          localLimiter(local, () => clock),
          undefined,
          () => clock,
        ),
        now: () => clock,
        sleep: async (ms) => void (waits.push(ms), (clock += ms)),
      });
      await bot.createMessage(DEFAULT_CHANNEL_ID, { content: "through the fallback" });
      expect(discord.calls({ method: "POST" })).toHaveLength(1);
      expect(waits).toEqual([1_000]); // the isolate's own global second, to the millisecond
      const fallbacks = lines.filter((line) => line.includes('"event":"discord.limiter.fallback"'));
      expect(fallbacks.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(fallbacks[0]!)).toMatchObject({ call: "acquire", level: "warn" });
    },
  );
});

describe("interaction webhooks", () => {
  it("keep their per-route buckets (no 429 earned) and skip the global limit, without asking the object", async () => {
    let clock = Date.UTC(2026, 11, 7, 12);
    discord = createDiscordEmulator({ now: () => clock, enforceRateLimits: {} });
    routeOutbound({ "discord.test": (request) => discord.fetch(request) });
    const waits: number[] = [];
    const rest = new DiscordRestClient({
      apiBase: API,
      applicationId: "100000000000000001",
      now: () => clock,
      sleep: async (ms) => void (waits.push(ms), (clock += ms)),
    });
    // Sixty tokens in one second: past the global 50/s, which webhooks are exempt from.
    for (let i = 0; i < 60; i++) await rest.createFollowupMessage(`token-${objectName}-${i}`, { content: "hi" });
    expect(waits).toEqual([]);
    // One token's bucket (5 per 2 s in the emulator): the sixth call waits for the reset instead of earning a 429.
    for (let i = 0; i < 6; i++) await rest.createFollowupMessage(`token-${objectName}-x`, { content: `m${i}` });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBe(2_000);
    expect(discord.rateLimits()).toMatchObject({ unplanned429: 0, botRequests: 0 });
  });

  it("tell the object of their invalid answers: a webhook's 401 spends the bot's shared budget", async () => {
    const told: Array<[number, string]> = [];
    discord.faults.push({
      match: { method: "PATCH" },
      times: 1,
      respond: { status: 401, json: { message: "Invalid Webhook Token", code: 50027 } },
    });
    const rest = new DiscordRestClient({
      apiBase: API,
      applicationId: "100000000000000001",
      onInvalid: async (status, scope) => void told.push([status, scope]),
    });
    await expect(rest.editOriginalResponse(`token-${objectName}`, { content: "late" })).rejects.toThrow(/answered 401/);
    expect(told).toEqual([[401, "user"]]);
  });

  it("invalidReporter hands them to the object the bot-token calls ask", async () => {
    const report = invalidReporter({ DISCORD_LIMITER: env.DISCORD_LIMITER })!;
    await report(403, "user");
    // The object the reporter uses is the bot's ("bot"): its count moved by one.
    const stub = limiterStub(env.DISCORD_LIMITER!);
    await stub.answer(Array.from({ length: SHARED_INVALID_CEILING - 2 }, () => ({ status: 401 })));
    expect((await stub.acquire({ route: "GET /users/@me", major: "", want: 1 })).granted).toBe(1);
    await report(429, "user");
    expect((await stub.acquire({ route: "GET /users/@me", major: "", want: 1 })).refused).toMatch(
      /^9000 invalid requests/,
    );
  });
});
