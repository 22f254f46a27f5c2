// HTTP errors with a status, a machine-readable code and a message a person can act on. Shared by the backend
// (every failure leaves as `{"error": {"code", "message", ...details}}`) and the Worker, which runs the same
// input parsers (src/shared/chart-data) for its cheap checks before deferring. Web-platform only: no `node:`
// imports or Node globals (test/node/backend/portable.test.ts checks).

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
