// The backend as a Worker: the same fetch handler as the Node server (src/backend/app.ts), the same jobs and HTTP
// contract, with workerd's pieces plugged in where Node's were: resvg's WebAssembly build for rasterising, a
// Durable Object per relay signature for replay protection (shared by every isolate and location), console
// logging for Workers Logs, and no shared body budget (workerd bounds each isolate's memory; the per-job body
// caps and the body deadline still apply). Node-only parts (socket limits, connection caps) have no equivalent
// to configure here: Cloudflare's edge terminates the connections.
//
// Settings come from the Worker's vars and secrets and are checked once per isolate by the same reader as the
// Node server's environment (readBackendConfig), so a variable means the same thing on both.
//
// Charts are drawn in the request itself (no threads here), so one chart's CPU is what cpu_ms (wrangler.backend.toml)
// limits. Measured with workerd run locally (bench/render-adversarial.ts, issue 19): workerd enforces no CPU limit
// (`wrangler dev` runs the same runtime), so a request computing for over 6 s of CPU answered 200; and every request
// to the same Worker sent meanwhile was answered only after it ended, because an isolate runs one request's
// JavaScript at a time. Deployed, Cloudflare ends the request at cpu_ms with error 1102
// (https://developers.cloudflare.com/workers/observability/errors/), and the isolate's other requests wait until
// then. Nothing here can interrupt a render midway, so the defence comes before it: every drawn string is bounded
// (jobs/chart/drawn-text.ts) and a chart estimated over BACKEND_RENDER_BUDGET is refused with 422 before it is drawn
// (jobs/chart/render-cost.ts), which keeps the costliest accepted chart at tens of milliseconds, far under cpu_ms,
// and the time it holds the isolate's other requests as short.

import { createBackend, type Backend } from "../app.ts";
import { ConfigError, readBackendConfig } from "../config.ts";
import { errorResponse, HttpError } from "../errors.ts";
import { rasteriseWithResvgWasm } from "../jobs/chart/rasterise-wasm.ts";
import { redact } from "../../shared/redact.ts";
import { durableReplayStore, type ReplayGuard } from "./replay-guard.ts";

export { ReplayGuard } from "./replay-guard.ts";

export interface BackendWorkerEnv {
  /** Secret: the HMAC secret shared with the interactions Worker. */
  RELAY_SECRET?: string;
  /** Vars, as for `npm run backend`: comma-separated host[:port], job slots per isolate, body deadline. */
  ATTACHMENT_HOSTS?: string;
  BACKEND_MAX_CONCURRENT?: string;
  BACKEND_BODY_TIMEOUT_MS?: string;
  /** The most a chart may cost to draw, in ordinary charts (jobs/chart/render-cost.ts); default 10. */
  BACKEND_RENDER_BUDGET?: string;
  /** Durable Object namespace of ReplayGuard (wrangler.backend.toml). */
  REPLAY_GUARD?: DurableObjectNamespace<ReplayGuard>;
}

// Workers Logs indexes the fields of a logged object; the same redaction as the Node logger applies.
const log = (event: object) => console.log(redact({ ...event }));

const backends = new WeakMap<object, Backend | ConfigError>();

function backendFor(env: BackendWorkerEnv): Backend {
  let entry = backends.get(env);
  if (!entry) {
    entry = build(env);
    backends.set(env, entry);
    if (entry instanceof ConfigError) log({ event: "backend_misconfigured", error: entry.message });
  }
  if (entry instanceof ConfigError) throw entry;
  return entry;
}

function build(env: BackendWorkerEnv): Backend | ConfigError {
  try {
    const config = readBackendConfig({
      RELAY_SECRET: env.RELAY_SECRET,
      ATTACHMENT_HOSTS: env.ATTACHMENT_HOSTS,
      BACKEND_MAX_CONCURRENT: env.BACKEND_MAX_CONCURRENT,
      BACKEND_BODY_TIMEOUT_MS: env.BACKEND_BODY_TIMEOUT_MS,
      BACKEND_RENDER_BUDGET: env.BACKEND_RENDER_BUDGET,
    });
    if (!env.REPLAY_GUARD) {
      throw new ConfigError(
        'backend(config): REPLAY_GUARD is not bound — wrangler.backend.toml needs its [[durable_objects.bindings]] entry for class "ReplayGuard"',
      );
    }
    return createBackend({
      relaySecret: config.relaySecret,
      attachmentHosts: config.attachmentHosts,
      maxConcurrent: config.maxConcurrent,
      bodyTimeoutMs: config.bodyTimeoutMs,
      renderBudget: config.renderBudget,
      bodyBudgetBytes: null,
      replayStore: durableReplayStore(env.REPLAY_GUARD),
      rasterise: rasteriseWithResvgWasm,
      log,
    });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

export default {
  fetch(request, env) {
    let backend: Backend;
    try {
      backend = backendFor(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Like the Node server refusing to start, but a Worker can only answer: 503 naming the variable.
      return errorResponse(new HttpError(503, "misconfigured", error.message));
    }
    return backend.fetch(request);
  },
} satisfies ExportedHandler<BackendWorkerEnv>;
