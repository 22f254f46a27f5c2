// The backend as a plain fetch handler (Request → Response), so it runs under any server that speaks the Fetch
// API (@hono/node-server on Node, a test calling it directly, workerd); nothing it imports needs Node. This file
// routes, owns the per-instance state (concurrency limiter, replay store, body budget) and guarantees that every
// answer, even to a bug, is a JSON error rather than an unstructured 500.

import { HttpError, errorResponse, jsonResponse } from "./errors.ts";
import { RETRY_AFTER_SECONDS, handleJobRequest, type JobRequestTrace } from "./job-request.ts";
import { createLimiter } from "./limiter.ts";
import { createReplayCache, type ReplayStore } from "./replay-cache.ts";
import { createBodyBudget } from "./body-budget.ts";
import { DEFAULT_ATTACHMENT_HOSTS, parseAllowedHosts } from "./attachment.ts";
import { describeError, type Logger } from "./log.ts";
import { defaultJobs } from "./jobs/index.ts";
import type { Job } from "./jobs/job.ts";
import type { Rasterise } from "./jobs/chart/rasterise.ts";
import { drawInThisThread, type DrawChart } from "./jobs/chart/draw.ts";
import { DEFAULT_RENDER_BUDGET } from "./jobs/chart/render-cost.ts";

export interface BackendOptions {
  /** Shared with the Worker; signs every relay request. */
  relaySecret: string;
  /** host[:port] entries attachments may be fetched from; defaults to Discord's CDN hosts. */
  attachmentHosts?: readonly string[];
  /** Jobs allowed to run at once; more get 503 + Retry-After. Default 4. */
  maxConcurrent?: number;
  /**
   * Bytes all request bodies being read at once may reserve (each reserves its Content-Length); when a new one
   * does not fit, the oldest reads are evicted with 503. At least the largest job's maxInputBytes. Default 8 MiB.
   * null: no shared budget, each read bounded by its job's cap and the deadline alone. The backend Worker uses
   * that: workerd bounds each isolate's memory itself, and evicting one request's read from another request is
   * I/O across requests, which workerd forbids.
   */
  bodyBudgetBytes?: number | null;
  /** A body still arriving this long after its headers is refused with 408. Default 10 s. */
  bodyTimeoutMs?: number;
  /** Used for attachment downloads; defaults to globalThis.fetch. */
  fetch?: typeof fetch;
  /** SVG → PNG for chart jobs: the entry point passes its runtime's resvg build (node.ts, worker/index.ts). */
  rasterise: Rasterise;
  /**
   * Where charts are drawn (jobs/chart/draw.ts); default: on the thread running this handler, with `rasterise`. The
   * Node server passes its pool of render threads (render-pool.ts), so no render runs on its event loop.
   */
  drawChart?: DrawChart;
  /**
   * The most a chart may cost to draw, in ordinary charts (1 = a 1,000-point line; jobs/chart/render-cost.ts); a
   * costlier one is refused with 422 too_costly before it is drawn. Default 10.
   */
  renderBudget?: number;
  /** Clock in milliseconds since the epoch (like Date.now); tests pass a fixed one. */
  now?: () => number;
  /** Receives one object per log event (JSON lines on stdout on Node, console.log in the backend Worker). */
  log: (event: object) => void;
  /** Where relay signatures are remembered against replays; defaults to this instance's memory (replay-cache.ts). */
  replayStore?: ReplayStore;
  /** The job registry; defaults to every job in jobs/index.ts. Tests add slow or failing jobs here. */
  jobs?: readonly Job[];
}

export interface Backend {
  fetch(request: Request): Promise<Response>;
  /** Jobs running right now. */
  inFlight(): number;
  /** Bytes reserved by request bodies being read right now. */
  bodyBytesReserved(): number;
  /** Stops accepting jobs (503 shutting_down) and resolves when the running ones have finished. */
  drain(): Promise<void>;
}

export const DEFAULT_MAX_CONCURRENT = 4;
// Two bodies of the largest job (chart, 4 MiB) or thousands of ordinary ones; what 1,000 stalled sockets can pin.
export const DEFAULT_BODY_BUDGET_BYTES = 8 * 1024 * 1024;
// A relay body arrives right behind its headers; 10 s is room for the largest one over a slow link.
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const JOB_PATH = /^\/v1\/jobs\/([^/]+)$/;

function methodNotAllowed(allow: string): HttpError {
  return new HttpError(405, "method_not_allowed", `use ${allow} for this path`, {}, { allow });
}

export function createBackend(options: BackendOptions): Backend {
  if (typeof options.relaySecret !== "string" || options.relaySecret === "") {
    throw new Error("backend(config): relaySecret is empty — pass the RELAY_SECRET shared with the Worker");
  }
  const jobs = new Map<string, Job>();
  for (const job of options.jobs ?? defaultJobs) {
    if (jobs.has(job.name)) throw new Error(`backend(config): two jobs are named ${JSON.stringify(job.name)}`);
    jobs.set(job.name, job);
  }
  const largestInputBytes = Math.max(0, ...[...jobs.values()].map((job) => job.maxInputBytes));
  const bodyBudgetBytes =
    options.bodyBudgetBytes === null ? Number.MAX_SAFE_INTEGER : (options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES);
  if (!Number.isSafeInteger(bodyBudgetBytes) || bodyBudgetBytes < largestInputBytes) {
    throw new Error(
      `backend(config): bodyBudgetBytes is ${bodyBudgetBytes}; it must be at least ${largestInputBytes}, the largest job's maxInputBytes`,
    );
  }
  const bodyBudget = createBodyBudget({
    totalBytes: bodyBudgetBytes,
    timeoutMs: options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
  const limiter = createLimiter(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const renderBudget = options.renderBudget ?? DEFAULT_RENDER_BUDGET;
  if (!(renderBudget > 0))
    throw new Error(`backend(config): renderBudget must be a positive number of ordinary charts, got ${renderBudget}`);
  const replayStore = options.replayStore ?? createReplayCache();
  const log: Logger = options.log;
  let draining = false;
  const deps = {
    relaySecret: options.relaySecret,
    jobs,
    largestInputBytes,
    bodyBudget,
    attachmentHosts: parseAllowedHosts(options.attachmentHosts ?? DEFAULT_ATTACHMENT_HOSTS),
    limiter,
    replayStore,
    fetch: options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    drawChart: options.drawChart ?? drawInThisThread(options.rasterise),
    renderBudget,
    now: options.now ?? Date.now,
    log,
    isDraining: () => draining,
  };

  async function route(request: Request, path: string, trace: JobRequestTrace): Promise<Response> {
    if (path === "/health") {
      if (request.method !== "GET" && request.method !== "HEAD") throw methodNotAllowed("GET, HEAD");
      return jsonResponse({ status: draining ? "draining" : "ok", in_flight: limiter.inFlight() });
    }
    const jobPath = JOB_PATH.exec(path);
    if (jobPath) {
      if (request.method !== "POST") throw methodNotAllowed("POST");
      return handleJobRequest(request, jobPath[1] ?? "", deps, trace);
    }
    throw new HttpError(
      404,
      "not_found",
      `no route for ${request.method} ${path}; the backend serves GET /health and POST /v1/jobs/{name}`,
    );
  }

  return {
    async fetch(request) {
      const started = performance.now();
      const trace: JobRequestTrace = {};
      let path = "/";
      let response: Response;
      try {
        path = new URL(request.url).pathname;
        response = await route(request, path, trace);
      } catch (error) {
        if (error instanceof HttpError) {
          trace.code = error.code;
          response = errorResponse(error);
        } else {
          // A bug in the backend itself (not in a job): still a JSON answer, and the stack goes to the log.
          const ref = crypto.randomUUID();
          trace.ref = ref;
          trace.code = "internal_error";
          log({ event: "internal_error", path, ref, ...describeError(error) });
          response = errorResponse(
            new HttpError(500, "internal_error", `unexpected backend error; quote ref ${ref}`, { ref }),
          );
        }
      }
      // Answered before its body was read (refused at the headers, too large, evicted, timed out): close the
      // connection. Otherwise Node keeps it alive by reading and discarding the rest of the body, which is exactly
      // the work an unauthenticated sender should not get (and one that holds back its last bytes keeps the socket).
      if (request.body !== null && !trace.bodyRead) response.headers.set("connection", "close");
      const jobPath = JOB_PATH.exec(path);
      if (jobPath) {
        log({
          event: "job",
          job: jobPath[1],
          id: trace.id,
          status: response.status,
          ...(trace.code ? { code: trace.code } : {}),
          ...(trace.ref ? { ref: trace.ref } : {}),
          ms: Math.round(performance.now() - started),
        });
      }
      return response;
    },
    inFlight: () => limiter.inFlight(),
    bodyBytesReserved: () => bodyBudget.reservedBytes(),
    drain() {
      draining = true;
      return limiter.idle();
    },
  };
}
