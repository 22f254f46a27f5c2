/**
 * The one signing helper for tests: signs interaction bodies the way Discord does (Ed25519 over
 * timestamp + raw body). WebCrypto only, so it runs inside workerd and on Node alike.
 */
export interface TestKeyPair {
  publicKeyHex: string;
  privateKeyPkcs8Hex: string;
}

const encoder = new TextEncoder();

export async function generateTestKeyPair(): Promise<TestKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  return { publicKeyHex: toHex(raw), privateKeyPkcs8Hex: toHex(pkcs8) };
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function privateKey(pkcs8Hex: string): Promise<CryptoKey> {
  let key = keyCache.get(pkcs8Hex);
  if (!key) {
    key = crypto.subtle.importKey("pkcs8", fromHex(pkcs8Hex), { name: "Ed25519" }, false, ["sign"]);
    keyCache.set(pkcs8Hex, key);
  }
  return key;
}

/** Hex signature of `timestamp + body`. */
export async function signBody(pkcs8Hex: string, timestamp: string, body: string | Uint8Array): Promise<string> {
  const bodyBytes = typeof body === "string" ? encoder.encode(body) : body;
  const prefix = encoder.encode(timestamp);
  const message = new Uint8Array(prefix.length + bodyBytes.length);
  message.set(prefix);
  message.set(bodyBytes, prefix.length);
  return toHex(new Uint8Array(await crypto.subtle.sign("Ed25519", await privateKey(pkcs8Hex), message)));
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
