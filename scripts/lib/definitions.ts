// Loads the command definitions from the Worker's one index of handler modules (src/worker/commands/index.ts).
// Loaded by URL rather than a static import: the index pulls in Worker code, which tsconfig.node.json must not
// type-check under Node's globals. The shape is checked here instead, once, at the boundary.

import type { CommandDefinition } from "./register-core.ts";

const INDEX = new URL("../../src/worker/commands/index.ts", import.meta.url);

export async function loadDefinitions(): Promise<CommandDefinition[]> {
  let mod: { commands?: unknown };
  try {
    mod = (await import(INDEX.href)) as { commands?: unknown };
  } catch (error) {
    throw new Error(`definitions: cannot load the command index ${INDEX.pathname}: ${(error as Error).message}`);
  }
  if (!Array.isArray(mod.commands)) throw new Error("definitions: src/worker/commands/index.ts must export `commands`, an array of handler modules");
  return mod.commands.map((module: unknown, i: number) => {
    const definition = (module as { definition?: unknown } | null)?.definition as CommandDefinition | undefined;
    if (typeof definition !== "object" || definition === null || typeof definition.name !== "string") {
      throw new Error(`definitions: commands[${i}] has no \`definition\` with a name`);
    }
    return definition;
  });
}
