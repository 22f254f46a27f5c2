import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  RELAY_BODY_DIGEST_HEADER,
  RELAY_MAX_SKEW_SECONDS,
  RELAY_SIGNATURE_HEADER,
  RELAY_TIMESTAMP_HEADER,
  checkRelayHeaders,
  relayBodyMatches,
  relayHeaders,
  signRelayBody,
  verifyRelayHeaders,
  verifyRelaySignature,
} from "../../src/shared/relay-signature.ts";

const SECRET = "relay-secret";
const NOW = 1_800_000_000;
const BODY = '{"id":"1","input":{"values":"1,2,3"}}';

describe("signRelayBody", () => {
  const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

  it("is HMAC-SHA256 over `${timestamp}.${hex(SHA-256(body))}`, hex with a sha256= prefix", async () => {
    const expected = createHmac("sha256", SECRET)
      .update(`${NOW}.${sha256(BODY)}`)
      .digest("hex");
    expect(await signRelayBody(SECRET, NOW, BODY)).toBe(`sha256=${expected}`);
  });

  it("signs non-ASCII bodies as UTF-8", async () => {
    const body = '{"title":"Café ☕ 日本"}';
    const expected = createHmac("sha256", SECRET)
      .update(`${NOW}.${sha256(body)}`)
      .digest("hex");
    expect(await signRelayBody(SECRET, NOW, body)).toBe(`sha256=${expected}`);
  });

  it("refuses an empty secret and a non-integer timestamp", async () => {
    await expect(signRelayBody("", NOW, BODY)).rejects.toThrow(/relay\(sign\): the relay secret is empty/);
    await expect(signRelayBody(SECRET, 1.5, BODY)).rejects.toThrow(/timestamp must be a non-negative integer/);
  });
});

describe("relayHeaders", () => {
  it("gives the timestamp, the body digest, the signature and a JSON content type", async () => {
    const headers = await relayHeaders(SECRET, BODY, NOW);
    expect(headers).toEqual({
      "content-type": "application/json",
      [RELAY_TIMESTAMP_HEADER]: String(NOW),
      [RELAY_BODY_DIGEST_HEADER]: createHash("sha256").update(BODY).digest("hex"),
      [RELAY_SIGNATURE_HEADER]: await signRelayBody(SECRET, NOW, BODY),
    });
    expect(RELAY_BODY_DIGEST_HEADER).toBe("X-Relay-Body-SHA256");
    expect(RELAY_TIMESTAMP_HEADER).toBe("X-Relay-Timestamp");
    expect(RELAY_SIGNATURE_HEADER).toBe("X-Relay-Signature");
  });

  it("defaults to the current clock", async () => {
    const before = Math.floor(Date.now() / 1000);
    const headers = await relayHeaders(SECRET, BODY);
    const stamp = Number(headers[RELAY_TIMESTAMP_HEADER]);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(before + 2);
  });
});

describe("verifyRelaySignature", () => {
  const verify = async (
    overrides: {
      secret?: string;
      timestamp?: string | null;
      signature?: string | null;
      body?: string;
      now?: number;
    } = {},
  ) => {
    const signature = await signRelayBody(SECRET, NOW, BODY);
    return verifyRelaySignature(
      overrides.secret ?? SECRET,
      overrides.timestamp === undefined ? String(NOW) : overrides.timestamp,
      overrides.signature === undefined ? signature : overrides.signature,
      overrides.body ?? BODY,
      overrides.now ?? NOW,
    );
  };

  it("accepts a correct signature", async () => {
    expect(await verify()).toEqual({ ok: true });
  });

  it("accepts upper-case hex (the MAC bytes are what count)", async () => {
    const signature = await signRelayBody(SECRET, NOW, BODY);
    expect(await verify({ signature: `sha256=${signature.slice(7).toUpperCase()}` })).toEqual({ ok: true });
  });

  it("rejects a wrong secret", async () => {
    expect(await verify({ secret: "other-secret" })).toEqual({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
  });

  it("rejects a tampered body, even by one character", async () => {
    expect((await verify({ body: BODY.replace("1,2,3", "1,2,4") })).ok).toBe(false);
    expect((await verify({ body: `${BODY} ` })).ok).toBe(false);
  });

  it("rejects a timestamp that differs from the signed one", async () => {
    expect((await verify({ timestamp: String(NOW + 1), now: NOW + 1 })).ok).toBe(false);
  });

  it(`accepts skew of exactly ${RELAY_MAX_SKEW_SECONDS} s both ways and rejects ${RELAY_MAX_SKEW_SECONDS + 1} s`, async () => {
    expect(await verify({ now: NOW + 300 })).toEqual({ ok: true });
    expect(await verify({ now: NOW - 300 })).toEqual({ ok: true });
    expect(await verify({ now: NOW + 301 })).toEqual({
      ok: false,
      reason: expect.stringMatching(/301 s old; the limit is 300 s/),
    });
    expect(await verify({ now: NOW - 301 })).toEqual({
      ok: false,
      reason: expect.stringMatching(/301 s in the future/),
    });
  });

  it("rejects missing headers, naming the header", async () => {
    expect(await verify({ timestamp: null })).toEqual({ ok: false, reason: "missing X-Relay-Timestamp header" });
    expect(await verify({ timestamp: "" })).toEqual({ ok: false, reason: "missing X-Relay-Timestamp header" });
    expect(await verify({ signature: null })).toEqual({ ok: false, reason: "missing X-Relay-Signature header" });
  });

  it.each([
    ["a negative timestamp", { timestamp: "-1800000000" }],
    ["a decimal timestamp", { timestamp: "1800000000.0" }],
    ["a timestamp with spaces", { timestamp: " 1800000000" }],
    ["a millisecond-sized timestamp", { timestamp: "1800000000000" }],
    ["no sha256= prefix", { signature: "a".repeat(64) }],
    ["another algorithm", { signature: `sha1=${"a".repeat(40)}` }],
    ["63 hex digits", { signature: `sha256=${"a".repeat(63)}` }],
    ["65 hex digits", { signature: `sha256=${"a".repeat(65)}` }],
    ["non-hex digits", { signature: `sha256=${"g".repeat(64)}` }],
  ])("rejects %s as malformed", async (_name, overrides) => {
    const result = await verify(overrides);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/must be/);
  });

  it("rejects when the verifier has no secret", async () => {
    expect(await verify({ secret: "" })).toEqual({ ok: false, reason: expect.stringMatching(/no relay secret/) });
  });

  it("keeps working with many secrets (bounded key cache)", async () => {
    for (let i = 0; i < 40; i++) {
      const secret = `secret-${i}`;
      const signature = await signRelayBody(secret, NOW, BODY);
      expect(await verifyRelaySignature(secret, String(NOW), signature, BODY, NOW)).toEqual({ ok: true });
    }
    // The first secret was evicted from the cache by now; it must still verify.
    expect(await verify()).toEqual({ ok: true });
  });

  it("never throws, whatever the headers and body (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.option(fc.oneof(fc.string(), fc.stringMatching(/^[0-9]{1,13}$/)), { nil: null }),
        fc.option(fc.oneof(fc.string(), fc.stringMatching(/^sha256=[0-9a-fA-F]{64}$/)), { nil: null }),
        fc.string(),
        fc.oneof(fc.integer(), fc.double()),
        async (secret, timestamp, signature, body, now) => {
          const result = await verifyRelaySignature(secret, timestamp, signature, body, now);
          expect(typeof result.ok).toBe("boolean");
          if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("accepts exactly what it signed, for any secret, body and time (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.integer({ min: -300, max: 300 }),
        async (secret, body, timestamp, skew) => {
          const headers = await relayHeaders(secret, body, timestamp);
          const result = await verifyRelaySignature(
            secret,
            headers[RELAY_TIMESTAMP_HEADER] ?? null,
            headers[RELAY_SIGNATURE_HEADER] ?? null,
            body,
            timestamp + skew,
          );
          expect(result).toEqual({ ok: true });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("checkRelayHeaders", () => {
  it("checks format and skew without the body or the secret", () => {
    const signature = `sha256=${"0".repeat(64)}`;
    expect(checkRelayHeaders(String(NOW), signature, NOW)).toEqual({ ok: true });
    expect(checkRelayHeaders(String(NOW), signature, NOW + 301).ok).toBe(false);
    expect(checkRelayHeaders(null, signature, NOW).ok).toBe(false);
  });
});

describe("verifyRelayHeaders and relayBodyMatches: authentication before the body is read", () => {
  it("accepts the headers relayHeaders gave, with no body in hand, and then the body they describe", async () => {
    const headers = await relayHeaders(SECRET, BODY, NOW);
    const digest = headers[RELAY_BODY_DIGEST_HEADER]!;
    expect(
      await verifyRelayHeaders(SECRET, headers[RELAY_TIMESTAMP_HEADER]!, headers[RELAY_SIGNATURE_HEADER]!, digest, NOW),
    ).toEqual({ ok: true });
    expect(await relayBodyMatches(digest, BODY)).toEqual({ ok: true });
    expect(await relayBodyMatches(digest.toUpperCase(), BODY)).toEqual({ ok: true });
  });

  it("refuses a wrong secret, a digest other than the signed one, and a missing or malformed digest", async () => {
    const headers = await relayHeaders(SECRET, BODY, NOW);
    const [ts, sig, digest] = [
      headers[RELAY_TIMESTAMP_HEADER]!,
      headers[RELAY_SIGNATURE_HEADER]!,
      headers[RELAY_BODY_DIGEST_HEADER]!,
    ];
    expect((await verifyRelayHeaders("other", ts, sig, digest, NOW)).ok).toBe(false);
    const otherDigest = createHash("sha256").update("{}").digest("hex");
    expect(await verifyRelayHeaders(SECRET, ts, sig, otherDigest, NOW)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
    for (const bad of [null, "", "abc", "g".repeat(64)]) {
      expect(await verifyRelayHeaders(SECRET, ts, sig, bad, NOW)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/X-Relay-Body-SHA256 must be/),
      });
    }
  });

  it("a body other than the one signed fails relayBodyMatches, even when the headers pass", async () => {
    const headers = await relayHeaders(SECRET, BODY, NOW);
    expect(await relayBodyMatches(headers[RELAY_BODY_DIGEST_HEADER]!, BODY.replace("1,2,3", "9,9,9"))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match its X-Relay-Body-SHA256/),
    });
  });
});
