import { exports } from "cloudflare:workers";
import { verifyKey } from "discord-interactions";
import { describe, expect, inject, it } from "vitest";
import { pathOf } from "../../src/worker/kit/http.ts";
import { MAX_BODY_BYTES } from "../../src/worker/kit/ingress/read-body.ts";
import { verifyDiscordRequest } from "../../src/worker/kit/ingress/discord-signature.ts";
import { fromHex, generateTestKeyPair, nowSeconds, signBody, toHex } from "../support/signing.ts";
import { command, interaction, send, sendOk, signedRequest } from "../support/interactions.worker.ts";

const ping = JSON.stringify({ type: 1, id: "1", application_id: "1", token: "t", version: 1 });

/**
 * The two Discord-signed endpoints share every ingress rule (size cap, signature, timestamp window); each rule below
 * runs against both, with the route's own PING and its own answer to an accepted one.
 */
const SIGNED_ROUTES = [
  {
    path: "/interactions" as const,
    ping,
    async accepted(response: Response) {
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("application/json");
      expect(await response.text()).toBe('{"type":1}');
    },
  },
  {
    path: "/events" as const,
    ping: JSON.stringify({ version: 1, application_id: "100000000000000001", type: 0 }),
    async accepted(response: Response) {
      expect(response.status).toBe(204);
      expect(await response.text()).toBe("");
    },
  },
];

describe("routes", () => {
  it("GET /health answers 200 JSON without secrets", async () => {
    const response = await exports.default.fetch("https://worker.test/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ status: "ok" });
    expect(text).not.toContain(inject("discordPublicKey"));
    expect(text).not.toContain("test-bot-token");
  });

  it("unknown paths answer 404 JSON", async () => {
    const response = await exports.default.fetch("https://worker.test/nope", { method: "POST" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it.each(
    ["GET", "PUT", "DELETE", "PATCH"].flatMap((method) => [
      [method, "/interactions"],
      [method, "/events"],
    ]),
  )("%s %s answers 405 with Allow: POST", async (method, path) => {
    const response = await exports.default.fetch(`https://worker.test${path}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  it("routes a signed POST to /interactions whatever its query string or port", async () => {
    const signed = await signedRequest(ping);
    for (const url of ["https://worker.test/interactions?utm=1", "http://127.0.0.1:8787/interactions#x"]) {
      const response = await exports.default.fetch(new Request(url, signed.clone()));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ type: 1 });
    }
    const elsewhere = await exports.default.fetch(new Request("https://worker.test/interactions/more", signed.clone()));
    expect(elsewhere.status).toBe(404);
  });

  it.each([
    ["https://worker.test/interactions", "/interactions"],
    ["https://worker.test/interactions?a=/b", "/interactions"],
    ["http://127.0.0.1:8787/interactions#frag?x", "/interactions"],
    ["https://worker.test", "/"],
    ["https://worker.test/?q", "/"],
    ["https://worker.test/a/interactions", "/a/interactions"],
  ])("pathOf(%s) is %s, as new URL().pathname says", (url, path) => {
    expect(pathOf(url)).toBe(path);
    expect(pathOf(url)).toBe(new URL(url).pathname);
  });

  it.each(["/interactions", "/events"])("does not enable CORS on %s", async (path) => {
    const response = await exports.default.fetch(`https://worker.test${path}`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.test" },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe.each(SIGNED_ROUTES)("ingress rules of $path", ({ path, ping, accepted }) => {
  describe("body size", () => {
    it("refuses a declared body over 1 MiB with 413, even when validly signed", async () => {
      const body = "x".repeat(MAX_BODY_BYTES + 1);
      const response = await send(body, { path });
      expect(response.status).toBe(413);
    });

    it("refuses a chunked body over 1 MiB with 413 while counting it", async () => {
      const chunk = new Uint8Array(64 * 1024).fill(32);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > MAX_BODY_BYTES + chunk.length) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      const response = await exports.default.fetch(`https://worker.test${path}`, {
        method: "POST",
        headers: { "X-Signature-Ed25519": "0".repeat(128), "X-Signature-Timestamp": String(nowSeconds()) },
        body: stream,
      });
      expect(response.status).toBe(413);
    });

    it("accepts a body of exactly 1 MiB as far as size goes (then judges the signature)", async () => {
      const body = " ".repeat(MAX_BODY_BYTES - ping.length) + ping;
      await accepted(await send(body, { path }));
    });
  });

  describe("signature and timestamp", () => {
    it("answers a signed PING", async () => {
      await accepted(await send(ping, { path }));
    });

    const cases: Array<[string, () => Promise<Request>]> = [
      ["missing signature", () => signedRequest(ping, { path, signature: null })],
      ["non-hex signature", () => signedRequest(ping, { path, signature: "z".repeat(128) })],
      ["short signature", () => signedRequest(ping, { path, signature: "ab".repeat(63) })],
      ["long signature", () => signedRequest(ping, { path, signature: "ab".repeat(65) })],
      [
        "missing timestamp",
        async () => {
          const request = await signedRequest(ping, { path });
          const headers = new Headers(request.headers);
          headers.delete("X-Signature-Timestamp");
          return new Request(request.url, { method: "POST", headers, body: ping });
        },
      ],
      ["non-integer timestamp", () => signedRequest(ping, { path, timestamp: `${nowSeconds()}.5` })],
      ["negative timestamp", () => signedRequest(ping, { path, timestamp: `-${nowSeconds()}` })],
      ["text timestamp", () => signedRequest(ping, { path, timestamp: "yesterday" })],
      ["timestamp 10 minutes old", () => signedRequest(ping, { path, timestamp: String(nowSeconds() - 600) })],
      ["timestamp 400 s in the future", () => signedRequest(ping, { path, timestamp: String(nowSeconds() + 400) })],
      [
        "signature over another body",
        async () => {
          const timestamp = String(nowSeconds());
          const signature = await signBody(inject("discordPrivateKey"), timestamp, ping + " ");
          return signedRequest(ping, { path, timestamp, signature });
        },
      ],
      [
        "signature by another key",
        async () => {
          const other = await generateTestKeyPair();
          const timestamp = String(nowSeconds());
          return signedRequest(ping, {
            path,
            timestamp,
            signature: await signBody(other.privateKeyPkcs8Hex, timestamp, ping),
          });
        },
      ],
      ["all-zero signature", () => signedRequest(ping, { path, signature: "0".repeat(128) })],
    ];

    it.each(cases)("rejects %s with 401", async (_name, build) => {
      const response = await exports.default.fetch(await build());
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request_signature" } });
    });

    it("accepts a timestamp 290 s old (inside the window)", async () => {
      await accepted(await send(ping, { path, timestamp: String(nowSeconds() - 290) }));
    });
  });
});

describe("signature verification", () => {
  it("puts the skew boundary at exactly 300 s", async () => {
    const { publicKeyHex, privateKeyPkcs8Hex } = await generateTestKeyPair();
    const body = new TextEncoder().encode(ping);
    const now = 1_800_000_000;
    for (const [offset, expected] of [
      [300, null],
      [-300, null],
      [301, "stale_timestamp"],
      [-301, "stale_timestamp"],
    ] as const) {
      const timestamp = String(now + offset);
      const signature = await signBody(privateKeyPkcs8Hex, timestamp, body);
      expect(await verifyDiscordRequest(publicKeyHex, fromHex(publicKeyHex), signature, timestamp, body, now)).toBe(
        expected,
      );
    }
  });

  it("agrees with discord-interactions' verifyKey over many random cases", async () => {
    const { publicKeyHex, privateKeyPkcs8Hex } = await generateTestKeyPair();
    const now = nowSeconds();
    const mutations = ["signed", "random signature", "body changed", "last hex digit changed"] as const;
    const disagreements: string[] = [];
    // Tallied from the verdicts both gave: agreement alone would also hold if both rejected everything.
    const verdicts: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const body = crypto.getRandomValues(new Uint8Array(1 + (i % 97)));
      const timestamp = String(now - (i % 50));
      let signature = await signBody(privateKeyPkcs8Hex, timestamp, body);
      const mutation = i % 4;
      let signedBody = body;
      if (mutation === 1) signature = toHex(crypto.getRandomValues(new Uint8Array(64)));
      if (mutation === 2) signedBody = body.map((b, j) => (j === 0 ? b ^ 1 : b));
      if (mutation === 3) signature = signature.slice(0, 127) + (signature[127] === "0" ? "1" : "0");
      const ours =
        (await verifyDiscordRequest(publicKeyHex, fromHex(publicKeyHex), signature, timestamp, signedBody, now)) ===
        null;
      const theirs = await verifyKey(signedBody, signature, timestamp, publicKeyHex);
      if (ours !== theirs) disagreements.push(`case ${i} (${mutations[mutation]}): ours ${ours}, verifyKey ${theirs}`);
      const verdict = `${mutations[mutation]}: ${ours ? "accepted" : "rejected"}`;
      verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
    }
    expect(disagreements).toEqual([]);
    expect(verdicts).toEqual({
      "signed: accepted": 75,
      "random signature: rejected": 75,
      "body changed: rejected": 75,
      "last hex digit changed: rejected": 75,
    });
  });
});

describe("event payload shape", () => {
  const event = (fields: Record<string, unknown>) =>
    JSON.stringify({ version: 1, application_id: "100000000000000001", type: 1, ...fields });
  it.each([
    ["not JSON", "{type:0"],
    ["a JSON array", "[0]"],
    ["null", "null"],
    ["type missing", '{"version":1}'],
    ["type as a string", '{"type":"0"}'],
    ["unknown webhook type 2", '{"type":2}'],
    ["type 1 without event", event({})],
    ["an event without a type", event({ event: { timestamp: "2026-12-01T10:00:00.000000", data: {} } })],
    ["an event without a timestamp", event({ event: { type: "APPLICATION_AUTHORIZED", data: {} } })],
    [
      "an event with a timestamp that is not a time",
      event({ event: { type: "APPLICATION_AUTHORIZED", timestamp: "soon", data: {} } }),
    ],
    [
      "a handled event whose data does not fit it",
      event({ event: { type: "ENTITLEMENT_CREATE", timestamp: "2026-12-01T10:00:00.000000", data: { id: "1" } } }),
    ],
  ])("answers 400 to a signed /events body that is %s", async (_name, body) => {
    const response = await send(body, { path: "/events" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_event" } });
  });
});

describe("payload shape", () => {
  it.each([
    ["not JSON", "{type:1"],
    ["a JSON array", "[1]"],
    ["a JSON string", '"ping"'],
    ["null", "null"],
    ["type missing", '{"id":"1"}'],
    ["type as a string", '{"type":"1"}'],
    ["unknown type 99", '{"type":99}'],
    ["type 0", '{"type":0}'],
  ])("answers 400 to a signed body that is %s", async (_name, body) => {
    const response = await send(body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_interaction" } });
  });

  it.each([
    ["no data", interaction({ type: 2 })],
    ["data without name", interaction({ type: 2, data: { id: "1" } })],
    ["data as a string", interaction({ type: 2, data: "ping" as unknown as Record<string, unknown> })],
    ["no member and no user", interaction({ type: 2, data: { name: "ping" }, member: null })],
    ["member without user", interaction({ type: 2, data: { name: "ping" }, member: { permissions: 8 } })],
    ["component without custom_id", interaction({ type: 3, data: {} })],
    ["modal without data", interaction({ type: 5 })],
    ["autocomplete without options", interaction({ type: 4, data: { name: "help" } })],
  ])("never crashes on %s", async (_name, payload) => {
    const response = await send(payload);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { type: number };
    expect([4, 8]).toContain(body.type);
  });

  it("answers an unknown command with an ephemeral sentence", async () => {
    const body = await sendOk(command("does-not-exist"));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toContain("/does-not-exist");
  });

  it("answers an unknown component with an ephemeral sentence", async () => {
    const body = await sendOk(interaction({ type: 3, data: { custom_id: "gone:1", component_type: 2 } }));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toMatch(/no longer has/);
  });

  it("answers an unknown modal with an ephemeral sentence", async () => {
    const body = await sendOk(interaction({ type: 5, data: { custom_id: "gone:1", components: [] } }));
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
  });
});
