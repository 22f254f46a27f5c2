// The backend Worker under `wrangler dev` (wrangler.backend.toml), in its own process group: what
// `npm run backend:worker`, `npm start -- --backend worker` and the tests that run the backend's contract against
// workerd all start. Its settings are the same variables as `npm run backend`'s, passed to wrangler as vars.

import { join } from "node:path";
import { portHolders, portProblem, startProcess, waitForHttp, type Managed } from "./processes.ts";

/** Variables the backend Worker reads (src/backend/worker/index.ts); the Node server's socket limits have no equivalent. */
const BACKEND_WORKER_VARS = ["RELAY_SECRET", "ATTACHMENT_HOSTS", "BACKEND_MAX_CONCURRENT", "BACKEND_BODY_TIMEOUT_MS", "BACKEND_RENDER_BUDGET"] as const;
/** Node-only variables: the socket limits of src/backend/server.ts, its shared body budget, replay file and render threads. */
export const NODE_ONLY_BACKEND_VARS = ["BACKEND_BODY_BUDGET_BYTES", "BACKEND_MAX_CONNECTIONS", "BACKEND_HEADERS_TIMEOUT_MS", "BACKEND_REPLAY_DB", "BACKEND_RENDER_THREADS", "BACKEND_RENDER_TIMEOUT_MS"] as const;

export interface BackendWorkerOptions {
  root: string;
  host: string;
  port: number;
  vars: Partial<Record<(typeof BACKEND_WORKER_VARS)[number], string>>;
  /** Where wrangler keeps the Durable Objects' local state; default .wrangler/state under root. */
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

function wranglerEnv(root: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    CI: "1",
  };
}

/**
 * For every `wrangler dev` of the stack. No interactive session (no terminal to drive it). The devtools inspector on
 * a port the system picks: wrangler otherwise takes 9229 when it looks free, and two wrangler devs starting at once
 * (npm start next to npm run backend:worker, tests in parallel) both see it free, and one dies with
 * "Address already in use (socket "direct:1:default")".
 */
export const WRANGLER_DEV_ARGS = ["--show-interactive-dev-session=false", "--inspector-port", "0"] as const;

/** Runs wrangler's entry with this Node (24, from node_modules) whatever the PATH says: wrangler refuses Node < 22. */
export function startWrangler(root: string, name: string, args: readonly string[], log: (line: string) => void = () => {}): Managed {
  return startProcess(name, process.execPath, [join(root, "node_modules", "wrangler", "bin", "wrangler.js"), ...args], { cwd: root, env: wranglerEnv(root), onOutput: log });
}

export async function startBackendWorker(options: BackendWorkerOptions): Promise<BackendWorker> {
  // Whoever holds the port would answer /health in wrangler's place, passing for this backend.
  const problem = await portProblem(options.host, options.port);
  if (problem) throw new Error(`backend-worker: ${problem}${portHolders(options.port)}. Stop that process, or choose another PORT`);
  options.signal?.throwIfAborted();
  const persistTo = options.persistTo ?? join(options.root, ".wrangler", "state");
  const args = ["dev", "-c", "wrangler.backend.toml", "--ip", options.host, "--port", String(options.port), ...WRANGLER_DEV_ARGS, "--persist-to", persistTo];
  for (const [name, value] of Object.entries(options.vars)) if (value !== undefined) args.push("--var", `${name}:${value}`);
  const managed = startWrangler(options.root, "backend Worker (wrangler dev)", args, options.log);
  let alive = true;
  void managed.exited.then(() => (alive = false));
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${options.port}`;
  try {
    await waitForHttp(`${url}/health`, options.startTimeoutMs ?? 60_000, () => alive, options.signal);
  } catch (error) {
    await managed.stop();
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Error(`backend-worker: wrangler dev did not come up: ${(error as Error).message}`);
  }
  return { url, process: managed, stop: () => managed.stop() };
}
