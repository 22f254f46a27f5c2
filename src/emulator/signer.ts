// Signs interactions the way Discord does (Ed25519 over timestamp + raw body), so the Worker's real verification
// runs in every local test. Keys travel as hex: a public key for DISCORD_PUBLIC_KEY, and a private key as PKCS#8
// hex (or a bare 32-byte seed) for whoever plays Discord. WebCrypto only (no Buffer): it runs on Node, in
// workerd and in a browser alike.

const PKCS8_ED25519_PREFIX = "302e020100300506032b657004220420";

export interface DevKeyPair {
  /** 32-byte public key, hex: what the Developer Portal shows as "Public Key". */
  publicKeyHex: string;
  /** PKCS#8 DER, hex. Dev and test use only. */
  privateKeyHex: string;
}

export interface SignatureHeaders {
  "X-Signature-Ed25519": string;
  "X-Signature-Timestamp": string;
}

function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(view, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string, what: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) throw new Error(`emulator(signer): ${what} is not hex`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function publicKeyOf(pkcs8Hex: string): Promise<string> {
  const key = await crypto.subtle.importKey("pkcs8", fromHex(pkcs8Hex, "private key"), { name: "Ed25519" }, true, [
    "sign",
  ]);
  const jwk = (await crypto.subtle.exportKey("jwk", key)) as JsonWebKey;
  return toHex(fromBase64Url(jwk.x!));
}

export async function generateDevKeyPair(): Promise<DevKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  return {
    publicKeyHex: toHex((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer),
    privateKeyHex: toHex((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer),
  };
}

/** A deterministic key pair from a 32-byte seed (hex): lets tests and .dev.vars share fixed keys. */
export async function keyPairFromSeed(seedHex: string): Promise<DevKeyPair> {
  if (!/^[0-9a-f]{64}$/i.test(seedHex)) throw new Error("emulator(signer): a seed is 32 bytes of hex (64 characters)");
  const privateKeyHex = PKCS8_ED25519_PREFIX + seedHex.toLowerCase();
  return { publicKeyHex: await publicKeyOf(privateKeyHex), privateKeyHex };
}

const imported = new Map<string, Promise<CryptoKey>>();

/** Accepts PKCS#8 hex or a bare 32-byte seed hex; caches the imported key. */
export function importPrivateKey(hex: string): Promise<CryptoKey> {
  const pkcs8 = hex.length === 64 ? PKCS8_ED25519_PREFIX + hex : hex;
  let key = imported.get(pkcs8);
  if (!key) {
    key = crypto.subtle.importKey("pkcs8", fromHex(pkcs8, "private key"), { name: "Ed25519" }, false, ["sign"]);
    imported.set(pkcs8, key);
    key.catch(() => imported.delete(pkcs8));
  }
  return key;
}

/** Discord's headers for `body`: the signature covers the timestamp string immediately followed by the body bytes. */
export async function signInteraction(
  privateKey: string | CryptoKey,
  body: string | Uint8Array,
  timestamp: string | number = Math.floor(Date.now() / 1000),
): Promise<SignatureHeaders> {
  const key = typeof privateKey === "string" ? await importPrivateKey(privateKey) : privateKey;
  const stamp = String(timestamp);
  const stampBytes = new TextEncoder().encode(stamp);
  const bodyBytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const message = new Uint8Array(stampBytes.byteLength + bodyBytes.byteLength);
  message.set(stampBytes, 0);
  message.set(bodyBytes, stampBytes.byteLength);
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, key, message);
  return { "X-Signature-Ed25519": toHex(signature), "X-Signature-Timestamp": stamp };
}
