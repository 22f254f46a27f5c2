// The backend's error vocabulary. Every failure a caller can see is an HttpError and leaves as the same JSON shape,
// `{"error": {"code", "message", ...details}}`, so the Worker can act on `code` and show `message` as it is.
// InputError is the one jobs throw for bad input: it names the offending field and becomes a 422.
// Shared with the Worker (src/commands/chart.ts validates `values` early with the same parser): keep this file
// free of `node:` imports and Node globals; test/node/backend/portable.test.ts checks.

export type ErrorDetails = Record<string, string | number | boolean | null>;

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** Bad job input; `field` is a path inside the request's `input` ("values", "file.url", "points[3].value"). */
export class InputError extends HttpError {
  readonly field: string;

  constructor(field: string, message: string) {
    super(422, "invalid_input", message, { field });
    this.name = "InputError";
    this.field = field;
  }
}

export function errorBody(code: string, message: string, details: ErrorDetails = {}): { error: ErrorDetails } {
  return { error: { code, message, ...details } };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(error: HttpError): Response {
  return jsonResponse(error.status, errorBody(error.code, error.message, error.details), error.headers);
}
