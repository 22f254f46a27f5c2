// `npm run backend:worker` stopped as a supervisor or a test harness stops it (issue 22), from a clean clone (its
// wrangler state stays there) on a free port.
import { rmSync } from "node:fs";
import { freePort } from "../../../scripts/lib/processes.ts";
import { cloneCheckout } from "../../support/clone.ts";
import { describeLifetimes, launch, launcherProcess } from "../../support/launcher.ts";

describeLifetimes("npm run backend:worker", async () => {
  const clone = cloneCheckout("launcher-backend-worker");
  const port = await freePort();
  const launched = launch(["npm", "run", "backend:worker"], {
    cwd: clone,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", RELAY_SECRET: "launcher-test-secret" },
  });
  return {
    launched,
    ports: [port],
    healthUrl: `http://127.0.0.1:${port}/health`,
    launcher: () => launcherProcess(launched, "scripts/backend-worker.ts"),
    startsWith: (p) => p.command.includes("wrangler.js dev"),
    ready: /^backend:worker: serving /,
    stopped: /^backend:worker: (stopped|SIGTERM during start-up; stopped)$/,
    cleanup: () => rmSync(clone, { recursive: true, force: true }),
  };
});
