// The wrangler configs the local stack runs: the interactions Worker (wrangler.toml's top level) with its
// LINKED_ROLES service binding to the Linked Roles Worker (wrangler.linked-roles.toml), both under one `wrangler dev`
// (one config after the other), which connects the binding inside that process: no dev registry, so two stacks
// side by side (npm start and a test) never reach each other's Worker.
//
// Why generated: wrangler.toml keeps the binding commented out (a deploy binds it under its environment, DEPLOYMENT.md
// section 9), and the Linked Roles Worker takes its secrets from the .dev.vars beside its config, which must not be
// the interactions Worker's (that Worker never holds the client secret or the token key). So each config is copied
// into a folder of its own under .wrangler/ (git-ignored) with `main` made absolute; the interactions Worker's copy
// gets the binding and the .dev.vars the stack would have given it, the Linked Roles Worker's its own .dev.vars.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** What the Linked Roles Worker reads (src/linked-roles/config.ts), as the local stack sets it. */
export interface LinkedRolesDevVars {
  DISCORD_APPLICATION_ID: string;
  DISCORD_API_BASE: string;
  DISCORD_CLIENT_SECRET: string;
  TOKEN_ENCRYPTION_KEY: string;
}

export interface LocalWorkerConfigs {
  /** The interactions Worker's config, with LINKED_ROLES bound. */
  interactions: string;
  /** The Linked Roles Worker's config. */
  linkedRoles: string;
}

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
 * Writes both configs under `dir` (the stack's config folder) and returns their paths. `interactionsDevVars` is the
 * .dev.vars text the interactions Worker would have read beside wrangler.toml (the stack's --var flags still win).
 * `interactionsEntry` runs the interactions Worker from another entry: npm start's type-checked copy (worker-mirror.ts).
 */
export function writeLocalWorkerConfigs(
  root: string,
  dir: string,
  interactionsDevVars: string | null,
  linkedRoles: LinkedRolesDevVars,
  interactionsEntry?: string,
): LocalWorkerConfigs {
  const base = join(dir, ".wrangler", "local-stack");
  const interactionsDir = join(base, "interactions");
  const linkedRolesDir = join(base, "linked-roles");
  mkdirSync(interactionsDir, { recursive: true });
  mkdirSync(linkedRolesDir, { recursive: true });

  const interactions = join(interactionsDir, "wrangler.toml");
  writeFileSync(
    interactions,
    topLevel(
      withAbsoluteMain(readFileSync(join(root, "wrangler.toml"), "utf8"), root, "wrangler.toml", interactionsEntry),
    ).trimEnd() +
      "\n" +
      LINKED_ROLES_BINDING,
  );
  const interactionsVars = join(interactionsDir, ".dev.vars");
  if (interactionsDevVars !== null) writeFileSync(interactionsVars, interactionsDevVars, { mode: 0o600 });
  else if (existsSync(interactionsVars)) writeFileSync(interactionsVars, "", { mode: 0o600 });

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
  return { interactions, linkedRoles: linkedRolesConfig };
}
