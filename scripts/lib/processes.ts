// Child processes for the local stack. Each runs under a watchdog (watchdog.ts) that leads a process group of its
// own: wrangler spawns workerd, and killing only the wrangler PID leaves workerd serving, so a process is stopped by
// group, SIGTERM then SIGKILL after a grace period. And whatever ends this process without stopping them (SIGKILL,
// a crash, an exit that skipped the stop), the watchdog sees its pipe from this process close and stops the group.

import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describeProcess, listenersOf } from "./listeners.ts";

const WATCHDOG = join(import.meta.dirname, "watchdog.ts");
/** How long a stopped process has to end on SIGTERM before its group is killed. */
const STOP_GRACE_MS = 3_000;

export interface Managed {
  readonly name: string;
  /** The watchdog, leader of the process group the command runs in. */
  readonly child: ChildProcess;
  /** Resolves with the command's exit code (or signal) when it has ended. */
  readonly exited: Promise<number | string>;
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onOutput?: (line: string) => void },
): Managed {
  // stdin is the watchdog's pipe from this process: never written to, closed by the kernel when this process ends.
  const child = spawn(process.execPath, [WATCHDOG, command, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin?.on("error", () => {}); // The watchdog has ended: there is nothing to tell it.
  const exited = new Promise<number | string>((resolve) => {
    child.once("error", (error) => resolve(error.message));
    child.once("exit", (code, signal) => {
      // Whatever the command left in its group (workerd after wrangler) goes with it.
      signalGroup(child, "SIGKILL");
      child.stdin?.destroy();
      resolve(code ?? signal ?? "unknown");
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) options.onOutput?.(line);
    });
  }
  const stop = async (graceMs = STOP_GRACE_MS) => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, "SIGTERM");
      const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    await exited;
  };
  return { name, child, exited, stop };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Null when the port is free on host, else a sentence naming it. */
export async function portProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === "EADDRINUSE"
          ? `port ${port} on ${host} is in use`
          : `cannot listen on ${host}:${port}: ${error.message}`,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve(null)));
  });
}

/** Ports the system hands out for port 0 and for outgoing connections start here (Linux; macOS starts at 49152). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    if (Number.isInteger(low) && low > 0) return low;
  } catch {
    // Not Linux.
  }
  return process.platform === "darwin" ? 49_152 : 32_768;
}

/** The lowest port freePort picks: above the usual development servers (8080, 8787, 9229, …). */
const PICKED_FROM = 10_000;

/**
 * A port free on `host` now, for a server that binds it later (wrangler takes seconds). Picked below the ephemeral
 * range: a port from there can be handed, meanwhile, to any of the many sockets workerd and the tests open on port 0
 * or for outgoing connections, and wrangler then dies on "Address already in use" (or, worse, another server
 * answers there). Below the range only another explicit choice can take it.
 */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const below = ephemeralLow();
  for (let attempt = 0; below > PICKED_FROM && attempt < 100; attempt++) {
    const port = PICKED_FROM + Math.floor(Math.random() * (below - PICKED_FROM));
    if ((await portProblem(host, port)) === null) return port;
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `; it is held by pid … (command) in process group …` for a port in use, where this user can see the holder. */
export function portHolders(port: number): string {
  const holders = listenersOf(port);
  return holders.length > 0 ? `; it is held by ${holders.map(describeProcess).join(", ")}` : "";
}

/** Polls url until it answers 2xx; fails when alive() turns false, the time is up, or `signal` is aborted (with its reason). */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  alive: () => boolean,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (!alive()) throw new Error(`stopped before ${url} answered`);
    try {
      const timeout = AbortSignal.timeout(2_000);
      const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      await response.body?.cancel();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      signal?.throwIfAborted();
      last = (error as Error).message;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 200);
      signal?.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
    });
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s (${last})`);
}
