// Node entry point (`npm run backend`) and an in-process starter for tests and the local stack. Serving goes
// through @hono/node-server, which adapts Node's http server to the backend's fetch handler. Charts are drawn on
// the server's render threads (jobs/chart/render-pool.ts), so the event loop that answers requests never runs a
// render. Shutdown is graceful: stop accepting connections, let running jobs finish (a user is waiting on each),
// stop the render threads, then exit.

import type { Server, ServerOptions } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_CONCURRENT, type Backend } from "./app.ts";
import { createNodeBackend, stdoutLogger, type NodeBackendOptions } from "./node.ts";
import { ConfigError, readBackendConfig } from "./config.ts";
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  READ_HIGH_WATER_MARK_BYTES,
  REQUEST_TIMEOUT_MARGIN_MS,
  DEFAULT_RENDER_TIMEOUT_MS,
  checkingInterval,
} from "./server-limits.ts";
import { describeError } from "./log.ts";
import {
  createRenderPool,
  defaultRenderThreads,
  type RenderPool,
  type RenderPoolOptions,
} from "./jobs/chart/render-pool.ts";
import { createSqliteReplayStore } from "./replay-store-sqlite.ts";

/**
 * Charts are drawn on the server's render threads with resvg's native addon, so a `rasterise` of the caller's would
 * not apply and is not an option here; `drawChart` replaces the threads altogether.
 */
export interface BackendServerOptions extends Omit<NodeBackendOptions, "rasterise"> {
  /** 0 (the default here) picks a free port; read the actual one from `url`. */
  port?: number;
  hostname?: string;
  /** Open connections beyond which new ones are closed at once. Default 4,096. */
  maxConnections?: number;
  /** A connection must deliver a request's headers within this time or is closed. Default 10 s. */
  headersTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this. Default 5 s. */
  keepAliveTimeoutMs?: number;
  /** Render threads at most. Default: one per core, at most maxConcurrent (render-pool.ts). */
  renderThreads?: number;
  /** A render still running after this is stopped and answered 422 render_timeout. Default 5 s. */
  renderTimeoutMs?: number;
  /** Start every render thread now rather than with the first charts (`npm run backend` does). */
  warmRenderThreads?: boolean;
  /** Tests only: another entry module for the render threads (RenderPoolOptions.thread). */
  renderThread?: RenderPoolOptions["thread"];
}

export interface BackendServer {
  /** Base URL without a trailing slash, e.g. "http://127.0.0.1:8788". */
  url: string;
  backend: Backend;
  /** Stops accepting connections, waits for running jobs and open responses, then resolves. */
  close(): Promise<void>;
}

// Keep-alive connections that go idle after close() began are closed on this beat, so close() never waits for
// a client's keep-alive timeout.
const IDLE_SWEEP_MS = 50;

export function startBackendServer(options: BackendServerOptions): Promise<BackendServer> {
  const {
    port = 0,
    hostname = "127.0.0.1",
    maxConnections = DEFAULT_MAX_CONNECTIONS,
    headersTimeoutMs = DEFAULT_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    renderThreads = defaultRenderThreads(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT),
    renderTimeoutMs = DEFAULT_RENDER_TIMEOUT_MS,
    warmRenderThreads = false,
    renderThread,
    ...backendOptions
  } = options;
  const log = backendOptions.log ?? stdoutLogger();
  const renderPool = backendOptions.drawChart
    ? null
    : createRenderPool({ threads: renderThreads, timeoutMs: renderTimeoutMs, log, thread: renderThread });
  if (warmRenderThreads) renderPool?.warm();
  const backend = createNodeBackend({
    ...backendOptions,
    log,
    ...(renderPool ? { drawChart: renderPool.drawChart } : {}),
  });
  const serverOptions: ServerOptions = {
    headersTimeout: headersTimeoutMs,
    requestTimeout:
      headersTimeoutMs + (backendOptions.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS) + REQUEST_TIMEOUT_MARGIN_MS,
    connectionsCheckingInterval: checkingInterval(headersTimeoutMs),
    keepAliveTimeout: keepAliveTimeoutMs,
    highWaterMark: READ_HIGH_WATER_MARK_BYTES,
  };
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      void renderPool?.close();
      reject(error);
    };
    const server = serve(
      { fetch: (request) => backend.fetch(request), port, hostname, serverOptions, autoCleanupIncoming: false },
      (info: AddressInfo) => {
        server.off("error", failed);
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        let closing: Promise<void> | undefined;
        resolve({
          url: `http://${host}:${info.port}`,
          backend,
          close: () => (closing ??= closeGracefully(server, backend, renderPool)),
        });
      },
    ) as Server;
    server.maxConnections = maxConnections;
    server.once("error", failed);
  });
}

async function closeGracefully(server: Server, backend: Backend, renderPool: RenderPool | null): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    await backend.drain();
    await closed;
  } finally {
    clearInterval(sweep);
    // Every job has finished, so no render is running: the threads go last.
    await renderPool?.close();
  }
}

async function main(): Promise<void> {
  const log = stdoutLogger();
  let config;
  try {
    config = readBackendConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // Several instances behind one load balancer must share replay memory, or a request one refused is accepted
  // by another: BACKEND_REPLAY_DB names a SQLite file they all open (DEPLOYMENT.md, "Several Node instances").
  const replayStore = config.replayDb ? createSqliteReplayStore(config.replayDb) : undefined;
  const server = await startBackendServer({
    relaySecret: config.relaySecret,
    replayStore,
    attachmentHosts: config.attachmentHosts,
    maxConcurrent: config.maxConcurrent,
    bodyBudgetBytes: config.bodyBudgetBytes,
    bodyTimeoutMs: config.bodyTimeoutMs,
    maxConnections: config.maxConnections,
    headersTimeoutMs: config.headersTimeoutMs,
    ...(config.renderThreads ? { renderThreads: config.renderThreads } : {}),
    renderTimeoutMs: config.renderTimeoutMs,
    renderBudget: config.renderBudget,
    warmRenderThreads: true,
    port: config.port,
    hostname: config.host,
    log,
  });
  log({
    event: "backend_started",
    url: server.url,
    max_concurrent: config.maxConcurrent,
    body_budget_bytes: config.bodyBudgetBytes,
    body_timeout_ms: config.bodyTimeoutMs,
    max_connections: config.maxConnections,
    headers_timeout_ms: config.headersTimeoutMs,
    render_threads: config.renderThreads ?? defaultRenderThreads(config.maxConcurrent),
    render_timeout_ms: config.renderTimeoutMs,
    render_budget: config.renderBudget,
    attachment_hosts: config.attachmentHosts,
    replay_store: replayStore ? "sqlite" : "memory",
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log({ event: "backend_forced_exit", signal, in_flight: server.backend.inFlight() });
      process.exit(1);
    }
    stopping = true;
    const started = performance.now();
    const inFlight = server.backend.inFlight();
    server.close().then(
      () => {
        log({ event: "backend_stopped", signal, drained_jobs: inFlight, ms: Math.round(performance.now() - started) });
        process.exit(0);
      },
      (error: unknown) => {
        log({ event: "backend_stop_failed", signal, ...describeError(error) });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `backend(server): failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
