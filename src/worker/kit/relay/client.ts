/**
 * Worker → backend relay: `POST {BACKEND_URL}/v1/jobs/{name}` with `{id, input, locale}`, HMAC-signed
 * (src/shared/relay-signature.ts). Every failure becomes a RelayError whose `userMessage` says, in words a Discord
 * user can act on, what went wrong; `message` keeps the operator's detail for the log.
 */
import type { Translate } from "../i18n/messages.ts";
import { platformTranslator } from "../i18n/translators.ts";
import { describeError } from "../log.ts";
import { readCapped } from "../../../shared/capped-body.ts";
import type { JobContract } from "../../../shared/jobs/contract.ts";
import { relayHeaders } from "../../../shared/relay-signature.ts";
import { TOO_COSTLY_CODES } from "../../../shared/http-error.ts";
import { scaled } from "../timing.ts";

/** waitUntil work is cancelled ≈ 30 s after the response; 20 s for the backend leaves time for the final edit. */
const RELAY_TIMEOUT_MS = 20_000;
/**
 * The most the Worker reads of a backend answer. A result is at most one file Discord accepts by default
 * (10 MiB) in base64 (≈ 13.4 MiB) plus its JSON; anything longer is a fault, and reading it whole would spend
 * the isolate's 128 MB and the Free plan's CPU on a message Discord would refuse anyway.
 */
const MAX_RELAY_RESPONSE_BYTES = 14 * 1024 * 1024;

export type RelayErrorKind =
  | "unreachable"
  | "timeout"
  | "busy"
  | "invalid_input"
  | "auth"
  | "not_found"
  | "failed"
  | "bad_response";

/**
 * Which failures a later attempt may fix (issue 19): only a job that never reached the backend (`unreachable`: no
 * connection) or that the backend refused before starting it (`busy`: 503/429). A job the backend received and then
 * failed (`failed`), timed out on (`timeout`: it may still be rendering) or refused as invalid would cost another
 * render and fail again, so the user gets its error at once.
 */
const RETRIABLE_KINDS: ReadonlySet<RelayErrorKind> = new Set(["unreachable", "busy"]);

export class RelayError extends Error {
  override readonly name = "RelayError";
  readonly kind: RelayErrorKind;
  readonly status: number | null;
  /** The sentence the user reads, in their language (the engine asks for it; it imports no relay types). */
  readonly userText: (t: Translate) => string;
  /** The same sentence in English, for logs and for callers with no locale. */
  readonly userMessage: string;
  /** Whether another attempt may succeed (RETRIABLE_KINDS). */
  readonly retriable: boolean;
  /** For invalid input: the field the backend named. */
  readonly field: string | null;
  constructor(
    kind: RelayErrorKind,
    message: string,
    userText: (t: Translate) => string,
    status: number | null = null,
    field: string | null = null,
  ) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.userText = userText;
    this.userMessage = userText(platformTranslator("en"));
    this.retriable = RETRIABLE_KINDS.has(kind);
    this.field = field;
  }
}

export interface RelayTarget {
  readonly backendUrl: string;
  readonly relaySecret: string;
  readonly fetch?: typeof fetch;
}

/**
 * Runs `contract`'s job on the backend. The input is checked against the contract at compile time (NoInfer: the
 * contract alone decides its type); the result is the contract's output type, trusted as the backend is the
 * authenticated other half of the same codebase.
 */
export async function relayJob<Input, Output>(
  target: RelayTarget,
  contract: JobContract<Input, Output>,
  id: string,
  input: NoInfer<Input>,
  options: { signal?: AbortSignal; timeoutMs?: number; locale?: string | null } = {},
): Promise<Output> {
  const job = contract.name;
  // The user's Discord locale, signed with the rest: the backend words what the user reads of it in that language.
  const body = JSON.stringify(options.locale ? { id, input, locale: options.locale } : { id, input });
  const headers = await relayHeaders(target.relaySecret, body);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? scaled(RELAY_TIMEOUT_MS));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const url = `${target.backendUrl}/v1/jobs/${encodeURIComponent(job)}`;
  const doFetch = target.fetch ?? ((input, init) => fetch(input, init));

  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, { method: "POST", headers, body, signal });
    const answer = await readCapped(response.body, MAX_RELAY_RESPONSE_BYTES);
    if (!answer.ok) {
      throw new RelayError(
        "bad_response",
        `relay(${job}): the answer is over ${MAX_RELAY_RESPONSE_BYTES} bytes; stopped reading`,
        (t) => t("relayTooLarge"),
        response.status,
      );
    }
    text = new TextDecoder().decode(answer.bytes);
  } catch (error) {
    if (error instanceof RelayError) throw error;
    if (signal.aborted) {
      throw new RelayError(
        "timeout",
        `relay(${job}): no answer within ${Math.round((options.timeoutMs ?? RELAY_TIMEOUT_MS) / 1000)} s`,
        (t) => t("relayTimeout"),
      );
    }
    throw new RelayError("unreachable", `relay(${job}): ${describeError(error)}`, (t) => t("relayUnreachable"));
  }

  const json = parseJson(text);
  if (response.ok) {
    if (!json || !("result" in json))
      throw new RelayError(
        "bad_response",
        `relay(${job}): 200 without a JSON result`,
        (t) => t("relayBadResponse"),
        200,
      );
    return json.result as Output;
  }
  const error =
    json && typeof json.error === "object" && json.error !== null ? (json.error as Record<string, unknown>) : {};
  const detail = typeof error.message === "string" ? error.message.slice(0, 500) : text.slice(0, 200);
  const status = response.status;
  if (status === 422 || status === 413) {
    const field = typeof error.field === "string" ? error.field : null;
    // Input too costly to draw (estimated, or stopped at the backend's time limit): the backend words the whole
    // sentence for the user, so it is shown as it is. Like any 422, the same input would fail again: not retried.
    const tooCostly = (TOO_COSTLY_CODES as readonly unknown[]).includes(error.code);
    throw new RelayError(
      "invalid_input",
      `relay(${job}): ${status} ${detail}`,
      (t) => (tooCostly ? detail : t("relayInput", detail)),
      status,
      field,
    );
  }
  if (status === 503 || status === 429) {
    const retry = Number(response.headers.get("Retry-After"));
    const seconds = Number.isFinite(retry) && retry > 0 ? Math.ceil(retry) : null;
    throw new RelayError("busy", `relay(${job}): ${status} busy`, (t) => t("relayBusy", seconds), status);
  }
  if (status === 401 || status === 409) {
    throw new RelayError(
      "auth",
      `relay(${job}): ${status} ${detail} (check that RELAY_SECRET matches on both sides and the clocks agree)`,
      (t) => t("relayAuth"),
      status,
    );
  }
  if (status === 404) {
    throw new RelayError(
      "not_found",
      `relay(${job}): the backend has no job "${job}" (deploy the matching backend version)`,
      (t) => t("relayNotFound"),
      status,
    );
  }
  throw new RelayError("failed", `relay(${job}): ${status} ${detail}`, (t) => t("relayFailed"), status);
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
