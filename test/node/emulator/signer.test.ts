// The signer must produce what Discord produces: Ed25519 over timestamp + raw body, verifiable by Node's crypto
// and by discord-interactions' verifyKey (the library the Worker's own checks mirror).
import { createPublicKey, verify } from "node:crypto";
import { verifyKey } from "discord-interactions";
import { describe, expect, it } from "vitest";
import { generateDevKeyPair, keyPairFromSeed, signInteraction } from "../../support/discord-emulator.ts";

const body = JSON.stringify({ type: 1, id: "1", token: "t", application_id: "2", version: 1 });

function nodeVerify(publicKeyHex: string, timestamp: string, raw: string, signatureHex: string): boolean {
  // SPKI DER for Ed25519 = fixed 12-byte prefix + the 32-byte key.
  const key = createPublicKey({
    key: Buffer.from("302a300506032b6570032100" + publicKeyHex, "hex"),
    format: "der",
    type: "spki",
  });
  return verify(null, Buffer.from(timestamp + raw), key, Buffer.from(signatureHex, "hex"));
}

describe("signer", () => {
  it("signs timestamp + body so Node's crypto and verifyKey both accept it", async () => {
    const keys = await generateDevKeyPair();
    expect(keys.publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
    const headers = await signInteraction(keys.privateKeyHex, body, 1_700_000_000);
    expect(headers["X-Signature-Timestamp"]).toBe("1700000000");
    expect(headers["X-Signature-Ed25519"]).toMatch(/^[0-9a-f]{128}$/);
    expect(nodeVerify(keys.publicKeyHex, "1700000000", body, headers["X-Signature-Ed25519"])).toBe(true);
    expect(
      await verifyKey(body, headers["X-Signature-Ed25519"], headers["X-Signature-Timestamp"], keys.publicKeyHex),
    ).toBe(true);
  });

  it("signatures do not verify for another body, timestamp or key", async () => {
    const keys = await generateDevKeyPair();
    const other = await generateDevKeyPair();
    const headers = await signInteraction(keys.privateKeyHex, body, "1700000000");
    const sig = headers["X-Signature-Ed25519"];
    expect(await verifyKey(body + " ", sig, "1700000000", keys.publicKeyHex)).toBe(false);
    expect(await verifyKey(body, sig, "1700000001", keys.publicKeyHex)).toBe(false);
    expect(await verifyKey(body, sig, "1700000000", other.publicKeyHex)).toBe(false);
  });

  it("defaults the timestamp to now, in seconds", async () => {
    const keys = await generateDevKeyPair();
    const before = Math.floor(Date.now() / 1000);
    const headers = await signInteraction(keys.privateKeyHex, body);
    const stamp = Number(headers["X-Signature-Timestamp"]);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(before + 1);
  });

  it("derives a fixed key pair from a seed, and signs with the seed or the PKCS#8 key alike", async () => {
    const seed = "11".repeat(32);
    const a = await keyPairFromSeed(seed);
    const b = await keyPairFromSeed(seed);
    expect(a).toEqual(b);
    const bySeed = await signInteraction(seed, body, 1);
    const byPkcs8 = await signInteraction(a.privateKeyHex, body, 1);
    expect(bySeed).toEqual(byPkcs8); // Ed25519 is deterministic
    expect(await verifyKey(body, bySeed["X-Signature-Ed25519"], "1", a.publicKeyHex)).toBe(true);
  });

  it("signs raw bytes, including non-ASCII bodies", async () => {
    const keys = await generateDevKeyPair();
    const raw = JSON.stringify({ content: "héllo 👋" });
    const headers = await signInteraction(keys.privateKeyHex, new TextEncoder().encode(raw), 5);
    expect(nodeVerify(keys.publicKeyHex, "5", raw, headers["X-Signature-Ed25519"])).toBe(true);
  });

  it("rejects a malformed seed with a namespaced error", async () => {
    await expect(keyPairFromSeed("xyz")).rejects.toThrow(/^emulator\(signer\)/);
  });
});
