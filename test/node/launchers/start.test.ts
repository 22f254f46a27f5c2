// `npm start` stopped as a supervisor or a test harness stops it (issue 22), from a clean clone on free ports: with
// the Node backend in its own process, and (SIGKILL) with the backend Worker under a second wrangler dev.
import { rmSync } from "node:fs";
import { freePort } from "../../../scripts/lib/processes.ts";
import { cloneCheckout } from "../../support/clone.ts";
import { describeLifetimes, launch, launcherProcess } from "../../support/launcher.ts";

describeLifetimes("npm start", async () => {
  const clone = cloneCheckout("launcher-start");
  const ports = { WORKER_PORT: await freePort(), BACKEND_PORT: await freePort(), EMULATOR_PORT: await freePort() };
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  };
  const launched = launch(["npm", "start", "--", "--backend", "worker", "--verbose"], { cwd: clone, env });
  return {
    launched,
    ports: Object.values(ports),
    healthUrl: `http://127.0.0.1:${ports.WORKER_PORT}/health`,
    launcher: () => launcherProcess(launched, "scripts/start.ts"),
    // The Worker's wrangler dev, after the D1 migrations and the backend Worker have run.
    startsWith: (p) => p.command.includes("wrangler.js dev") && p.command.includes(`--port ${ports.WORKER_PORT}`),
    ready: /Playground\s+http/,
    stopped: /^start: (stopped|SIGTERM during start-up; stopped what had started)$/,
    cleanup: () => rmSync(clone, { recursive: true, force: true }),
  };
});
