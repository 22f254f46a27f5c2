/** The Worker's own HTTP surface: JSON responses (health, errors) and the request path. Discord responses live in src/worker/kit/discord. */
const JSON_HEADERS = { "Content-Type": "application/json" } as const;

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Response {
  return jsonResponse({ error: { code, message } }, status, headers);
}

/**
 * The path of the absolute URL workerd hands a Worker (`http://host/path?query`), without a URL object:
 * a runtime object per request, which on workerd costs parse time and garbage collection on the hot path.
 */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const hash = url.indexOf("#", start);
  if (hash >= 0 && hash < end) end = hash;
  return url.slice(start, end);
}
