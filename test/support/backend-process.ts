// The real backend as its own process, for tests that must freeze it (SIGSTOP) or kill it: `npm run backend`
// (src/backend/server.ts under this Node) or the backend Worker under `wrangler dev` (wrangler.backend.toml). Each
// runs in its own process group, led by its watchdog (scripts/lib/watchdog.ts), so `pause()` stops all of it
// (wrangler and its workerd too) and `stop()` ends it; if this test process dies first, the watchdog ends it.
import { join } from "node:path";
import { startBackendWorker } from "../../scripts/lib/backend-worker.ts";
import { freePort, startProcess, waitForHttp, type Managed } from "../../scripts/lib/processes.ts";
import { ROOT } from "./test-stack.ts";

export interface BackendProcess {
  url: string;
  /** The process group's leader (the watchdog). */
  pid: number;
  /** SIGSTOP to the whole group: the backend keeps its sockets but answers nothing. */
  pause(): void;
  /** SIGCONT: undoes pause (also called by stop). */
  resume(): void;
  stop(): Promise<void>;
}

export interface BackendProcessOptions {
  relaySecret: string;
  attachmentHosts: readonly string[];
  /** Scratch folder for the backend Worker's local state. */
  dir: string;
  log: (line: string) => void;
}

export async function startBackendProcess(
  kind: "node" | "worker",
  options: BackendProcessOptions,
): Promise<BackendProcess> {
  const port = await freePort();
  let managed: Managed;
  let url: string;
  if (kind === "worker") {
    const started = await startBackendWorker({
      root: ROOT,
      host: "127.0.0.1",
      port,
      vars: { RELAY_SECRET: options.relaySecret, ATTACHMENT_HOSTS: options.attachmentHosts.join(",") },
      persistTo: join(options.dir, "backend-process-state"),
      log: options.log,
    });
    ({ url, process: managed } = started);
  } else {
    url = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      RELAY_SECRET: options.relaySecret,
      ATTACHMENT_HOSTS: options.attachmentHosts.join(","),
      PORT: String(port),
      HOST: "127.0.0.1",
    };
    managed = startProcess("backend (npm run backend)", process.execPath, [join(ROOT, "src", "backend", "server.ts")], {
      cwd: ROOT,
      env,
      onOutput: options.log,
    });
    let alive = true;
    void managed.exited.then(() => (alive = false));
    try {
      await waitForHttp(`${url}/health`, 30_000, () => alive);
    } catch (error) {
      await managed.stop();
      throw error;
    }
  }
  const pid = managed.child.pid!;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone.
    }
  };
  return {
    url,
    pid,
    pause: () => {
      signal("SIGSTOP");
      // The watchdog alone runs on, so that it can still stop the group should this process die while paused.
      process.kill(pid, "SIGCONT");
    },
    resume: () => signal("SIGCONT"),
    async stop() {
      signal("SIGCONT");
      await managed.stop();
    },
  };
}
