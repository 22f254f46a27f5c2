// `npm start`: the bot, locally and offline: the Worker (wrangler dev), the backend (the Node server, or with
// `--backend worker` the backend Worker under wrangler dev) and the Discord emulator with its browser playground;
// `--queue` runs the Worker with RELAY_MODE=queue.
// Edits are type-checked, then reload the Worker (wrangler dev runs a copy that gets only changes that pass:
// scripts/lib/dev-loop.ts); a new or changed command is registered with the emulator again (scripts/lib/command-watch.ts).
// One Ctrl-C (or SIGTERM, or SIGHUP) stops everything, at any moment, start-up
// included; what it started never outlives it, even when it is killed (scripts/lib/watchdog.ts).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { StopRequested, stopOnSignals } from "./lib/stop-request.ts";

// Before anything starts, so no moment is left where a signal would end this process and leave the rest running.
const stopRequest = stopOnSignals("start");

const verbose = process.argv.includes("--verbose");
const root = process.cwd();

/** `--backend node` (default: the Node server in this process) or `--backend worker` (the backend Worker). */
function backendFromArgs(): "node" | "worker" {
  const index = process.argv.findIndex((arg) => arg === "--backend" || arg.startsWith("--backend="));
  if (index === -1) return "node";
  const arg = process.argv[index] ?? "";
  const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : process.argv[index + 1];
  if (value !== "node" && value !== "worker") {
    console.error(`start: --backend must be "node" or "worker", got ${value === undefined ? "nothing" : `"${value}"`}`);
    process.exit(1);
  }
  return value;
}
const backend = backendFromArgs();
/** `--queue`: RELAY_MODE=queue, deferred jobs through the JOBS queue that wrangler dev runs locally (retries, status edit). */
const relayMode = process.argv.includes("--queue") ? "queue" : "waitUntil";

// Checked before importing the stack, whose imports would otherwise fail with a bare module-not-found trace.
const required = ["wrangler/bin/wrangler.js", "@hono/node-server", "echarts", "@resvg/resvg-js", "@resvg/resvg-wasm"];
const missing = required.filter((dependency) => !existsSync(join(root, "node_modules", dependency)));
if (missing.length > 0) {
  console.error(`start: missing dependencies (${missing.join(", ")}): run \`npm ci\` in ${root} first`);
  process.exit(1);
}
const { startStack, StackError } = await import("./lib/stack.ts");
const { commandReloader } = await import("./lib/command-watch.ts");
const { startDevLoop } = await import("./lib/dev-loop.ts");

const print = (source: string, line: string) => {
  // Each part logs JSON lines; show the Worker's (interaction lines, errors) and the stack's, the rest with --verbose.
  if (verbose || source === "worker" || source === "register") console.log(`[${source}] ${line}`);
};

/** WORKER_PORT, BACKEND_PORT, EMULATOR_PORT override the defaults (8787, 8788, 8790). */
function portsFromEnv() {
  const ports: Record<string, number> = {};
  for (const [part, name] of [
    ["worker", "WORKER_PORT"],
    ["backend", "BACKEND_PORT"],
    ["emulator", "EMULATOR_PORT"],
  ] as const) {
    const value = process.env[name];
    if (value === undefined || value === "") continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      console.error(`start: ${name} must be a port number (1-65535), got "${value}"`);
      process.exit(1);
    }
    ports[part] = port;
  }
  return ports;
}

let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({
    root,
    log: print,
    ports: portsFromEnv(),
    devPremiumSku: true,
    backend,
    relayMode,
    signal: stopRequest,
    workerMirror: join(root, ".wrangler", "dev-worker"),
  });
} catch (error) {
  if (error instanceof StopRequested) {
    // startStack has stopped what it had started.
    console.log(`start: ${error.what} during start-up; stopped what had started`);
    process.exit(0);
  }
  console.error(error instanceof StackError ? error.message : `start: ${(error as Error).stack ?? error}`);
  process.exit(1);
}

for (const note of stack.config.notes) console.log(`start: ${note}`);
if (stack.premiumSkuId)
  console.log(
    `start: /chart file: needs SKU ${stack.premiumSkuId} (PREMIUM_SKU_ID); buy it in the playground (App menu, or the premium button). PREMIUM_SKU_ID= in .dev.vars turns the gate off.`,
  );
console.log(`
  Worker      ${stack.workerUrl}/interactions
  Events      ${stack.workerUrl}/events
  Backend     ${stack.backendUrl}   (${stack.backend.kind === "worker" ? "backend Worker, wrangler dev" : "Node server"})
  Emulator    ${stack.emulatorUrl}/api/v10
  Relay mode  ${stack.relayMode === "queue" ? "queue (RELAY_MODE=queue: deferred jobs through the local JOBS queue)" : "waitUntil (npm start -- --queue for queue mode)"}

  Playground  ${stack.playgroundUrl}   ← open this to try the bot

  Edits are type-checked, then reload the Worker (a change that fails the check is shown here and in the
  playground, and the last version that passed keeps running); new or changed commands are registered again.
  Ctrl-C stops everything.
`);

// Edits: type-checked, then run (the last version that passed keeps running meanwhile), commands registered again.
const commands = commandReloader({
  root,
  registered: stack.definitions,
  register: stack.registerCommands,
  print: (line) => console.log(line),
});
const devLoop = startDevLoop({
  root,
  mirror: join(root, ".wrangler", "dev-worker"),
  buildInfoFile: join(root, ".wrangler", "dev-worker.tsbuildinfo"),
  print: (line) => console.log(line),
  status: (status) => stack.emulator.emulator.setDevStatus(status),
  commands,
});

let stopping = false;
async function shutdown(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`start: ${reason}; stopping the Worker, the backend and the emulator…`);
  devLoop.close();
  commands.close();
  await stack.stop();
  console.log("start: stopped");
  process.exit(code);
}
const stopNow = () => void shutdown((stopRequest.reason as StopRequested).what, 0);
if (stopRequest.aborted) stopNow();
else stopRequest.addEventListener("abort", stopNow, { once: true });
void stack.died.then((reason) => shutdown(reason, 1));
