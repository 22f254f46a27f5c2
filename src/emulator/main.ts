// Runs the emulator as its own process: `node src/emulator/main.ts [--port 8790] [--app-id ID] [--strict]`.
// For the local stack and for Worker tests that want a fixed address. Logs one JSON line per event to stdout.

import { parseArgs } from "node:util";
import { startDiscordEmulator } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.DISCORD_EMULATOR_PORT ?? "8790" },
    "app-id": { type: "string", default: process.env.DISCORD_APPLICATION_ID },
    "bot-token": { type: "string" },
    strict: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`emulator(main): --port must be 0-65535, got ${values.port}`);
  process.exit(1);
}

const running = await startDiscordEmulator({
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
