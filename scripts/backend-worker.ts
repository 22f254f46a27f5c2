// `npm run backend:worker`: the backend Worker under wrangler dev, configured by the same environment as
// `npm run backend` (PORT, HOST, RELAY_SECRET, ATTACHMENT_HOSTS, BACKEND_MAX_CONCURRENT, BACKEND_BODY_TIMEOUT_MS,
// BACKEND_RENDER_BUDGET), checked by the same reader so a mistake fails here with the same message. Ctrl-C, SIGTERM
// or SIGHUP, at any moment, start-up included, stops wrangler and workerd; killed outright, its watchdog stops them
// (scripts/lib/watchdog.ts). A PORT that another process holds is refused, naming that process.

import { ConfigError, readBackendConfig } from "../src/backend/config.ts";
import { NODE_ONLY_BACKEND_VARS, startBackendWorker } from "./lib/backend-worker.ts";
import { StopRequested, stopOnSignals } from "./lib/stop-request.ts";

// Before anything starts, so no moment is left where a signal would end this process and leave wrangler running.
const stopRequest = stopOnSignals("backend:worker");

let config;
try {
  config = readBackendConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const ignored = NODE_ONLY_BACKEND_VARS.filter((name) => process.env[name]);
if (ignored.length > 0)
  console.log(
    `backend:worker: ${ignored.join(", ")} apply to the Node server only; workerd has its own connection and CPU limits`,
  );

const worker = await startBackendWorker({
  root: process.cwd(),
  host: config.host,
  port: config.port,
  vars: {
    RELAY_SECRET: config.relaySecret,
    ATTACHMENT_HOSTS: config.attachmentHosts.join(","),
    BACKEND_MAX_CONCURRENT: String(config.maxConcurrent),
    BACKEND_BODY_TIMEOUT_MS: String(config.bodyTimeoutMs),
    BACKEND_RENDER_BUDGET: String(config.renderBudget),
  },
  log: (line) => console.log(line),
  signal: stopRequest,
}).catch((error: unknown) => {
  if (error instanceof StopRequested) {
    // startBackendWorker has stopped wrangler.
    console.log(`backend:worker: ${error.what} during start-up; stopped`);
    process.exit(0);
  }
  console.error((error as Error).message);
  process.exit(1);
});
console.log(`backend:worker: serving ${worker.url} (GET /health, POST /v1/jobs/{name}); Ctrl-C stops it`);

let stopping = false;
const stop = () => {
  stopping = true;
  console.log(`backend:worker: ${(stopRequest.reason as StopRequested).what}; stopping wrangler dev…`);
  void worker.stop().then(() => {
    console.log("backend:worker: stopped");
    process.exit(0);
  });
};
if (stopRequest.aborted) stop();
else stopRequest.addEventListener("abort", stop, { once: true });
void worker.process.exited.then((code) => {
  if (stopping) return;
  console.error(`backend:worker: wrangler dev exited (${code})`);
  process.exit(1);
});
