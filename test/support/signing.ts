/**
 * Signing for tests, over the emulator's signer (src/emulator/signer.ts): one implementation of Discord's
 * Ed25519 over timestamp + raw body, used by the Worker tests in workerd, the bench and the emulator.
 */
import { generateDevKeyPair, signInteraction } from "../../src/emulator/signer.ts";

export interface TestKeyPair {
  publicKeyHex: string;
  privateKeyPkcs8Hex: string;
}

export async function generateTestKeyPair(): Promise<TestKeyPair> {
  const { publicKeyHex, privateKeyHex } = await generateDevKeyPair();
  return { publicKeyHex, privateKeyPkcs8Hex: privateKeyHex };
}

/** Hex signature of `timestamp + body`, exactly as the emulator (playing Discord) signs. */
export async function signBody(pkcs8Hex: string, timestamp: string, body: string | Uint8Array): Promise<string> {
  return (await signInteraction(pkcs8Hex, body, timestamp))["X-Signature-Ed25519"];
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
