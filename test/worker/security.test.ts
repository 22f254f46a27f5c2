// Security properties as tests: no token, signature or secret in any log line across every path that logs;
// signature checks are decided by WebCrypto's constant-time verify; nothing sensitive leaks from /health.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import { createDiscordEmulator, deauthorizedData, webhookEvent } from "../../src/emulator/core.ts";
import { relayBodyDigest, verifyRelaySignature, signRelayBody } from "../../src/shared/relay-signature.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, component, interaction, signedRequest, conforming } from "../support/interactions.worker.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { interactionLog } from "../../src/worker/app/middleware/interaction-log.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { verifyDiscordRequest } from "../../src/worker/kit/ingress/discord-signature.ts";
import { fromHex, generateTestKeyPair, nowSeconds, signBody, toHex } from "../support/signing.ts";

afterEach(() => vi.restoreAllMocks());

describe("logs", () => {
  it("never contain an interaction token, a signature, the relay secret or the bot token", async () => {
    const lines: string[] = [];
    for (const method of ["log", "error", "warn", "info", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const discord = createDiscordEmulator();
    let backendUp = true;
    const backend = scriptedBackend();
    routeOutbound({
      "discord.test": (r) => discord.fetch(r),
      [BACKEND_HOST]: (r) => {
        if (!backendUp) throw new TypeError("down");
        return backend.handler(r);
      },
    });
    const chartEnv = { ...env, HEAVY_LIMITER: undefined, BACKEND_URL, RELAY_SECRET: TEST_RELAY_SECRET };

    const payloads = [
      command("ping"),
      command("help"),
      command("chart", [{ type: 3, name: "values", value: "1,2,3" }]),
      command("chart", [{ type: 3, name: "values", value: "oops" }]),
      command("unknown"),
      component("chart:bar:abcdefghij12"),
      interaction({
        type: 5,
        data: {
          custom_id: "feedback:v1",
          components: [{ type: 18, component: { type: 4, custom_id: "text", value: "hi" } }],
        },
      }),
    ];
    const signatures: string[] = [];
    const send = async (payload: Record<string, unknown>) => {
      const request = await signedRequest(JSON.stringify(payload));
      signatures.push(request.headers.get("X-Signature-Ed25519")!);
      const ctx = createExecutionContext();
      await worker.fetch(request as never, chartEnv as never, ctx);
      await waitOnExecutionContext(ctx);
    };
    for (const payload of payloads) await send(payload);
    backendUp = false;
    await send(command("chart", [{ type: 3, name: "values", value: "4,5" }]));
    discord.faults.push({
      match: { method: "PATCH" },
      times: "always",
      respond: { status: 401, json: { message: "401: Unauthorized", code: 50027 } },
    });
    await send(command("chart", [{ type: 3, name: "values", value: "4,5" }]));
    // A throwing handler logs its stack: still no token.
    const boom = createRegistry(
      [
        {
          definition: { name: "boom", description: "x" },
          command: () => {
            throw new Error("kaboom");
          },
        },
      ],
      { after: [interactionLog] },
    );
    const boomPayload = command("boom");
    await conforming(
      await handleInteractionRequest(
        await signedRequest(JSON.stringify(boomPayload)),
        chartEnv as never,
        createExecutionContext(),
        boom,
      ),
    );
    // Webhook events log their line after the response; their signatures must not appear either.
    const eventRequest = await signedRequest(
      JSON.stringify(webhookEvent("100000000000000001", "APPLICATION_DEAUTHORIZED", deauthorizedData())),
      { path: "/events" },
    );
    signatures.push(eventRequest.headers.get("X-Signature-Ed25519")!);
    const eventCtx = createExecutionContext();
    await worker.fetch(eventRequest as never, chartEnv as never, eventCtx);
    await waitOnExecutionContext(eventCtx);
    // Rejected requests log too.
    await exports.default.fetch(await signedRequest(JSON.stringify(command("ping")), { signature: "ab".repeat(64) }));
    discord.close();

    const secrets = [
      ...payloads.map((p) => String(p.token)),
      String(boomPayload.token),
      ...signatures,
      TEST_RELAY_SECRET,
      "test-bot-token",
      "ab".repeat(64),
    ];
    expect(lines.length).toBeGreaterThanOrEqual(13);
    expect(lines.some((line) => line.includes('"event":"event"'))).toBe(true);
    for (const line of lines) {
      expect(() => JSON.parse(line), `not one JSON object: ${line.slice(0, 120)}`).not.toThrow();
      for (const secret of secrets)
        expect(line.includes(secret), `a log line contains a secret: ${line.slice(0, 200)}`).toBe(false);
    }
  });
});

describe("constant-time comparisons", () => {
  // A signature checked with `===` (or any loop over characters or bytes) stops at the first difference, so its
  // timing tells a forger how much of a guess is right; crypto.subtle.verify compares in constant time. Each test
  // pins that the verdict is verify's alone, over exactly the signed bytes: a check that computed the expected
  // signature and compared strings would not call verify with the sender's bytes, nor follow its answer.
  const bytes = (source: unknown) => new Uint8Array(source as ArrayBuffer);
  const flipped = (signature: Uint8Array, index: number) => signature.map((b, i) => (i === index ? b ^ 1 : b));

  it("verify the relay signature with WebCrypto's HMAC verify, never by comparing strings", async () => {
    const body = '{"id":"1"}';
    const now = Math.floor(Date.now() / 1000);
    const signature = await signRelayBody("secret", now, body);
    const mac = fromHex(signature.slice("sha256=".length));
    const check = (header: string) => verifyRelaySignature("secret", String(now), header, body, now);
    const verify = vi.spyOn(crypto.subtle, "verify");

    expect(await check(signature)).toEqual({ ok: true });
    expect(verify).toHaveBeenCalledTimes(1);
    const [algorithm, , signed, data] = verify.mock.calls[0]!;
    expect(algorithm).toBe("HMAC");
    expect(bytes(signed)).toEqual(mac);
    expect(bytes(data)).toEqual(new TextEncoder().encode(`${now}.${await relayBodyDigest(body)}`));

    // One byte off, at the start or at the end: verify judges the forged bytes and refuses them.
    for (const index of [0, mac.length - 1]) {
      verify.mockClear();
      const forged = flipped(mac, index);
      expect(await check(`sha256=${toHex(forged)}`)).toMatchObject({ ok: false });
      expect(bytes(verify.mock.calls[0]![2])).toEqual(forged);
    }

    // Nothing else decides: verify's "no" refuses the right MAC, its "yes" admits a wrong one.
    verify.mockResolvedValueOnce(false);
    expect(await check(signature)).toMatchObject({ ok: false });
    verify.mockResolvedValueOnce(true);
    expect(await check(`sha256=${"00".repeat(32)}`)).toEqual({ ok: true });
  });

  it("verify Discord's signature with WebCrypto's Ed25519 verify, never by comparing strings", async () => {
    const { publicKeyHex, privateKeyPkcs8Hex } = await generateTestKeyPair();
    const body = '{"type":1}';
    const now = nowSeconds();
    const timestamp = String(now);
    const signature = fromHex(await signBody(privateKeyPkcs8Hex, timestamp, body));
    const check = (header: string) =>
      verifyDiscordRequest(publicKeyHex, fromHex(publicKeyHex), header, timestamp, new TextEncoder().encode(body), now);
    const verify = vi.spyOn(crypto.subtle, "verify");

    expect(await check(toHex(signature))).toBeNull();
    expect(verify).toHaveBeenCalledTimes(1);
    const [algorithm, , signed, data] = verify.mock.calls[0]!;
    expect(algorithm).toBe("Ed25519");
    expect(bytes(signed)).toEqual(signature);
    expect(bytes(data)).toEqual(new TextEncoder().encode(timestamp + body));

    for (const index of [0, signature.length - 1]) {
      verify.mockClear();
      const forged = flipped(signature, index);
      expect(await check(toHex(forged))).toBe("bad_signature");
      expect(bytes(verify.mock.calls[0]![2])).toEqual(forged);
    }

    verify.mockResolvedValueOnce(false);
    expect(await check(toHex(signature))).toBe("bad_signature");
    verify.mockResolvedValueOnce(true);
    expect(await check("00".repeat(64))).toBeNull();
  });

  it.each([
    ["/interactions", '{"type":1}', 200],
    ["/events", '{"version":1,"application_id":"100000000000000001","type":0}', 204],
  ] as const)("the Worker answers %s as Ed25519 verify decides", async (path, body, ok) => {
    const verify = vi.spyOn(crypto.subtle, "verify");
    const signed = await signedRequest(body, { path });
    verify.mockResolvedValueOnce(false);
    expect((await exports.default.fetch(signed.clone())).status).toBe(401);
    expect(verify.mock.calls[0]![0]).toBe("Ed25519");
    expect((await exports.default.fetch(signed)).status).toBe(ok);
    expect(verify).toHaveBeenCalledTimes(2);
  });
});

describe("health", () => {
  it("reveals no configuration values, even when misconfigured", async () => {
    const ok = await (
      await worker.fetch(new Request("https://w/health") as never, env as never, createExecutionContext())
    ).text();
    const broken = await worker.fetch(
      new Request("https://w/health") as never,
      { ...env, DISCORD_PUBLIC_KEY: "not-hex", DISCORD_TOKEN: "super-secret-token" } as never,
      createExecutionContext(),
    );
    const text = await broken.text();
    expect(broken.status).toBe(503);
    expect(JSON.parse(text)).toEqual({ status: "misconfigured", missing_or_invalid: ["DISCORD_PUBLIC_KEY"] });
    for (const value of [
      env.DISCORD_PUBLIC_KEY!,
      "not-hex",
      "super-secret-token",
      "test-bot-token",
      env.DISCORD_APPLICATION_ID!,
    ]) {
      expect(ok).not.toContain(value);
      expect(text).not.toContain(value);
    }
  });

  it.each(["/interactions", "/events"] as const)(
    "a misconfigured Worker answers %s 503 naming the variable, not 500",
    async (path) => {
      // /events is verified by the services Worker (the interactions Worker forwards it unread), so it is the one
      // misconfigured here: a binding's callee has its own env.
      const entry = path === "/events" ? services : worker;
      const response = await entry.fetch(
        (await signedRequest('{"type":1}', { path })) as never,
        { ...env, DISCORD_APPLICATION_ID: "" } as never,
        createExecutionContext(),
      );
      expect(response.status).toBe(503);
      expect(await response.text()).toContain("DISCORD_APPLICATION_ID is not set");
    },
  );
});
