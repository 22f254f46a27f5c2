// The Discord REST emulator: one fake Discord for every test and for the local stack. Re-exports only.
// Inside workerd or a browser, import ./core.ts instead (everything but the Node server).

export * from "./core.ts";
export { startDiscordEmulator, type RunningEmulator, type StartOptions } from "./server.ts";
