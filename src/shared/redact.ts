// What may never reach a log line, and the one function that enforces it for the Worker's and the backend's
// loggers. Callers already avoid logging secrets; this is the net under them, and it has to hold for values
// nested anywhere (an interaction's `data.resolved.attachments.*.url` carries the CDN's signed `ex/is/hm`
// access parameters), not only for top-level key names.
//
// Three rules:
//   1. a field whose name suggests a credential (token, secret, signature, authorization, password, cookie,
//      api key) is replaced, at any depth;
//   2. a URL's query string is dropped wherever a URL appears in a string: signed URLs (Discord's CDN, S3-style
//      presigned links) carry their authority there, and no query string is worth a leaked link;
//   3. anything shaped like a Discord bot token or interaction token is replaced wherever it appears.
//
// Log lines are written on the 3-second path, so the common case (flat fields, short strings without "?") costs
// a key test (cached per name) and an indexOf per string, and allocates nothing.

const REDACTED = "[redacted]";

const SECRET_KEY = /token|secret|signature|authorization|password|cookie|api[-_]?key|credential/i;
/** Origin and path stay (they say which file); the query goes. */
const URL_QUERY = /(\b[a-z][a-z\d+.-]*:\/\/[^\s?#"'<>\\]+)\?[^\s#"'<>\\]*/gi;
/** Bot tokens: base64 user id, a dot, a timestamp, a dot, an HMAC. */
const BOT_TOKEN = /[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/g;
/** Interaction tokens are base64 of "interaction:<id>:…". */
const INTERACTION_TOKEN = /aW50ZXJhY3Rpb246[\w+/=-]+/g;
/** The shortest bot token; shorter strings without "?" need no pattern test at all. */
const MIN_TOKEN_LENGTH = 58;
const MAX_DEPTH = 8;

/** Field names repeat on every line: test each name once per isolate. */
const secretKeyCache = new Map<string, boolean>();

function isSecretKey(key: string): boolean {
  let secret = secretKeyCache.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    if (secretKeyCache.size < 512) secretKeyCache.set(key, secret);
  }
  return secret;
}

/** A string with every URL query, bot token and interaction token removed; the same string when clean. */
function redactString(value: string): string {
  if (value.length < MIN_TOKEN_LENGTH && value.indexOf("?") === -1) return value;
  let out = value;
  if (out.indexOf("?") !== -1) out = out.replace(URL_QUERY, `$1?${REDACTED}`);
  if (out.length >= MIN_TOKEN_LENGTH) out = out.replace(BOT_TOKEN, REDACTED).replace(INTERACTION_TOKEN, REDACTED);
  return out;
}

/**
 * A copy of `value` with the rules above applied at every depth; the same object when nothing needed
 * redacting (no allocation on the common path). Beyond MAX_DEPTH a value is replaced rather than walked, so a
 * deep or cyclic structure cannot smuggle anything through or hang the logger.
 */
export function redact<T>(value: T, depth = 0): T {
  if (typeof value === "string") return redactString(value) as T;
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return "[too deep]" as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = redact(item, depth + 1);
      if (clean !== item) (out ??= value.slice())[i] = clean;
    }
    return (out ?? value) as T;
  }
  // Own and inherited enumerable keys, as JSON.stringify sees them (an Error's message and stack are not
  // enumerable: loggers pass them as fields, through errorFields/describeError, where they are strings).
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key in record) {
    const item = record[key];
    const clean = isSecretKey(key) ? (item === undefined || item === null ? item : REDACTED) : redact(item, depth + 1);
    if (clean !== item) (out ??= { ...record })[key] = clean;
  }
  return (out ?? value) as T;
}
