// Validates the chart job's input once, at the boundary, into a typed value: every later step trusts it. Data given
// inline (values, points) is parsed here, so a typo is a 422 before any work is queued; an attachment is only
// checked (URL allowlist, declared size and type) because downloading it is part of the job's run. The wire shape
// (field names, kinds) is the job's contract, src/shared/jobs/chart.ts; ChartInput is the validated form.

import { InputError } from "../../errors.ts";
import { checkAttachmentUrl, type AllowedHost } from "../../attachment.ts";
import { formatBytes } from "../../relay-body.ts";
import { CHART_KINDS, type ChartJobInput, type ChartKind } from "../../../shared/jobs/chart.ts";
import { parseValues } from "../../../shared/chart-data/values.ts";
import { chartSizeProblem } from "../../../shared/chart-data/number.ts";
import {
  MAX_FILE_BYTES,
  MAX_LABEL_LENGTH,
  MAX_POINTS,
  MAX_TITLE_LENGTH,
  type Point,
} from "../../../shared/chart-data/points.ts";

type ChartSource =
  | { type: "values"; points: Point[] }
  | { type: "points"; points: Point[] }
  | { type: "file"; url: URL; filename?: string };

export interface ChartInput {
  kind: ChartKind;
  title?: string;
  source: ChartSource;
}

// The request body cap for the chart job (Job.maxInputBytes). The largest body the chart job accepts is `points`
// (what the Worker sends to re-render a stored chart): attachments travel as a URL the backend downloads, and
// `values` is a slash-command option (≤ 6,000 characters). JSON-encoded, one point costs at most
//   22 bytes of keys and punctuation, {"label":"","value":},
//   24 for the value, the longest a finite number prints ("-2.2250738585072014e-308"),
//   3 × MAX_LABEL_LENGTH for the label: UTF-8 takes at most 3 bytes per UTF-16 unit (4 for an astral character,
//     which is 2 units), and `"` or `\` escape to 2,
// so MAX_POINTS points plus a MAX_TITLE_LENGTH title (3 bytes a unit) and the envelope (an id of ≤ 64 characters
// and the keys, under 256 bytes) come to LARGEST_CHART_BODY_BYTES, 3,460,556 bytes. The cap of 4 MiB leaves 21%
// headroom. Labels made of control characters (6 bytes each as \u00XX) could exceed it; such a re-render is
// refused with a 413 naming the limit rather than letting every unauthenticated request claim 6.5 MB.
const POINT_JSON_OVERHEAD = '{"label":"","value":},'.length;
const MAX_NUMBER_JSON_LENGTH = "-2.2250738585072014e-308".length;
const MAX_UTF8_BYTES_PER_UNIT = 3;
const ENVELOPE_BYTES = 256;
export const LARGEST_CHART_BODY_BYTES =
  MAX_POINTS * (POINT_JSON_OVERHEAD + MAX_NUMBER_JSON_LENGTH + MAX_UTF8_BYTES_PER_UNIT * MAX_LABEL_LENGTH) +
  MAX_UTF8_BYTES_PER_UNIT * MAX_TITLE_LENGTH +
  ENVELOPE_BYTES;
export const CHART_MAX_INPUT_BYTES = 4 * 1024 * 1024;

// The contract's field names: a field renamed there is a type error here.
const FIELDS = ["kind", "title", "values", "file", "points"] as const satisfies readonly (keyof ChartJobInput)[];
const SOURCES = ["values", "file", "points"] as const satisfies readonly (keyof ChartJobInput)[];
// Discord reports .csv uploads as text/csv, but some systems label them as Excel or generic binary.
const CSV_CONTENT_TYPES = /^(text\/[\w.+-]+|application\/(csv|vnd\.ms-excel|octet-stream))\s*(;|$)/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function parseKind(value: unknown): ChartKind {
  if (!present(value)) return "line";
  const kind = CHART_KINDS.find((candidate) => candidate === value);
  if (kind === undefined) {
    const kinds = CHART_KINDS.map((name) => JSON.stringify(name)).join(" or ");
    throw new InputError("kind", `kind: must be ${kinds}, got ${JSON.stringify(value)}`);
  }
  return kind;
}

function parseTitle(value: unknown): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value !== "string") throw new InputError("title", "title: must be a string");
  const title = value.trim();
  if (title.length > MAX_TITLE_LENGTH) {
    throw new InputError("title", `title: ${title.length} characters; the limit is ${MAX_TITLE_LENGTH}`);
  }
  return title === "" ? undefined : title;
}

function parseFile(value: unknown, hosts: readonly AllowedHost[]): ChartSource {
  // Other keys are allowed: the Worker may pass Discord's whole attachment object (id, proxy_url, …).
  if (!isRecord(value)) throw new InputError("file", "file: must be an object with a url");
  if (typeof value.url !== "string" || value.url === "")
    throw new InputError("file.url", "file.url: required (a string)");
  if (present(value.size)) {
    if (typeof value.size !== "number" || !Number.isFinite(value.size) || value.size < 0) {
      throw new InputError("file.size", "file.size: must be a number of bytes");
    }
    if (value.size > MAX_FILE_BYTES) {
      throw new InputError(
        "file.size",
        `file.size: the attachment is ${formatBytes(value.size)}; the limit is ${formatBytes(MAX_FILE_BYTES)}`,
        { key: "fileTooLarge", size: value.size, limit: MAX_FILE_BYTES },
      );
    }
  }
  if (present(value.content_type)) {
    if (typeof value.content_type !== "string")
      throw new InputError("file.content_type", "file.content_type: must be a string");
    if (!CSV_CONTENT_TYPES.test(value.content_type)) {
      throw new InputError(
        "file.content_type",
        `file.content_type: ${JSON.stringify(value.content_type)} is not a CSV file; attach a .csv or .txt file`,
        { key: "fileNotCsv", contentType: value.content_type },
      );
    }
  }
  if (present(value.filename) && typeof value.filename !== "string") {
    throw new InputError("file.filename", "file.filename: must be a string");
  }
  const url = checkAttachmentUrl(value.url, hosts, "file.url");
  return typeof value.filename === "string" ? { type: "file", url, filename: value.filename } : { type: "file", url };
}

function parsePoints(value: unknown): ChartSource {
  if (!Array.isArray(value)) throw new InputError("points", "points: must be an array of {label, value}");
  if (value.length === 0) throw new InputError("points", "points: must not be empty");
  if (value.length > MAX_POINTS) {
    throw new InputError("points", `points: ${value.length} given; the limit is ${MAX_POINTS.toLocaleString("en-US")}`);
  }
  const points = value.map((item: unknown, index): Point => {
    const field = `points[${index}]`;
    if (!isRecord(item)) throw new InputError(field, `${field}: must be an object {label, value}`);
    if (typeof item.label !== "string" || item.label.length > MAX_LABEL_LENGTH) {
      throw new InputError(
        `${field}.label`,
        `${field}.label: must be a string of at most ${MAX_LABEL_LENGTH} characters`,
      );
    }
    if (typeof item.value !== "number" || !Number.isFinite(item.value)) {
      throw new InputError(`${field}.value`, `${field}.value: must be a finite number`);
    }
    const problem = chartSizeProblem(item.value);
    if (problem !== undefined) throw new InputError(`${field}.value`, `${field}.value: ${item.value} ${problem}`);
    return { label: item.label, value: item.value };
  });
  return { type: "points", points };
}

export function parseChartInput(raw: unknown, hosts: readonly AllowedHost[]): ChartInput {
  if (!isRecord(raw)) throw new InputError("input", "input: must be a JSON object");
  for (const key of Object.keys(raw)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new InputError(key, `${key}: unknown field; the chart job takes ${FIELDS.join(", ")}`);
    }
  }
  const kind = parseKind(raw.kind);
  const title = parseTitle(raw.title);

  const given = SOURCES.filter((name) => present(raw[name]));
  const [first, second] = given;
  if (first === undefined) {
    throw new InputError("values", "values: give the data as exactly one of values, file or points (none was given)");
  }
  if (second !== undefined) {
    throw new InputError(second, `${second}: give exactly one of values, file or points (got ${given.join(" and ")})`);
  }

  let source: ChartSource;
  if (first === "values") {
    if (typeof raw.values !== "string") throw new InputError("values", 'values: must be a string such as "3, 5, 8"');
    source = { type: "values", points: parseValues(raw.values) };
  } else if (first === "file") source = parseFile(raw.file, hosts);
  else source = parsePoints(raw.points);

  return title === undefined ? { kind, source } : { kind, title, source };
}
