/**
 * Discord request verification: Ed25519 over `timestamp + rawBody`, with WebCrypto (native, tens of µs;
 * a pure-JS verifier costs milliseconds, a real share of the Free plan's 10 ms CPU budget).
 *
 * Header shapes are checked before any crypto, and a timestamp more than 300 s from now is refused (our
 * policy against replay; Discord itself does not specify one). The imported key is cached per isolate.
 */
import { hexToBytes } from "../hex.ts";
const MAX_TIMESTAMP_SKEW_SECONDS = 300;

export type SignatureFailure =
  | "missing_signature"
  | "malformed_signature"
  | "missing_timestamp"
  | "malformed_timestamp"
  | "stale_timestamp"
  | "bad_signature";

const SIGNATURE_PATTERN = /^[0-9a-fA-F]{128}$/;
const TIMESTAMP_PATTERN = /^\d{1,15}$/;
const encoder = new TextEncoder();

/** The import in flight, then (`resolved`) the key itself, so that a warm isolate skips one await per request. */
let cachedKey: { hex: string; key: Promise<CryptoKey>; resolved?: CryptoKey } | undefined;

function importPublicKey(publicKeyHex: string, publicKey: Uint8Array): CryptoKey | Promise<CryptoKey> {
  if (cachedKey?.hex !== publicKeyHex) {
    const key = crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    const entry: NonNullable<typeof cachedKey> = { hex: publicKeyHex, key };
    cachedKey = entry;
    key.then(
      (resolved) => void (entry.resolved = resolved),
      // A failed import must not stay cached, or one bad moment would poison the isolate.
      () => {
        if (cachedKey === entry) cachedKey = undefined;
      },
    );
  }
  return cachedKey.resolved ?? cachedKey.key;
}

export async function verifyDiscordRequest(
  publicKeyHex: string,
  publicKey: Uint8Array,
  signatureHeader: string | null,
  timestampHeader: string | null,
  body: Uint8Array,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<SignatureFailure | null> {
  if (!signatureHeader) return "missing_signature";
  if (!SIGNATURE_PATTERN.test(signatureHeader)) return "malformed_signature";
  if (!timestampHeader) return "missing_timestamp";
  if (!TIMESTAMP_PATTERN.test(timestampHeader)) return "malformed_timestamp";
  if (Math.abs(nowSeconds - Number(timestampHeader)) > MAX_TIMESTAMP_SKEW_SECONDS) return "stale_timestamp";

  const prefix = encoder.encode(timestampHeader);
  const message = new Uint8Array(prefix.byteLength + body.byteLength);
  message.set(prefix, 0);
  message.set(body, prefix.byteLength);
  try {
    const imported = importPublicKey(publicKeyHex, publicKey);
    const key = imported instanceof Promise ? await imported : imported;
    const ok = await crypto.subtle.verify("Ed25519", key, hexToBytes(signatureHeader), message);
    return ok ? null : "bad_signature";
  } catch {
    // WebCrypto may throw on inputs it considers malformed; for the caller that is just a bad signature.
    return "bad_signature";
  }
}
