// `npm run register [-- --dry-run | --check]`: uploads the Worker's command definitions to Discord (bulk
// overwrite, global or DISCORD_GUILD_ID's guild), or checks them for drift. The list comes from the Worker's
// one index of handler modules, so what is registered is exactly what the dispatcher handles.

import { loadEnv } from "./lib/dotenv.ts";
import { runRegister, type CommandDefinition } from "./lib/register-core.ts";

// Loaded by URL rather than a static import: the index pulls in Worker code, which tsconfig.node.json must not
// type-check under Node's globals. The shape is checked here instead, once, at the boundary.
const INDEX = new URL("../src/commands/index.ts", import.meta.url);

async function loadDefinitions(): Promise<CommandDefinition[]> {
  let mod: { commands?: unknown };
  try {
    mod = (await import(INDEX.href)) as { commands?: unknown };
  } catch (error) {
    throw new Error(`register: cannot load the command index ${INDEX.pathname}: ${(error as Error).message}`);
  }
  if (!Array.isArray(mod.commands)) throw new Error("register: src/commands/index.ts must export `commands`, an array of handler modules");
  return mod.commands.map((module: unknown, i: number) => {
    const definition = (module as { definition?: unknown } | null)?.definition as CommandDefinition | undefined;
    if (typeof definition !== "object" || definition === null || typeof definition.name !== "string") {
      throw new Error(`register: commands[${i}] has no \`definition\` with a name`);
    }
    return definition;
  });
}

try {
  const definitions = await loadDefinitions();
  const env = loadEnv(process.cwd()).values;
  process.exitCode = await runRegister({
    argv: process.argv.slice(2),
    env,
    definitions,
    io: { out: (line) => console.log(line), err: (line) => console.error(line) },
  });
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
