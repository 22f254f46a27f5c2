// Signs interactions the way Discord does (Ed25519 over timestamp + raw body), so the Worker's real verification
// runs in every local test. Keys travel as hex: a public key for DISCORD_PUBLIC_KEY, and a private key as PKCS#8
// hex (or a bare 32-byte seed) for whoever plays Discord.

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

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString("hex");
}

function fromHex(hex: string, what: string): Uint8Array<ArrayBuffer> {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) throw new Error(`emulator(signer): ${what} is not hex`);
  const out = new Uint8Array(hex.length / 2);
  out.set(Buffer.from(hex, "hex"));
  return out;
}

async function publicKeyOf(pkcs8Hex: string): Promise<string> {
  const key = await crypto.subtle.importKey("pkcs8", fromHex(pkcs8Hex, "private key"), { name: "Ed25519" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return toHex(Buffer.from(jwk.x!, "base64url"));
}

export async function generateDevKeyPair(): Promise<DevKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  return {
    publicKeyHex: toHex(await crypto.subtle.exportKey("raw", pair.publicKey)),
    privateKeyHex: toHex(await crypto.subtle.exportKey("pkcs8", pair.privateKey)),
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
  const bodyBytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const message = new Uint8Array(Buffer.byteLength(stamp) + bodyBytes.byteLength);
  message.set(new TextEncoder().encode(stamp), 0);
  message.set(bodyBytes, Buffer.byteLength(stamp));
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, key, message);
  return { "X-Signature-Ed25519": toHex(signature), "X-Signature-Timestamp": stamp };
}
