// Downloads a user's attachment. The URL arrives in a relay request, so the backend must not become a proxy to
// arbitrary hosts (SSRF): only hosts on the allowlist, https only (plain http just for loopback, which local
// stacks and tests use), redirects followed by hand so every hop is checked again, a byte cap enforced while
// reading, and a timeout covering the whole download. Problems with the user's file or link are InputErrors
// (422); an upstream that fails or times out is a 502.

import { HttpError, InputError } from "./errors.ts";
import { declaredLength, formatBytes, readCapped } from "./relay-body.ts";

export const DEFAULT_ATTACHMENT_HOSTS = ["cdn.discordapp.com", "media.discordapp.net"] as const;
const ATTACHMENT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;
const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface AllowedHost {
  hostname: string;
  /** "" means the scheme's default port. */
  port: string;
}

export interface DownloadOptions {
  allowedHosts: readonly AllowedHost[];
  fetch: typeof fetch;
  maxBytes: number;
  timeoutMs?: number;
  /** The input field the URL came from, for error messages ("file.url"). */
  field: string;
}

export interface Download {
  bytes: Uint8Array;
  contentType: string | null;
}

/** Parses "host" or "host:port" entries (ATTACHMENT_HOSTS); throws on anything else so a typo fails at startup. */
export function parseAllowedHosts(entries: readonly string[]): AllowedHost[] {
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      let url: URL | undefined;
      try {
        url = /^[^/?#@\s]+$/.test(entry) ? new URL(`https://${entry}`) : undefined;
      } catch {
        url = undefined;
      }
      if (!url) {
        throw new Error(
          `backend(config): attachment host ${JSON.stringify(entry)} is not host[:port] ` +
            '(no scheme, no path), e.g. "cdn.discordapp.com" or "127.0.0.1:9000"',
        );
      }
      return { hostname: url.hostname, port: url.port };
    });
}

/** Scheme, host and path only: Discord CDN query strings carry signed access tokens and must not reach logs. */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = typeof url === "string" ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "(invalid url)";
  }
}

function describeHosts(hosts: readonly AllowedHost[]): string {
  return hosts.map((host) => (host.port ? `${host.hostname}:${host.port}` : host.hostname)).join(", ") || "(none)";
}

/** Validates a URL against the allowlist; throws InputError(field) explaining what is wrong. */
export function checkAttachmentUrl(raw: string, allowedHosts: readonly AllowedHost[], field: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(field, `${field}: not a valid URL`);
  }
  const loopback = LOOPBACK_HOSTNAMES.has(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new InputError(field, `${field}: must be an https URL (plain http is allowed only for loopback hosts)`);
  }
  if (url.username || url.password) {
    throw new InputError(field, `${field}: URLs with credentials are not accepted`);
  }
  const allowed = allowedHosts.some((host) => host.hostname === url.hostname && host.port === url.port);
  if (!allowed) {
    throw new InputError(
      field,
      `${field}: host ${JSON.stringify(url.host)} is not allowed; attachments are fetched only from ${describeHosts(allowedHosts)}`,
    );
  }
  return url;
}

function upstreamError(message: string): HttpError {
  return new HttpError(502, "attachment_unavailable", message);
}

/** Downloads `url` (already checked with checkAttachmentUrl). */
export async function downloadAttachment(url: URL, options: DownloadOptions): Promise<Download> {
  const { field, maxBytes } = options;
  const timeoutMs = options.timeoutMs ?? ATTACHMENT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const limit = formatBytes(maxBytes);
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const response = await options.fetch(current, {
        redirect: "manual",
        signal,
        headers: { accept: "text/csv, text/plain, */*" },
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel();
        const location = response.headers.get("location");
        if (location === null || hop >= MAX_REDIRECTS) {
          throw upstreamError(
            `the attachment host answered with a redirect the backend cannot follow (HTTP ${response.status})`,
          );
        }
        current = checkAttachmentUrl(new URL(location, current).href, options.allowedHosts, field);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        if (response.status >= 400 && response.status < 500) {
          throw new InputError(
            field,
            `${field}: the attachment could not be downloaded (HTTP ${response.status}); the link may have expired — upload the file again`,
            { key: "fileExpired", status: response.status },
          );
        }
        throw upstreamError(`the attachment host failed (HTTP ${response.status}); try again in a moment`);
      }
      const declared = declaredLength(response.headers);
      if (declared !== undefined && declared > maxBytes) {
        await response.body?.cancel();
        throw new InputError("file", `file: the attachment is ${formatBytes(declared)}; the limit is ${limit}`, {
          key: "fileTooLarge",
          size: declared,
          limit: maxBytes,
        });
      }
      const body = await readCapped(response.body, maxBytes);
      if (!body.ok)
        throw new InputError("file", `file: the attachment is larger than the ${limit} limit`, {
          key: "fileTooLarge",
          size: null,
          limit: maxBytes,
        });
      return { bytes: body.bytes, contentType: response.headers.get("content-type") };
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      throw upstreamError(`the attachment download took longer than ${timeoutMs / 1000} s; try again`);
    }
    // Node's fetch reports "fetch failed" and puts the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
    const cause = error instanceof Error ? describeCause(error) : String(error);
    throw upstreamError(`the attachment could not be downloaded: ${cause}`);
  }
}

function describeCause(error: Error): string {
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return `${error.message} (${typeof code === "string" ? code : cause.message})`;
  }
  return error.message;
}
