// wrangler, as the local stack runs it: with this Node (24, from node_modules) whatever the PATH says (wrangler
// refuses Node < 22), quiet and offline, each process under a watchdog in its own process group (processes.ts).

import { join } from "node:path";
import { startProcess, waitForHttp, type Managed } from "./processes.ts";
import { unlessStopped } from "./stop-request.ts";

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
 * For every `wrangler dev`. No interactive session (no terminal to drive it). The devtools inspector on a port the
 * system picks: wrangler otherwise takes 9229 when it looks free, and two wrangler devs starting at once (npm start
 * next to npm run backend:worker, tests in parallel) both see it free, and one dies with
 * "Address already in use (socket "direct:1:default")".
 */
const DEV_ARGS = ["--show-interactive-dev-session=false", "--inspector-port", "0"] as const;

function startWrangler(
  root: string,
  name: string,
  args: readonly string[],
  log: (line: string) => void = () => {},
): Managed {
  return startProcess(name, process.execPath, [join(root, "node_modules", "wrangler", "bin", "wrangler.js"), ...args], {
    cwd: root,
    env: wranglerEnv(root),
    onOutput: log,
  });
}

export interface WranglerDevOptions {
  root: string;
  /** Names the process in messages. */
  name: string;
  host: string;
  /** 0: a port the system picks. */
  port: number;
  /** After `dev --ip --port`: the config, vars, persistence… */
  args: readonly string[];
  log?: (line: string) => void;
  /** How long it may take to serve /health. */
  startTimeoutMs?: number;
  /** A stop requested during start-up (stop-request.ts): wrangler is stopped and the promise rejects with its reason. */
  signal?: AbortSignal;
}

export interface WranglerDev {
  /** Where it serves, e.g. http://127.0.0.1:8787. */
  url: string;
  process: Managed;
}

/** What wrangler dev prints once its server holds the port, e.g. `[wrangler:info] Ready on http://127.0.0.1:8787`. */
const READY = /Ready on https?:\/\/\S*:(\d+)/;
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/**
 * `wrangler dev`, resolved once it serves: first its own "Ready on" line, which wrangler prints only when its server
 * holds the port (a server of another process answering there must not pass for it: issue 22), then a 2xx from
 * /health. Stopped again when it does not come up, or when `signal` asks.
 */
export async function startWranglerDev(options: WranglerDevOptions): Promise<WranglerDev> {
  const log = options.log ?? (() => {});
  let onReady: (port: number) => void = () => {};
  const ready = new Promise<number>((resolve) => (onReady = resolve));
  const args = ["dev", "--ip", options.host, "--port", String(options.port), ...DEV_ARGS, ...options.args];
  const managed = startWrangler(options.root, options.name, args, (line) => {
    const match = READY.exec(line.replace(ANSI_ESCAPE, ""));
    if (match) onReady(Number(match[1]));
    log(line);
  });
  let alive = true;
  void managed.exited.then(() => (alive = false));
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  try {
    let timer: NodeJS.Timeout | undefined;
    const port = await unlessStopped(
      Promise.race([
        ready,
        managed.exited.then((code) => Promise.reject(new Error(`it exited (${code}) before serving`))),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(
              () => reject(new Error(`it did not say it was ready within ${Math.round(timeoutMs / 1000)} s`)),
              timeoutMs,
            )),
        ),
      ]).finally(() => clearTimeout(timer)),
      options.signal,
    );
    if (options.port !== 0 && port !== options.port) throw new Error(`it serves port ${port}, not ${options.port}`);
    const host = options.host.includes(":") ? `[${options.host}]` : options.host;
    const url = `http://${host}:${port}`;
    await waitForHttp(`${url}/health`, Math.max(deadline - Date.now(), 1_000), () => alive, options.signal);
    return { url, process: managed };
  } catch (error) {
    await managed.stop();
    if (options.signal?.aborted) throw options.signal.reason;
    throw new Error(`${options.name} did not come up: ${(error as Error).message}`);
  }
}
