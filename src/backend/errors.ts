// The backend's error responses. Every failure a caller can see is an HttpError (src/shared/http-error.ts) and
// leaves as the same JSON shape, `{"error": {"code", "message", ...details}}`, so the Worker can act on `code`
// and show `message` as it is. InputError is the one jobs throw for bad input: it names the field; a 422.
// TooCostlyError is valid input too costly to draw (an estimate over budget, or a render stopped at its limit): a 422
// whose message the Worker shows the user as it is.

import type { HttpError, ErrorDetails } from "../shared/http-error.ts";

export { HttpError, InputError, TooCostlyError } from "../shared/http-error.ts";

function errorBody(code: string, message: string, details: ErrorDetails = {}): { error: ErrorDetails } {
  return { error: { code, message, ...details } };
}

/** Same argument order as the Worker's jsonResponse (src/worker/kit/http.ts) and `Response.json(body, init)`. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(error: HttpError): Response {
  return jsonResponse(errorBody(error.code, error.message, error.details), error.status, error.headers);
}
