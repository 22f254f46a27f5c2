// HTTP errors with a status, a machine-readable code and a message a person can act on. Shared by the backend
// (every failure leaves as `{"error": {"code", "message", ...details}}`) and the Worker, which runs the same
// input parsers (src/shared/chart-data) for its cheap checks before deferring. Web-platform only: no `node:`
// imports or Node globals (test/node/backend/portable.test.ts checks).

import type { NumberProblem } from "./chart-data/number.ts";

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

/**
 * Valid input that costs too much to process: refused on an estimate before the work starts ("too_costly"), or
 * stopped at the backend's time limit ("render_timeout"). A 422 like InputError, because the same input fails the
 * same way every time (the details say `retriable: false`), but its message is a whole sentence written for the
 * person who sent the input, which the Worker shows as it is (src/worker/kit/relay/client.ts).
 */
export const TOO_COSTLY_CODES = ["too_costly", "render_timeout"] as const;

/** Why a chart costs too much, as data: the backend words it in the user's language (src/backend/i18n/). */
export type CostProblem =
  | { key: "tooCostly"; units: number; budget: number; drivers: readonly CostDriver[] }
  | { key: "renderTimeout"; seconds: number };
/** What drives a chart's cost (render-cost.ts), as data. */
export type CostDriver =
  | { key: "points"; count: number }
  | { key: "symbols"; count: number }
  | { key: "bars"; count: number }
  | { key: "labels"; longest: number }
  | { key: "text"; chars: number }
  | { key: "foreign" };

export class TooCostlyError extends HttpError {
  readonly problem: CostProblem | undefined;
  constructor(
    code: (typeof TOO_COSTLY_CODES)[number],
    message: string,
    details: ErrorDetails = {},
    problem?: CostProblem,
  ) {
    super(422, code, message, { ...details, retriable: false });
    this.name = "TooCostlyError";
    this.problem = problem;
  }
}

/**
 * What was wrong with the input, as data, for the parsers the Worker runs before deferring (src/shared/chart-data/
 * values.ts): the Worker words it in the user's language from its message catalogue; `message` stays the English.
 */
export type InputProblem =
  | FileProblem
  | { key: "valuesEmpty" }
  | { key: "valuesTooMany"; count: number; max: number }
  | { key: "valuesNoLabel"; entry: string; position: number }
  | {
      key: "valuesBad";
      value: string;
      position: number;
      hint: boolean;
      reason: { key: "notANumber" } | { key: "tooLarge"; max: string } | { key: "tooSmall"; min: string };
    };

/** Why a CSV row gave no point, as data (src/shared/chart-data/csv.ts); the backend words it in the user's language. */
export type RowProblem =
  | { key: "blankLine" }
  | { key: "emptyCells" }
  | { key: "columns"; count: number; decimalCommaHint: boolean }
  | { key: "columnsDiffer"; count: number; above: number }
  | { key: "emptyValue" }
  | { key: "badValue"; value: string; reason: NumberProblem };

/**
 * What was wrong with an attached file, as data: the backend words it in the user's language (src/backend/i18n/),
 * `message` stays the English for logs.
 */
export type FileProblem =
  | { key: "csvUnclosedQuote"; row: number }
  | { key: "csvTooManyRows"; max: number }
  | { key: "csvRow"; row: number; reason: RowProblem }
  | { key: "csvNoRowReadable"; row: number; reason: RowProblem }
  | { key: "csvHeaderOnly" }
  | { key: "csvEmpty" }
  | { key: "fileNotText" }
  | { key: "fileTooLarge"; size: number | null; limit: number }
  | { key: "fileNotCsv"; contentType: string }
  | { key: "fileExpired"; status: number };

/** Bad job input; `field` is a path inside the request's `input` ("values", "file.url", "points[3].value"). */
export class InputError extends HttpError {
  readonly field: string;
  readonly problem: InputProblem | undefined;

  constructor(field: string, message: string, problem?: InputProblem) {
    super(422, "invalid_input", message, { field });
    this.name = "InputError";
    this.field = field;
    this.problem = problem;
  }
}
