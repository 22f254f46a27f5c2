// The backend Worker under `wrangler dev` (wrangler.backend.toml), in its own process group: what
// `npm run backend:worker`, `npm start -- --backend worker` and the tests that run the backend's contract against
// workerd all start. Its settings are the same variables as `npm run backend`'s, passed to wrangler as vars.

import { join } from "node:path";
import { portHolders, portProblem, type Managed } from "./processes.ts";
import { startWranglerDev } from "./wrangler.ts";

/** Variables the backend Worker reads (src/backend/worker/index.ts); the Node server's socket limits have no equivalent. */
const BACKEND_WORKER_VARS = [
  "RELAY_SECRET",
  "ATTACHMENT_HOSTS",
  "BACKEND_MAX_CONCURRENT",
  "BACKEND_BODY_TIMEOUT_MS",
  "BACKEND_RENDER_BUDGET",
] as const;
/** Node-only variables: the socket limits of src/backend/server.ts, its shared body budget, replay file and render threads. */
export const NODE_ONLY_BACKEND_VARS = [
  "BACKEND_BODY_BUDGET_BYTES",
  "BACKEND_MAX_CONNECTIONS",
  "BACKEND_HEADERS_TIMEOUT_MS",
  "BACKEND_REPLAY_DB",
  "BACKEND_RENDER_THREADS",
  "BACKEND_RENDER_TIMEOUT_MS",
] as const;

export interface BackendWorkerOptions {
  root: string;
  host: string;
  /** 0: a port the system picks (the url says which). */
  port: number;
  vars: Partial<Record<(typeof BACKEND_WORKER_VARS)[number], string>>;
  /** Where wrangler keeps the Durable Objects' local state; default .wrangler/state/backend-worker under root (never the Worker's own state folder). */
  persistTo?: string;
  log?: (line: string) => void;
  /** How long wrangler dev may take to answer /health. */
  startTimeoutMs?: number;
  /** A stop requested during start-up (stop-request.ts): wrangler is stopped and the promise rejects with its reason. */
  signal?: AbortSignal;
}

export interface BackendWorker {
  url: string;
  process: Managed;
  stop(): Promise<void>;
}

export async function startBackendWorker(options: BackendWorkerOptions): Promise<BackendWorker> {
  // Refused before wrangler starts, naming the holder (wrangler would only say "Address already in use").
  if (options.port !== 0) {
    const problem = await portProblem(options.host, options.port);
    if (problem)
      throw new Error(
        `backend-worker: ${problem}${portHolders(options.port)}. Stop that process, or choose another PORT`,
      );
  }
  options.signal?.throwIfAborted();
  // Never the Worker's state folder (.wrangler/state): two runtimes on one folder fail with SQLITE_BUSY, so
  // `npm run backend:worker` beside `npm start` keeps its own.
  const persistTo = options.persistTo ?? join(options.root, ".wrangler", "state", "backend-worker");
  const args = ["-c", "wrangler.backend.toml", "--persist-to", persistTo];
  for (const [name, value] of Object.entries(options.vars))
    if (value !== undefined) args.push("--var", `${name}:${value}`);
  const started = await startWranglerDev({
    root: options.root,
    name: "backend-worker: wrangler dev",
    host: options.host,
    port: options.port,
    args,
    log: options.log,
    startTimeoutMs: options.startTimeoutMs,
    signal: options.signal,
  });
  return { url: started.url, process: started.process, stop: () => started.process.stop() };
}
