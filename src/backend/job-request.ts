// POST /v1/jobs/{name}: the checks a relay request passes before a job runs, in an order chosen so each answer
// is the most useful one and as little as possible is done for a request that will be refused:
//   401 bad signature headers, clock skew or MAC (from the headers alone: the MAC covers the body's digest, so an
//       unauthenticated sender is refused before its body is read)
//   413 body over the job's maxInputBytes (an unknown job: the largest), by Content-Length or counted
//   503 body_evicted (the body budget needed room and this read was the oldest)   408 body not in within the deadline
//   401 the body does not match the signed digest    409 the same signature within 10 minutes (replay)
//   404 unknown job    400 body not JSON    422 invalid input, naming the field
//   503 saturated or shutting down, with Retry-After (the signature is forgotten again, so a retry is allowed); a
//       job may answer 503 too (every render thread busy, render-pool.ts), and is forgotten the same way
// The body budget (body-budget.ts) still bounds what signed senders can pin: a captured request's headers can be
// replayed with a slow body within the skew window, and the Worker itself may send many bodies at once.
// then the job runs; an HttpError it throws keeps its status, anything else is a 500 `job_failed` with a `ref`
// that matches the log line carrying the stack.

import {
  RELAY_BODY_DIGEST_HEADER,
  RELAY_SIGNATURE_HEADER,
  RELAY_TIMESTAMP_HEADER,
  relayBodyMatches,
  verifyRelayHeaders,
} from "../shared/relay-signature.ts";
import { HttpError, InputError, errorResponse, jsonResponse } from "./errors.ts";
import { declaredLength, formatBytes, readCappedUntil } from "./relay-body.ts";
import type { BodyBudget } from "./body-budget.ts";
import { describeError, type Logger } from "./log.ts";
import type { Job, JobContext } from "./jobs/job.ts";
import type { AllowedHost } from "./attachment.ts";
import type { Limiter } from "./limiter.ts";
import type { ReplayStore } from "./replay-cache.ts";
import type { DrawChart } from "./jobs/chart/draw.ts";
import { backendSentences } from "./i18n/messages.ts";
import { worded } from "./i18n/wording.ts";

export const RETRY_AFTER_SECONDS = 2;
const MAX_ID_LENGTH = 64;

export interface JobRequestDeps {
  relaySecret: string;
  jobs: ReadonlyMap<string, Job>;
  /** The largest maxInputBytes of all jobs: the cap for a job name that does not exist. */
  largestInputBytes: number;
  bodyBudget: BodyBudget;
  attachmentHosts: readonly AllowedHost[];
  limiter: Limiter;
  replayStore: ReplayStore;
  fetch: typeof fetch;
  drawChart: DrawChart;
  renderBudget: number;
  now: () => number;
  log: Logger;
  isDraining: () => boolean;
}

interface Envelope {
  id: string;
  input: unknown;
  /** The user's Discord locale ("de", "en-US"); null from a Worker that sends none: English. */
  locale: string | null;
}

/** A Discord locale's shape ("de", "en-US", "es-419"): anything else is refused, naming the field. */
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/;

/** What the handler learned about the request, for its one log line. */
export interface JobRequestTrace {
  id?: string;
  /** `error.code` of the answer, when it is an error. */
  code?: string;
  ref?: string;
  /** Set once the request body has been read to its end. */
  bodyRead?: boolean;
}

function parseEnvelope(text: string): Envelope {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", 'the request body is not valid JSON; send {"id": "...", "input": {...}}');
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new HttpError(400, "invalid_json", 'the request body must be a JSON object {"id": "...", "input": {...}}');
  }
  const { id, input, locale } = body as Record<string, unknown>;
  if (typeof id !== "string" || !/^[\w-]+$/.test(id) || id.length > MAX_ID_LENGTH) {
    throw new InputError(
      "id",
      `id: must be the interaction id, a string of at most ${MAX_ID_LENGTH} letters, digits, _ or -`,
    );
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InputError("input", "input: must be a JSON object with the job's parameters");
  }
  if (locale !== undefined && locale !== null && (typeof locale !== "string" || !LOCALE.test(locale))) {
    throw new InputError("locale", 'locale: must be a Discord locale such as "de" or "en-US", or absent (English)');
  }
  return { id, input, locale: typeof locale === "string" ? locale : null };
}

function unauthorized(reason: string): HttpError {
  return new HttpError(401, "unauthorized", `relay signature rejected: ${reason}`);
}

export async function handleJobRequest(
  request: Request,
  jobName: string,
  deps: JobRequestDeps,
  trace: JobRequestTrace,
): Promise<Response> {
  const nowMs = deps.now();
  const nowSeconds = Math.floor(nowMs / 1000);
  const timestamp = request.headers.get(RELAY_TIMESTAMP_HEADER);
  const signature = request.headers.get(RELAY_SIGNATURE_HEADER);

  const digest = request.headers.get(RELAY_BODY_DIGEST_HEADER);

  // The MAC covers the body's digest, so a sender without the secret is refused here, before a byte of its body
  // is read (and app.ts closes the connection rather than letting Node drain the body).
  const headerCheck = await verifyRelayHeaders(deps.relaySecret, timestamp, signature, digest, nowSeconds);
  if (!headerCheck.ok || digest === null)
    throw unauthorized(headerCheck.ok ? "missing body digest" : headerCheck.reason);

  // The job is looked up now only for its body cap. An unknown name is still answered 404 after the MAC, so an
  // unsigned request gets no list of jobs; its body is read under the largest cap like any other.
  const job = deps.jobs.get(jobName);
  const cap = job?.maxInputBytes ?? deps.largestInputBytes;
  const declared = declaredLength(request.headers);
  if (declared !== undefined && declared > cap) {
    throw new HttpError(
      413,
      "payload_too_large",
      `the request body is ${formatBytes(declared)}; the limit for this job is ${formatBytes(cap)}`,
    );
  }
  // Every read reserves its most bytes from the shared budget before the first byte: the declared length, or the
  // job's cap when there is none (chunked encoding, a Request built in-process). The Worker's string body always
  // declares its length, so the relay path reserves exactly what it sends.
  const limit = declared ?? cap;
  const reservation = deps.bodyBudget.reserve(limit);
  let body;
  try {
    body = await readCappedUntil(request.body, limit, reservation.signal);
  } catch (error) {
    if (reservation.signal.aborted && reservation.signal.reason instanceof HttpError) throw reservation.signal.reason;
    throw error;
  } finally {
    reservation.release();
  }
  trace.bodyRead = body.ok;
  if (!body.ok) {
    // Only an unframed body (no HTTP parser in between) can outrun its own Content-Length.
    throw new HttpError(
      413,
      "payload_too_large",
      declared === undefined
        ? `the request body is over the ${formatBytes(cap)} limit for this job`
        : `the request body is longer than its Content-Length (${declared} bytes)`,
    );
  }
  const rawBody = new TextDecoder().decode(body.bytes);

  const matches = await relayBodyMatches(digest, rawBody);
  if (!matches.ok) throw unauthorized(matches.reason);

  // Hex case does not change the MAC, so the key is lower-cased: "ABC…" must count as a replay of "abc…".
  const replayKey = (signature ?? "").toLowerCase();
  if (await deps.replayStore.checkAndRecord(replayKey, nowMs)) {
    throw new HttpError(409, "replayed", "this signed request was already received; sign every request afresh");
  }

  if (job === undefined) {
    throw new HttpError(
      404,
      "unknown_job",
      `no job named ${JSON.stringify(jobName)}; available: ${[...deps.jobs.keys()].join(", ")}`,
    );
  }

  const envelope = parseEnvelope(rawBody);
  trace.id = envelope.id;
  // What the user reads of a refusal or a skipped row is worded in their language from here on (i18n/wording.ts).
  const sentences = backendSentences(envelope.locale);
  const ctx: JobContext = {
    id: envelope.id,
    sentences,
    fetch: deps.fetch,
    drawChart: deps.drawChart,
    renderBudget: deps.renderBudget,
    attachmentHosts: deps.attachmentHosts,
    log: deps.log,
  };
  let run: () => Promise<unknown>;
  try {
    run = job.prepare(envelope.input, ctx);
  } catch (error) {
    throw worded(error, sentences);
  }

  const release = deps.isDraining() ? null : deps.limiter.tryAcquire();
  if (release === null) {
    await deps.replayStore.forget(replayKey);
    const retryAfter = { "retry-after": String(RETRY_AFTER_SECONDS) };
    throw deps.isDraining()
      ? new HttpError(503, "shutting_down", "the backend is shutting down; retry shortly", {}, retryAfter)
      : new HttpError(503, "saturated", `all job slots are busy; retry after ${RETRY_AFTER_SECONDS} s`, {}, retryAfter);
  }

  try {
    const result = await run();
    return jsonResponse({ id: envelope.id, result });
  } catch (thrown) {
    const error = worded(thrown, sentences);
    if (error instanceof HttpError) {
      trace.code = error.code;
      // A 503 means "not done, come back": the same signed request may be sent again.
      if (error.status === 503) await deps.replayStore.forget(replayKey);
      return errorResponse(error);
    }
    const ref = crypto.randomUUID();
    trace.ref = ref;
    trace.code = "job_failed";
    deps.log({ event: "job_crashed", job: jobName, id: envelope.id, ref, ...describeError(error) });
    return errorResponse(
      new HttpError(500, "job_failed", `the ${jobName} job failed unexpectedly; quote ref ${ref} when reporting it`, {
        ref,
      }),
    );
  } finally {
    release();
  }
}
