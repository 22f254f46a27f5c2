/** JSON responses for the Worker's own HTTP surface (health, errors); Discord responses live in src/discord. */
const JSON_HEADERS = { "Content-Type": "application/json" } as const;

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(status: number, code: string, message: string, headers?: Record<string, string>): Response {
  return jsonResponse({ error: { code, message } }, status, headers);
}
