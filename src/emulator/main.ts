// Runs the emulator as its own process: `node src/emulator/main.ts [--port 8790] [--app-id ID] [--strict]
// [--worker http://127.0.0.1:8787/interactions --key .emulator/dev-key.json]`. For Worker tests that want a fixed
// address, and for a playground in front of a Worker started elsewhere (`npm start` runs it in-process instead).
// Logs one JSON line per event to stdout.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startDiscordEmulator } from "./server.ts";
import type { WorkerTarget } from "./send.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.DISCORD_EMULATOR_PORT ?? "8790" },
    "app-id": { type: "string", default: process.env.DISCORD_APPLICATION_ID },
    "bot-token": { type: "string" },
    strict: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    worker: { type: "string" },
    key: { type: "string", default: ".emulator/dev-key.json" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`emulator(main): --port must be 0-65535, got ${values.port}`);
  process.exit(1);
}

/** The playground's Worker: the URL it posts to, and the private key whose public half that Worker verifies with. */
function workerTarget(): WorkerTarget | undefined {
  if (values.worker === undefined) return undefined;
  let key: { privateKeyHex?: unknown };
  try {
    key = JSON.parse(readFileSync(values.key, "utf8"));
  } catch (error) {
    console.error(`emulator(main): --worker needs the dev key; cannot read ${values.key}: ${(error as Error).message}`);
    process.exit(1);
  }
  if (typeof key.privateKeyHex !== "string") {
    console.error(`emulator(main): ${values.key} has no privateKeyHex`);
    process.exit(1);
  }
  return { url: values.worker, privateKeyHex: key.privateKeyHex };
}

const running = await startDiscordEmulator({
  worker: workerTarget(),
  port,
  applicationId: values["app-id"],
  botToken: values["bot-token"],
  strictTokens: values.strict,
  log: values.quiet ? undefined : (event) => console.log(JSON.stringify({ at: new Date().toISOString(), ...event })),
}).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
