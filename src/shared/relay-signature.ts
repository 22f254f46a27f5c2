// Relay signing, shared by both ends: the Worker signs relay calls with it inside workerd and the backend verifies
// them with it on Node. That is why it uses only WebCrypto (`crypto.subtle`) and TextEncoder, never `node:`
// imports: one implementation means the two sides cannot disagree on the signed string or the header format.
//
// Scheme:
//   X-Relay-Timestamp    Unix seconds
//   X-Relay-Body-SHA256  hex(SHA-256(rawBody))
//   X-Relay-Signature    "sha256=" + hex(HMAC-SHA256(secret, `${timestamp}.${bodySha256Hex}`))
// The MAC covers the body through its digest, so the receiver can authenticate a request from its headers alone,
// before reading a byte of the body, and then check the body against the digest as it arrives. That ordering is
// the point: a body can be megabytes, and a sender without the secret must not get the backend to buffer any of
// it (an earlier scheme MACed the body itself, so anyone could make the backend read 2 MiB before a 401).
// Binding the timestamp into the MAC bounds how long a captured request stays usable (±RELAY_MAX_SKEW_SECONDS);
// the backend's replay cache covers the window itself.

export const RELAY_TIMESTAMP_HEADER = "X-Relay-Timestamp";
export const RELAY_SIGNATURE_HEADER = "X-Relay-Signature";
export const RELAY_BODY_DIGEST_HEADER = "X-Relay-Body-SHA256";
export const RELAY_MAX_SKEW_SECONDS = 300;

export type RelayVerification = { ok: true } | { ok: false; reason: string };

const SIGNATURE_PREFIX = "sha256=";
const SIGNATURE_PATTERN = /^sha256=[0-9a-fA-F]{64}$/;
const DIGEST_PATTERN = /^[0-9a-fA-F]{64}$/;
// Up to 12 digits: Unix seconds stay below that until the year 33658, and it keeps the value a safe integer.
const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
const encoder = new TextEncoder();

// importKey costs more than the HMAC itself for small bodies, so keys are cached per secret. A deployment uses one
// or two secrets (rotation); the cap only stops a caller that passes many different secrets from growing the map.
const KEY_CACHE_LIMIT = 16;
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  const cached = keyCache.get(secret);
  if (cached) return cached;
  const key = crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
  // A failed import must not stay cached: drop it so the next call retries (the caller still sees the rejection).
  key.catch(() => keyCache.delete(secret));
  if (keyCache.size >= KEY_CACHE_LIMIT) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) keyCache.delete(oldest);
  }
  keyCache.set(secret, key);
  return key;
}

// TextEncoder always returns a fresh ArrayBuffer-backed array; workers-types declares the wider ArrayBufferLike,
// which the DOM lib's BufferSource (used on the Node side) does not accept. The cast states what is true in both.
function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>;
}

function signedPayload(timestamp: number, bodyDigestHex: string): Uint8Array<ArrayBuffer> {
  return utf8(`${timestamp}.${bodyDigestHex.toLowerCase()}`);
}

/** hex(SHA-256(rawBody as UTF-8)): the X-Relay-Body-SHA256 value. */
export async function relayBodyDigest(rawBody: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", utf8(rawBody)));
}

function toHex(bytes: ArrayBuffer): string {
  let hex = "";
  for (const byte of new Uint8Array(bytes)) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

// Only called on strings that matched SIGNATURE_PATTERN, so every pair is valid hex.
function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function assertSecret(secret: string, where: string): void {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new TypeError(
      `relay(${where}): the relay secret is empty — set RELAY_SECRET on both the Worker and the backend`,
    );
  }
}

async function signDigest(secret: string, timestamp: number, bodyDigestHex: string): Promise<string> {
  assertSecret(secret, "sign");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError(`relay(sign): timestamp must be a non-negative integer of Unix seconds, got ${timestamp}`);
  }
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), signedPayload(timestamp, bodyDigestHex));
  return SIGNATURE_PREFIX + toHex(mac);
}

/** "sha256=" + hex(HMAC-SHA256(secret, `${timestamp}.${hex(SHA-256(rawBody))}`)). */
export async function signRelayBody(secret: string, timestamp: number, rawBody: string): Promise<string> {
  assertSecret(secret, "sign");
  return signDigest(secret, timestamp, await relayBodyDigest(rawBody));
}

/** Headers for a relay POST: timestamp, body digest, signature and JSON content type. */
export async function relayHeaders(
  secret: string,
  rawBody: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<Record<string, string>> {
  const digest = await relayBodyDigest(rawBody);
  return {
    "content-type": "application/json",
    [RELAY_TIMESTAMP_HEADER]: String(nowSeconds),
    [RELAY_BODY_DIGEST_HEADER]: digest,
    [RELAY_SIGNATURE_HEADER]: await signDigest(secret, nowSeconds, digest),
  };
}

/**
 * The cheap part of verification: header presence and format, and clock skew (|now - timestamp| ≤ 300 s; exactly
 * 300 passes). Lets a server turn away a request before reading its body; verifyRelaySignature runs it too.
 */
export function checkRelayHeaders(
  timestampHeader: string | null,
  signatureHeader: string | null,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): RelayVerification {
  if (timestampHeader === null || timestampHeader === "") {
    return { ok: false, reason: `missing ${RELAY_TIMESTAMP_HEADER} header` };
  }
  if (signatureHeader === null || signatureHeader === "") {
    return { ok: false, reason: `missing ${RELAY_SIGNATURE_HEADER} header` };
  }
  if (!TIMESTAMP_PATTERN.test(timestampHeader)) {
    return { ok: false, reason: `${RELAY_TIMESTAMP_HEADER} must be Unix seconds (digits only)` };
  }
  if (!SIGNATURE_PATTERN.test(signatureHeader)) {
    return { ok: false, reason: `${RELAY_SIGNATURE_HEADER} must be "sha256=" followed by 64 hex digits` };
  }
  const skew = nowSeconds - Number(timestampHeader);
  if (!(Math.abs(skew) <= RELAY_MAX_SKEW_SECONDS)) {
    return {
      ok: false,
      reason:
        `${RELAY_TIMESTAMP_HEADER} is ${Math.abs(skew)} s ${skew > 0 ? "old" : "in the future"}; ` +
        `the limit is ${RELAY_MAX_SKEW_SECONDS} s — check both clocks, and sign each request just before sending it`,
    };
  }
  return { ok: true };
}

async function verifyMac(
  secret: string,
  timestampHeader: string,
  signatureHeader: string,
  bodyDigestHex: string,
): Promise<RelayVerification> {
  try {
    const mac = fromHex(signatureHeader.slice(SIGNATURE_PREFIX.length));
    const valid = await crypto.subtle.verify(
      "HMAC",
      await hmacKey(secret),
      mac,
      signedPayload(Number(timestampHeader), bodyDigestHex),
    );
    return valid
      ? { ok: true }
      : { ok: false, reason: "signature does not match (wrong secret, or the body was changed)" };
  } catch (error) {
    // Only reachable if WebCrypto itself fails; still an answer, never an exception, for the caller.
    return {
      ok: false,
      reason: `signature could not be checked: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Authenticates a relay request from its headers alone, before its body is read: format, clock skew, and the
 * MAC over the timestamp and the declared body digest. What remains is relayBodyMatches once the body is in.
 * Never throws: every problem is a `{ ok: false, reason }`.
 *
 * The MAC comparison is `crypto.subtle.verify`, which compares in constant time (BoringSSL's CRYPTO_memcmp in
 * workerd, OpenSSL's CRYPTO_memcmp in Node), so response timing does not reveal how many leading bytes matched.
 * A plain `===` on hex strings would stop at the first differing character.
 */
export async function verifyRelayHeaders(
  secret: string,
  timestampHeader: string | null,
  signatureHeader: string | null,
  digestHeader: string | null,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<RelayVerification> {
  if (typeof secret !== "string" || secret.length === 0) {
    return { ok: false, reason: "the backend has no relay secret configured" };
  }
  const headers = checkRelayHeaders(timestampHeader, signatureHeader, nowSeconds);
  if (!headers.ok || timestampHeader === null || signatureHeader === null) return headers;
  if (digestHeader === null || !DIGEST_PATTERN.test(digestHeader)) {
    return { ok: false, reason: `${RELAY_BODY_DIGEST_HEADER} must be the body's SHA-256 as 64 hex digits` };
  }
  return verifyMac(secret, timestampHeader, signatureHeader, digestHeader);
}

/**
 * The body half of verification: the body received is the one whose digest the (already verified) headers
 * carry. The digest is not secret, so a plain comparison is fine here.
 */
export async function relayBodyMatches(digestHeader: string, rawBody: string): Promise<RelayVerification> {
  return (await relayBodyDigest(rawBody)) === digestHeader.toLowerCase()
    ? { ok: true }
    : { ok: false, reason: `the body does not match its ${RELAY_BODY_DIGEST_HEADER} (changed after signing)` };
}

/**
 * Checks a whole relay request whose body is already in hand (tests, fakes): the MAC over the timestamp and the
 * body's own digest. Never throws for any header or body value. Constant-time like verifyRelayHeaders.
 */
export async function verifyRelaySignature(
  secret: string,
  timestampHeader: string | null,
  signatureHeader: string | null,
  rawBody: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<RelayVerification> {
  return verifyRelayHeaders(secret, timestampHeader, signatureHeader, await relayBodyDigest(rawBody), nowSeconds);
}
