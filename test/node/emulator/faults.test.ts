// Scripted failures, in-process and over HTTP (the way Worker tests inside workerd script them), plus the
// rate-limit headers on ordinary answers.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  fault,
  startDiscordEmulator,
  TEST_USER_AGENT,
  type RunningEmulator,
} from "../../support/discord-emulator.ts";

const APP = DEFAULT_APPLICATION_ID;
const patchOriginal = (token: string) => `/webhooks/${APP}/${token}/messages/@original`;

describe("faults in-process", () => {
  it("answers 429 with Discord's body and rate-limit headers, then recovers", async () => {
    const emulator = createDiscordEmulator();
    emulator.faults.push(fault.rateLimited({ method: "PATCH", path: "/webhooks/" }, { retryAfter: 0.25, times: 2 }));
    const first = await callDiscord(emulator, "PATCH", patchOriginal("t"), { content: "x" });
    expect(first.status).toBe(429);
    expect(first.json).toEqual({ message: "You are being rate limited.", retry_after: 0.25, global: false });
    expect(first.headers.get("retry-after")).toBe("1");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(first.headers.get("x-ratelimit-reset-after")).toBe("0.250");
    expect(first.headers.get("x-ratelimit-scope")).toBe("user");
    expect(first.headers.get("x-ratelimit-bucket")).toMatch(/^[0-9a-f]{16}$/);
    expect((await callDiscord(emulator, "PATCH", patchOriginal("t"), { content: "x" })).status).toBe(429);
    expect((await callDiscord(emulator, "PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
    expect(emulator.faults).toHaveLength(0);
    expect(emulator.calls().map((c) => [c.status, c.fault])).toEqual([
      [429, "respond"],
      [429, "respond"],
      [200, undefined],
    ]);
  });

  it("a global 429 carries X-RateLimit-Global; explicit headers win over defaults", async () => {
    const emulator = createDiscordEmulator();
    emulator.faults.push({
      respond: {
        status: 429,
        json: { message: "You are being rate limited.", retry_after: 2.5, global: true },
        headers: { "Retry-After": "7" },
      },
    });
    const r = await callDiscord(emulator, "GET", `/applications/${APP}/commands`, undefined, {
      Authorization: "Bot x",
    });
    expect(r.headers.get("x-ratelimit-global")).toBe("true");
    expect(r.headers.get("x-ratelimit-scope")).toBe("global");
    expect(r.headers.get("retry-after")).toBe("7");
  });

  it("answers 500 for matching calls only", async () => {
    const emulator = createDiscordEmulator();
    emulator.faults.push(fault.serverError({ method: "POST" }, { times: "always" }));
    expect((await callDiscord(emulator, "PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
    expect((await callDiscord(emulator, "POST", `/webhooks/${APP}/t`, { content: "x" })).status).toBe(500);
    expect((await callDiscord(emulator, "POST", `/webhooks/${APP}/t`, { content: "x" })).status).toBe(500);
    expect(emulator.faults).toHaveLength(1); // "always" never runs out
  });

  it("matches paths by regular expression", async () => {
    const emulator = createDiscordEmulator();
    emulator.faults.push({ match: { pathRegex: "/messages/\\d+$" }, respond: { status: 503 } });
    expect((await callDiscord(emulator, "PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
    const created = await callDiscord(emulator, "POST", `/webhooks/${APP}/t`, { content: "f" });
    expect(
      (await callDiscord(emulator, "PATCH", `/webhooks/${APP}/t/messages/${created.json.id}`, { content: "y" })).status,
    ).toBe(503);
  });

  it("delays a call, then answers normally", async () => {
    const emulator = createDiscordEmulator();
    emulator.faults.push(fault.delay({ path: "@original" }, 120));
    const started = performance.now();
    expect((await callDiscord(emulator, "PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    expect(emulator.calls()[0]!.fault).toBe("delay");
  });

  it("rate-limit headers on normal answers count down within a bucket", async () => {
    const emulator = createDiscordEmulator();
    const a = await callDiscord(emulator, "PATCH", patchOriginal("t1"), { content: "x" });
    const b = await callDiscord(emulator, "PATCH", patchOriginal("t1"), { content: "y" });
    const other = await callDiscord(emulator, "PATCH", patchOriginal("t2"), { content: "y" });
    expect(a.headers.get("x-ratelimit-limit")).toBe("5");
    expect(a.headers.get("x-ratelimit-remaining")).toBe("4");
    expect(b.headers.get("x-ratelimit-remaining")).toBe("3");
    expect(other.headers.get("x-ratelimit-remaining")).toBe("4"); // each token is its own bucket
    expect(a.headers.get("x-ratelimit-bucket")).toBe(other.headers.get("x-ratelimit-bucket"));
    expect(Number(a.headers.get("x-ratelimit-reset-after"))).toBeGreaterThan(0);
  });
});

describe("faults over HTTP (as Worker tests script them)", () => {
  let running: RunningEmulator;
  beforeAll(async () => {
    running = await startDiscordEmulator({ port: 0 });
  });
  afterAll(() => running.close());
  beforeEach(() => running.emulator.reset());

  const discord = (method: string, path: string, body?: unknown, signal?: AbortSignal) =>
    fetch(`${running.apiBase}${path}`, {
      method,
      headers: { "User-Agent": TEST_USER_AGENT, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal,
    });

  it("POST /__emulator/faults queues the brief's example spec", async () => {
    const spec = {
      match: { method: "PATCH", path: "/webhooks/" },
      times: 2,
      respond: {
        status: 429,
        json: { message: "You are being rate limited.", retry_after: 0.05, global: false },
        headers: { "Retry-After": "1" },
      },
    };
    const queued = await fetch(`${running.url}/__emulator/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(spec),
    });
    expect(queued.status).toBe(201);
    expect(await (await fetch(`${running.url}/__emulator/faults`)).json()).toHaveLength(1);
    expect((await discord("PATCH", patchOriginal("t"), { content: "x" })).status).toBe(429);
    expect((await discord("PATCH", patchOriginal("t"), { content: "x" })).status).toBe(429);
    expect((await discord("PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
  });

  it('POST /__emulator/faults with preset "unknown_webhook": Discord\'s 404/10015 race after a deferral, to try by hand', async () => {
    const queued = await fetch(`${running.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ preset: "unknown_webhook", match: { method: "PATCH" } }),
    });
    expect(queued.status).toBe(201);
    const refused = await discord("PATCH", patchOriginal("t"), { content: "x" });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({ message: "Unknown Webhook", code: 10015 });
    expect((await discord("PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
    const bad = await fetch(`${running.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ preset: "gone" }),
    });
    expect((await bad.json()).error).toMatch(/^emulator\(faults\): preset must be "unknown_webhook"/);
  });

  it("rejects a malformed fault with a clear message", async () => {
    const r = await fetch(`${running.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ times: 0, respond: { status: 500 } }),
    });
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(/^emulator\(faults\): times/);
  });

  it("hang: never answers until the client aborts, and the call is recorded as such", async () => {
    await fetch(`${running.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ match: { path: "@original" }, hang: true }),
    });
    const started = performance.now();
    const attempt = discord("PATCH", patchOriginal("t"), { content: "x" }, AbortSignal.timeout(200));
    await expect(attempt).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    // The server learns of the client's abort on its own schedule: wait until the call is recorded as a hang.
    await expect
      .poll(async () => (await fetch(`${running.url}/__emulator/calls?method=PATCH`)).json())
      .toMatchObject([{ method: "PATCH", status: null, fault: "hang" }]);
    // The next call is served normally.
    expect((await discord("PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
  });

  it("close() releases a hanging call instead of waiting for it", async () => {
    const own = await startDiscordEmulator();
    own.emulator.faults.push(fault.hang({}));
    const pending = fetch(`${own.apiBase}/webhooks/${APP}/t/messages/@original`, {
      headers: { "User-Agent": TEST_USER_AGENT },
    }).then(
      (r) => r.status,
      () => "closed",
    );
    // Recorded means hanging: the call is recorded and its hang begins in one synchronous step.
    await vi.waitFor(() => expect(own.emulator.calls()).toMatchObject([{ status: null, ms: null }]));
    expect(own.emulator.calls()[0]!.fault).toBeUndefined();
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    // The handler's wait ended too (it records the hang on its way out): nothing is left hanging in the process.
    await vi.waitFor(() => expect(own.emulator.calls()).toMatchObject([{ fault: "hang", ms: expect.any(Number) }]));
    expect([499, "closed"]).toContain(await pending);
  });

  it("DELETE /__emulator/faults clears scripted faults", async () => {
    await fetch(`${running.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify([{ respond: { status: 500 } }, { respond: { status: 502 } }]),
    });
    expect((await fetch(`${running.url}/__emulator/faults`, { method: "DELETE" })).status).toBe(204);
    expect((await discord("PATCH", patchOriginal("t"), { content: "x" })).status).toBe(200);
  });
});
