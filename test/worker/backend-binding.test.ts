// The BACKEND service binding: when the backend Worker is bound, /chart relays through it (no BACKEND_URL, no
// public backend at all), still HMAC-signed; with both configured the binding wins; either one configures charts.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import { readConfig, requireRelay } from "../../src/worker/kit/config.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/app.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { routeOutbound, serviceBinding } from "../support/outbound.worker.ts";
import { command, signedRequest } from "../support/interactions.worker.ts";

let discord: DiscordEmulator;
beforeEach(() => {
  discord = createDiscordEmulator();
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

async function chart(workerEnv: Record<string, unknown>) {
  // No chart cache: every test here must reach a backend.
  workerEnv = { ...workerEnv, CHART_CACHE: undefined };
  const payload = command("chart", [{ type: 3, name: "values", value: "3,5,2,8" }]);
  const ctx = createExecutionContext();
  const response = await worker.fetch((await signedRequest(JSON.stringify(payload))) as never, workerEnv as never, ctx);
  const body = await response.clone().json();
  await discord.recordInlineResponse(String(payload.token), body);
  await waitOnExecutionContext(ctx);
  return { body, message: discord.messagesFor(String(payload.token))[0] };
}

describe("relay through the BACKEND service binding", () => {
  it("sends the signed job through the binding when BACKEND_URL is not set, and delivers the chart", async () => {
    const bound = scriptedBackend();
    const requests: Request[] = [];
    // Only Discord is reachable over the network: a relay to any URL would fail the test.
    routeOutbound({ "discord.test": (r) => discord.fetch(r) });
    const { body, message } = await chart({
      ...env,
      HEAVY_LIMITER: undefined,
      BACKEND_URL: "",
      RELAY_SECRET: TEST_RELAY_SECRET,
      BACKEND: serviceBinding((request) => (requests.push(request), bound.handler(request))),
    });
    expect(body).toEqual({ type: 5 });
    expect(bound.calls).toEqual([
      expect.objectContaining({
        job: "chart",
        signatureOk: true,
        input: expect.objectContaining({ values: "3,5,2,8" }),
      }),
    ]);
    expect(requests.map((r) => [r.method, new URL(r.url).pathname])).toEqual([["POST", "/v1/jobs/chart"]]);
    expect(message?.attachments).toHaveLength(1);
  });

  it("prefers the binding when BACKEND_URL is set too", async () => {
    const bound = scriptedBackend();
    const public_ = scriptedBackend();
    routeOutbound({ "discord.test": (r) => discord.fetch(r), [BACKEND_HOST]: public_.handler });
    const { message } = await chart({
      ...env,
      HEAVY_LIMITER: undefined,
      BACKEND_URL,
      RELAY_SECRET: TEST_RELAY_SECRET,
      BACKEND: serviceBinding(bound.handler),
    });
    expect(bound.calls).toHaveLength(1);
    expect(public_.calls).toHaveLength(0);
    expect(message?.attachments).toHaveLength(1);
  });

  it("refuses a job the binding's backend cannot authenticate: the HMAC still applies", async () => {
    const bound = scriptedBackend();
    routeOutbound({ "discord.test": (r) => discord.fetch(r) });
    const { message } = await chart({
      ...env,
      HEAVY_LIMITER: undefined,
      BACKEND_URL: "",
      RELAY_SECRET: "a-different-secret",
      BACKEND: serviceBinding(bound.handler),
    });
    expect(bound.calls).toEqual([expect.objectContaining({ signatureOk: false })]);
    expect(message?.content).toMatch(/could not authenticate with its backend/);
  });
});

describe("config: either the binding or BACKEND_URL configures the backend", () => {
  const base = { ...env, BACKEND_URL: "", RELAY_SECRET: TEST_RELAY_SECRET };

  it("accepts a binding alone, and names both options when neither is there", () => {
    expect(requireRelay(readConfig({ ...base, BACKEND: serviceBinding(() => new Response()) } as never))).toMatchObject(
      { relaySecret: TEST_RELAY_SECRET },
    );
    expect(() => requireRelay(readConfig({ ...base } as never))).toThrow(
      /BACKEND_URL is not set and BACKEND is not bound/,
    );
  });

  it("still needs RELAY_SECRET with a binding", () => {
    expect(() =>
      requireRelay(readConfig({ ...base, RELAY_SECRET: "", BACKEND: serviceBinding(() => new Response()) } as never)),
    ).toThrow(/^config: RELAY_SECRET is not set/);
  });

  it("answers /chart at once when neither is configured, and defers when only the binding is", async () => {
    routeOutbound({ "discord.test": (r) => discord.fetch(r) });
    const unconfigured = await chart({ ...base, HEAVY_LIMITER: undefined });
    expect(unconfigured.body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining("not configured") },
    });
    const bound = await chart({
      ...base,
      HEAVY_LIMITER: undefined,
      BACKEND: serviceBinding(scriptedBackend().handler),
    });
    expect(bound.body).toEqual({ type: 5 });
  });
});
