// Loads the command definitions from the Worker's one index of handler modules (src/worker/app/commands/index.ts).
// Loaded by URL rather than a static import: the index pulls in Worker code, which tsconfig.node.json must not
// type-check under Node's globals. The shape is checked here instead, once, at the boundary.
//
// Node caches ES modules for the life of the process: importing the index again (even with a cache-busting
// query) would re-read the index alone and hand back the old command modules it imports. loadFreshDefinitions
// therefore runs this file as a script in a new Node process, which prints the definitions as JSON.

import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandDefinition } from "./register-core.ts";

const INDEX = new URL("../../src/worker/app/commands/index.ts", import.meta.url);
// The run-time module checks: the Worker leaves them to its tooling (see the file's header), so this is where
// `npm run register` and `npm start` stop a bad module, with the sentence naming it.
const CHECKS = new URL("../../src/worker/kit/dispatch/module-checks.ts", import.meta.url);
const FRESH_TIMEOUT_MS = 30_000;

/** `index` is the module list to load: the Worker's, unless a test hands it another. */
export async function loadDefinitions(index: URL = INDEX): Promise<CommandDefinition[]> {
  let mod: { commands?: unknown };
  try {
    mod = (await import(index.href)) as { commands?: unknown };
  } catch (error) {
    throw new Error(`definitions: cannot load the command index ${index.pathname}: ${(error as Error).message}`);
  }
  if (!Array.isArray(mod.commands))
    throw new Error(
      "definitions: src/worker/app/commands/index.ts must export `commands`, an array of handler modules",
    );
  const { checkModules } = (await import(CHECKS.href)) as { checkModules: (modules: unknown[]) => void };
  try {
    checkModules(mod.commands);
  } catch (error) {
    throw new Error(`definitions: ${(error as Error).message}`);
  }
  await refuseUnlisted(index, mod.commands);
  return mod.commands.map((module: unknown, i: number) => {
    const definition = (module as { definition?: unknown } | null)?.definition as CommandDefinition | undefined;
    if (typeof definition !== "object" || definition === null || typeof definition.name !== "string") {
      throw new Error(`definitions: commands[${i}] has no \`definition\` with a name`);
    }
    return definition;
  });
}

/**
 * A module file beside the index that defines a command the list does not hold is a command Discord never sees,
 * however well it is tested on its own: refused here, naming the file and the line to add.
 */
async function refuseUnlisted(index: URL, listed: readonly unknown[]): Promise<void> {
  const dir = new URL(".", index);
  const root = fileURLToPath(new URL("../../", import.meta.url));
  for (const name of readdirSync(dir)
    .filter((file) => /\.(ts|mjs|js)$/.test(file) && file !== basename(index.pathname))
    .sort()) {
    const file = new URL(name, dir);
    const module = (await import(file.href)) as { definition?: { name?: unknown; type?: unknown } };
    const command = module.definition?.name;
    if (typeof command !== "string" || listed.includes(module)) continue;
    const variable = name.replace(/\.\w+$/, "").replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const shown = (module.definition?.type ?? 1) === 1 ? `/${command}` : `"${command}"`;
    throw new Error(
      `definitions: ${relative(root, fileURLToPath(file))} defines the command ${shown}, but ${relative(root, fileURLToPath(index))} does not list it, so Discord never sees it: add \`import * as ${variable} from "./${name}";\` and put \`${variable}\` in listModules(…)`,
    );
  }
}

/** The definitions as the files on disk say now, read by a new Node process (see above). */
export function loadFreshDefinitions(): Promise<CommandDefinition[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [fileURLToPath(import.meta.url)],
      { timeout: FRESH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          const reason =
            stderr
              .trim()
              .split("\n")
              .find((line) => line.startsWith("definitions:")) ??
            (error.killed
              ? `no answer within ${FRESH_TIMEOUT_MS / 1000} s`
              : stderr.trim().split("\n").at(-1) || error.message);
          return reject(new Error(reason));
        }
        try {
          resolve(JSON.parse(stdout) as CommandDefinition[]);
        } catch {
          reject(new Error(`definitions: the loader printed something that is not JSON: ${stdout.slice(0, 200)}`));
        }
      },
    );
  });
}

if (import.meta.main) {
  try {
    process.stdout.write(JSON.stringify(await loadDefinitions()));
  } catch (error) {
    process.stderr.write(`${(error as Error).message.split("\n")[0]}\n`);
    process.exitCode = 1;
  }
}
