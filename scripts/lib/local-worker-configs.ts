// The wrangler configs the local stack runs: the interactions Worker (wrangler.toml's top level), the services Worker
// (wrangler.services.toml's) that hosts its Durable Objects, consumes its queue, runs the cron and handles Webhook
// Events, and the Linked Roles Worker (wrangler.linked-roles.toml), all under one `wrangler dev` (one config after the
// other, the interactions Worker first: it serves the port). That process connects the bindings between them
// (SERVICES, the Durable Objects' script_name, the JOBS queue, LINKED_ROLES): no dev registry, so two stacks side by
// side (npm start and a test) never reach each other's Worker.
//
// Why generated: wrangler.toml keeps the LINKED_ROLES binding commented out (a deploy binds it under its environment,
// DEPLOYMENT.md section 9), and wrangler dev gives its --var flags to the first Worker only: the others read the
// .dev.vars beside their config. The Linked Roles Worker's must not be the interactions Worker's (that Worker never
// holds the client secret or the token key); the services Worker's must be the same as the interactions Worker's (it
// runs the bot's jobs and cron with the same configuration). So each config is copied into a folder of its own under
// .wrangler/ (git-ignored) with `main` made absolute, and given its .dev.vars.
//
// One more difference, local only: the interactions Worker has no cron handler, and wrangler dev's --test-scheduled
// (GET /__scheduled, the playground's "Run daily cron") can only reach the first Worker's. Its local copy therefore
// runs from a generated entry, the interactions Worker itself plus a scheduled() that hands the run to the services
// Worker through SERVICES (a service binding's scheduled(), as Cloudflare's cron would call it there). Every request
// still goes to the interactions Worker's own fetch, and the translations are found from the real entry's folder
// (base_dir), as when it deploys.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDotenv } from "./dotenv.ts";

/** What the Linked Roles Worker reads (src/linked-roles/config.ts), as the local stack sets it. */
export interface LinkedRolesDevVars {
  DISCORD_APPLICATION_ID: string;
  DISCORD_API_BASE: string;
  DISCORD_CLIENT_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
}

export interface LocalWorkerConfigs {
  /** The interactions Worker's config, with LINKED_ROLES bound and the cron handed to the services Worker. */
  interactions: string;
  /** The services Worker's config, with LINKED_ROLES bound. */
  services: string;
  /** The Linked Roles Worker's config. */
  linkedRoles: string;
}

/** Where the two bot Workers' entries are: src/ (default) or npm start's type-checked copy (worker-mirror.ts). */
export interface BotEntries {
  interactions: string;
  services: string;
}

/**
 * The interactions Worker, plus the cron it hands to the services Worker (see the header). Plain JavaScript in a .ts
 * file so that wrangler's bundler takes it as it takes the Worker's own sources.
 */
const localInteractionsEntry = (
  entry: string,
) => `// Written by the local stack (scripts/lib/local-worker-configs.ts): never deployed.
import worker from ${JSON.stringify(entry)};

export default {
  ...worker,
  // A failed run throws here as it threw there; a runtime that reports an outcome instead is read too.
  async scheduled(controller, env) {
    const run = await env.SERVICES.scheduled({ cron: controller.cron, scheduledTime: controller.scheduledTime });
    if (run?.outcome !== undefined && run.outcome !== "ok")
      throw new Error(\`the services Worker's cron ended with \${run.outcome}: its log line says why\`);
  },
};
`;

const LINKED_ROLES_BINDING = `
# Added by the local stack (scripts/lib/local-worker-configs.ts): the Linked Roles Worker runs in the same wrangler dev.
[[services]]
binding = "LINKED_ROLES"
service = "edge-discord-bot-linked-roles"
`;

/** The config's text with `main` pointing at the file in `root` (or at `entry`), whatever folder the copy is read from. */
function withAbsoluteMain(text: string, root: string, file: string, entry?: string): string {
  const main = /^main\s*=\s*"([^"]+)"\s*$/m;
  const found = main.exec(text);
  if (!found) throw new Error(`local-configs: ${file} has no main = "…" line`);
  return text.replace(main, `main = ${JSON.stringify(entry ?? resolve(root, found[1]!))}`);
}

/** Only the top level: environments are for deploys, and the binding must land among the top-level tables. */
function topLevel(text: string): string {
  const env = /^\[+env\./m.exec(text);
  return env ? text.slice(0, env.index) : text;
}

const dotenv = (vars: Readonly<Record<string, string>>) =>
  Object.entries(vars)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join("\n") + "\n";

/**
 * Writes the three configs under `dir` (the stack's config folder) and returns their paths. `interactionsDevVars` is
 * the .dev.vars text the interactions Worker would have read beside wrangler.toml (the stack's --var flags still win);
 * `stackVars` are those flags, which the services Worker gets in its .dev.vars, over the same text. `entries` runs the
 * bot's Workers from other entries: npm start's type-checked copy (worker-mirror.ts).
 */
export function writeLocalWorkerConfigs(
  root: string,
  dir: string,
  interactionsDevVars: string | null,
  stackVars: Readonly<Record<string, string>>,
  linkedRoles: LinkedRolesDevVars,
  entries?: BotEntries,
): LocalWorkerConfigs {
  const base = join(dir, ".wrangler", "local-stack");
  const interactionsDir = join(base, "interactions");
  const servicesDir = join(base, "services");
  const linkedRolesDir = join(base, "linked-roles");
  for (const folder of [interactionsDir, servicesDir, linkedRolesDir]) mkdirSync(folder, { recursive: true });

  // In a folder of its own: wrangler writes its build files under the config's folder, and the bundler watches the
  // folders it read the entry from.
  const entryDir = join(base, "entries");
  mkdirSync(entryDir, { recursive: true });
  const interactionsEntry = join(entryDir, "interactions.ts");
  const realInteractionsEntry = entries?.interactions ?? resolve(root, "src", "worker", "index.ts");
  writeFileSync(interactionsEntry, localInteractionsEntry(realInteractionsEntry));
  const interactions = join(interactionsDir, "wrangler.toml");
  // The real entry's folder stays the base the translations are found and named from (find_additional_modules), so the
  // Worker's import() of one resolves as deployed (src/worker/import-module.ts).
  const interactionsBase = dirname(realInteractionsEntry);
  writeFileSync(
    interactions,
    topLevel(
      withAbsoluteMain(readFileSync(join(root, "wrangler.toml"), "utf8"), root, "wrangler.toml", interactionsEntry),
    )
      .replace(/^(main = .*)$/m, `$1\nbase_dir = ${JSON.stringify(interactionsBase)}`)
      .trimEnd() +
      "\n" +
      LINKED_ROLES_BINDING,
  );
  const interactionsVars = join(interactionsDir, ".dev.vars");
  if (interactionsDevVars !== null) writeFileSync(interactionsVars, interactionsDevVars, { mode: 0o600 });
  else if (existsSync(interactionsVars)) writeFileSync(interactionsVars, "", { mode: 0o600 });

  const services = join(servicesDir, "wrangler.toml");
  writeFileSync(
    services,
    topLevel(
      withAbsoluteMain(
        readFileSync(join(root, "wrangler.services.toml"), "utf8"),
        root,
        "wrangler.services.toml",
        entries?.services,
      ),
    ).trimEnd() +
      "\n" +
      LINKED_ROLES_BINDING,
  );
  writeFileSync(join(servicesDir, ".dev.vars"), dotenv({ ...parseDotenv(interactionsDevVars ?? ""), ...stackVars }), {
    mode: 0o600,
  });

  const linkedRolesConfig = join(linkedRolesDir, "wrangler.toml");
  writeFileSync(
    linkedRolesConfig,
    withAbsoluteMain(
      readFileSync(join(root, "wrangler.linked-roles.toml"), "utf8"),
      root,
      "wrangler.linked-roles.toml",
    ),
  );
  writeFileSync(join(linkedRolesDir, ".dev.vars"), dotenv({ ...linkedRoles }), { mode: 0o600 });
  return { interactions, services, linkedRoles: linkedRolesConfig };
}
