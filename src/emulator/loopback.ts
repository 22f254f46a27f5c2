// The emulator trusts whoever reaches it on 127.0.0.1: its routes hand out interaction tokens and files with no
// credentials. A web page cannot reach 127.0.0.1 under its own name, except by DNS rebinding (its name
// re-resolved to 127.0.0.1); the browser then still sends that name as Host. So the network-facing server answers
// only requests addressed to a loopback name, and the control surface's Origin check uses the same predicate.

/** As URL spells them: lowercase, IPv6 in brackets and compressed (so [0:0:0:0:0:0:0:1] is [::1]). */
const LOOPBACK_HOSTNAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether a URL's `hostname` (already lowercased and normalized by URL) names this machine. "localhost." is the
 * same name fully qualified; no outside DNS answers for it, so it cannot be rebound.
 */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname.endsWith(".") ? hostname.slice(0, -1) : hostname);
}

/** Whether a Host header (host[:port], any port) names this machine; a missing one, userinfo or a path does not. */
export function isLoopbackHost(host: string | null): boolean {
  if (!host) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return false;
  return isLoopbackHostname(url.hostname);
}

/**
 * Null when the request is addressed to loopback, else a 421 Misdirected Request: the server is not an origin
 * for the name it was asked for (RFC 9110 §15.5.20), which is the case of a rebound name, rather than a 403
 * about who is asking. The URL is checked too, since an absolute request target (`GET http://…`) overrides Host.
 */
export function refuseNonLoopbackHost(request: Request): Response | null {
  const host = request.headers.get("host");
  if (isLoopbackHost(host) && isLoopbackHostname(new URL(request.url).hostname)) return null;
  const named = host === null ? "no Host header" : `Host ${JSON.stringify(host)}`;
  return Response.json(
    {
      message: `emulator(host): refused a request with ${named}; the emulator only answers requests addressed to 127.0.0.1, localhost or [::1] (any port), so a web page cannot read it through DNS rebinding`,
      code: 0,
    },
    { status: 421 },
  );
}
