// The emulator core is a plain fetch handler that Worker tests also run inside workerd (and the playground may
// run in a browser): only the Node adapter (server.ts, main.ts, playground-assets.ts) may use Node APIs.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { expect, it } from "vitest";

const DIR = resolve(import.meta.dirname, "../../../src/emulator");
const NODE_ONLY = new Set(["server.ts", "main.ts", "playground-assets.ts"]);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "playground" ? [] : files(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

it("core files use no Node built-ins, Buffer or process", () => {
  const offenders = files(DIR)
    .filter((path) => !NODE_ONLY.has(relative(DIR, path)))
    .flatMap((path) => {
      const code = readFileSync(path, "utf8").replace(/^\s*\/\/.*$/gm, "");
      return [/from "node:/, /from "@hono\/node-server"/, /\bBuffer\./, /\bprocess\./]
        .filter((pattern) => pattern.test(code))
        .map((pattern) => `${relative(DIR, path)}: ${pattern}`);
    });
  expect(offenders).toEqual([]);
});

it("core.ts imports and runs without the Node adapter", async () => {
  const { createDiscordEmulator } = await import("../../../src/emulator/core.ts");
  const response = await createDiscordEmulator().fetch(new Request("http://x/__emulator/health"));
  expect(response.status).toBe(200);
});
