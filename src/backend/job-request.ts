// POST /v1/jobs/{name}: the checks a relay request passes before a job runs, in an order chosen so each answer
// is the most useful one and no work is done for a request that will be refused:
//   401 bad signature or clock skew (headers first, before reading the body; the MAC after)
//   413 body over 2 MiB (counted while reading)    409 the same signature within 10 minutes (replay)
//   404 unknown job    400 body not JSON    422 invalid input, naming the field
//   503 saturated or shutting down, with Retry-After (the signature is forgotten again, so a retry is allowed)
// then the job runs; an HttpError it throws keeps its status, anything else is a 500 `job_failed` with a `ref`
// that matches the log line carrying the stack.

import { RELAY_SIGNATURE_HEADER, RELAY_TIMESTAMP_HEADER, checkRelayHeaders, verifyRelaySignature } from "../relay/signature.ts";
import { HttpError, InputError, errorResponse, jsonResponse } from "./errors.ts";
import { declaredLength, formatBytes, readCapped } from "./body.ts";
import { describeError, type Logger } from "./log.ts";
import type { Job, JobContext } from "./jobs/job.ts";
import type { AllowedHost } from "./attachment.ts";
import type { Limiter } from "./limiter.ts";
import type { ReplayCache } from "./replay-cache.ts";

export const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
export const RETRY_AFTER_SECONDS = 2;
const MAX_ID_LENGTH = 64;

export interface JobRequestDeps {
  relaySecret: string;
  jobs: ReadonlyMap<string, Job>;
  attachmentHosts: readonly AllowedHost[];
  limiter: Limiter;
  replayCache: ReplayCache;
  fetch: typeof fetch;
  now: () => number;
  log: Logger;
  isDraining: () => boolean;
}

interface Envelope {
  id: string;
  input: unknown;
}

/** What the handler learned about the request, for its one log line. */
export interface JobRequestTrace {
  id?: string;
  /** `error.code` of the answer, when it is an error. */
  code?: string;
  ref?: string;
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
  const { id, input } = body as Record<string, unknown>;
  if (typeof id !== "string" || !/^[\w-]+$/.test(id) || id.length > MAX_ID_LENGTH) {
    throw new InputError("id", `id: must be the interaction id, a string of at most ${MAX_ID_LENGTH} letters, digits, _ or -`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InputError("input", "input: must be a JSON object with the job's parameters");
  }
  return { id, input };
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

  const headerCheck = checkRelayHeaders(timestamp, signature, nowSeconds);
  if (!headerCheck.ok) throw unauthorized(headerCheck.reason);

  const tooLarge = new HttpError(413, "payload_too_large", `the request body is over the ${formatBytes(MAX_REQUEST_BYTES)} limit`);
  const declared = declaredLength(request.headers);
  if (declared !== undefined && declared > MAX_REQUEST_BYTES) throw tooLarge;
  const body = await readCapped(request.body, MAX_REQUEST_BYTES);
  if (!body.ok) throw tooLarge;
  const rawBody = new TextDecoder().decode(body.bytes);

  const verified = await verifyRelaySignature(deps.relaySecret, timestamp, signature, rawBody, nowSeconds);
  if (!verified.ok) throw unauthorized(verified.reason);

  // Hex case does not change the MAC, so the key is lower-cased: "ABC…" must count as a replay of "abc…".
  const replayKey = (signature ?? "").toLowerCase();
  if (deps.replayCache.checkAndRecord(replayKey, nowMs)) {
    throw new HttpError(409, "replayed", "this signed request was already received; sign every request afresh");
  }

  const job = deps.jobs.get(jobName);
  if (job === undefined) {
    throw new HttpError(404, "unknown_job", `no job named ${JSON.stringify(jobName)}; available: ${[...deps.jobs.keys()].join(", ")}`);
  }

  const envelope = parseEnvelope(rawBody);
  trace.id = envelope.id;
  const ctx: JobContext = {
    id: envelope.id,
    fetch: deps.fetch,
    attachmentHosts: deps.attachmentHosts,
    log: deps.log,
  };
  const run = job.prepare(envelope.input, ctx);

  const release = deps.isDraining() ? null : deps.limiter.tryAcquire();
  if (release === null) {
    deps.replayCache.forget(replayKey);
    const retryAfter = { "retry-after": String(RETRY_AFTER_SECONDS) };
    throw deps.isDraining()
      ? new HttpError(503, "shutting_down", "the backend is shutting down; retry shortly", {}, retryAfter)
      : new HttpError(503, "saturated", `all job slots are busy; retry after ${RETRY_AFTER_SECONDS} s`, {}, retryAfter);
  }

  try {
    const result = await run();
    return jsonResponse(200, { id: envelope.id, result });
  } catch (error) {
    if (error instanceof HttpError) {
      trace.code = error.code;
      return errorResponse(error);
    }
    const ref = crypto.randomUUID();
    trace.ref = ref;
    trace.code = "job_failed";
    deps.log({ event: "job_crashed", job: jobName, id: envelope.id, ref, ...describeError(error) });
    return errorResponse(
      new HttpError(500, "job_failed", `the ${jobName} job failed unexpectedly; quote ref ${ref} when reporting it`, { ref }),
    );
  } finally {
    release();
  }
}
