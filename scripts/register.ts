// `npm run register [-- --dry-run | --check]`: uploads the Worker's command definitions to Discord (bulk
// overwrite, global or DISCORD_GUILD_ID's guild) and its role connection metadata, or checks them for drift. The list comes from the Worker's
// one index of handler modules, so what is registered is exactly what the dispatcher handles.

import { loadDefinitions } from "./lib/definitions.ts";
import { loadEnv } from "./lib/dotenv.ts";
import { runRegister } from "./lib/register-core.ts";
import { loadRoleConnectionMetadata } from "./lib/role-connection-metadata.ts";
import { loadLocalEmojis } from "./lib/emoji-sync.ts";

try {
  const definitions = await loadDefinitions();
  const env = loadEnv(process.cwd()).values;
  process.exitCode = await runRegister({
    argv: process.argv.slice(2),
    env,
    definitions,
    metadata: loadRoleConnectionMetadata(),
    emojis: loadLocalEmojis(),
    io: { out: (line) => console.log(line), err: (line) => console.error(line) },
  });
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
