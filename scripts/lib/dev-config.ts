// First-run configuration for the local stack. The emulator plays Discord, so it must hold the private half of
// the key the Worker verifies with: a dev Ed25519 pair is generated once, its public key written to .dev.vars
// (when the user has not set one) and its private key to .emulator/dev-key.json, git-ignored and read only by
// the emulator. A relay secret is generated the same way. Values a user set are never overwritten.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { generateDevKeyPair, type DevKeyPair } from "../../src/emulator/index.ts";
import { parseDotenv } from "./dotenv.ts";

const DEV_APPLICATION_ID = "100000000000000001";
/** The SKU the local stack sells when asked to (npm start): /chart file: needs it, the playground's App menu buys it. */
export const DEV_PREMIUM_SKU = { id: "1000000000000000500", name: "Premium charts (dev SKU)" } as const;

export interface DevConfig {
  /** The key pair the emulator signs with; the Worker in the stack verifies with its public half. */
  keyPair: DevKeyPair;
  relaySecret: string;
  applicationId: string;
  /**
   * The Linked Roles Worker's secrets for the local stack: the OAuth2 client secret the emulator accepts, and the
   * key users' tokens are sealed under in the local D1. Kept in .emulator/linked-roles.json (git-ignored), so
   * tokens stored by one run still open in the next.
   */
  linkedRoles: { clientSecret: string; tokenEncryptionKey: string };
  /** Values from .dev.vars after the first-run additions. */
  devVars: Record<string, string>;
  /** Human-readable notes on what was written or overridden, for the start banner. */
  notes: string[];
}

export async function ensureDevConfig(root: string): Promise<DevConfig> {
  const notes: string[] = [];
  const devVarsPath = join(root, ".dev.vars");
  const keyPath = join(root, ".emulator", "dev-key.json");
  const devVars = existsSync(devVarsPath) ? parseDotenv(readFileSync(devVarsPath, "utf8")) : {};

  let keyPair: DevKeyPair | undefined;
  if (existsSync(keyPath)) {
    const stored = JSON.parse(readFileSync(keyPath, "utf8")) as Partial<DevKeyPair>;
    if (typeof stored.publicKeyHex === "string" && typeof stored.privateKeyHex === "string")
      keyPair = stored as DevKeyPair;
  }
  if (!keyPair) {
    keyPair = await generateDevKeyPair();
    mkdirSync(join(root, ".emulator"), { recursive: true });
    writeFileSync(keyPath, JSON.stringify(keyPair, null, 2) + "\n", { mode: 0o600 });
    notes.push(`generated a dev Ed25519 key pair (private key in .emulator/dev-key.json, git-ignored)`);
  }

  const additions: Record<string, string> = {};
  if (!devVars.DISCORD_PUBLIC_KEY) additions.DISCORD_PUBLIC_KEY = keyPair.publicKeyHex;
  if (!devVars.DISCORD_APPLICATION_ID) additions.DISCORD_APPLICATION_ID = DEV_APPLICATION_ID;
  if (!devVars.RELAY_SECRET) additions.RELAY_SECRET = randomBytes(32).toString("hex");
  if (Object.keys(additions).length > 0) {
    const lines = Object.entries(additions).map(([k, v]) => `${k}=${v}`);
    const header = existsSync(devVarsPath)
      ? "\n# Added by npm start for the local stack\n"
      : "# Written by npm start for the local stack (see .dev.vars.example)\n";
    appendFileSync(devVarsPath, header + lines.join("\n") + "\n");
    Object.assign(devVars, additions);
    notes.push(`wrote ${Object.keys(additions).join(", ")} to .dev.vars`);
  }
  if (devVars.DISCORD_PUBLIC_KEY !== keyPair.publicKeyHex) {
    notes.push(
      "your DISCORD_PUBLIC_KEY in .dev.vars is kept; the local stack runs the Worker with the dev key so the emulator can sign",
    );
  }
  const linkedRoles = ensureLinkedRolesSecrets(join(root, ".emulator", "linked-roles.json"), notes);
  return {
    keyPair,
    relaySecret: devVars.RELAY_SECRET!,
    applicationId: devVars.DISCORD_APPLICATION_ID!,
    linkedRoles,
    devVars,
    notes,
  };
}

function ensureLinkedRolesSecrets(path: string, notes: string[]): DevConfig["linkedRoles"] {
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, "utf8")) as Partial<DevConfig["linkedRoles"]>;
    if (typeof stored.clientSecret === "string" && /^[0-9a-f]{64}$/.test(stored.tokenEncryptionKey ?? ""))
      return stored as DevConfig["linkedRoles"];
  }
  const secrets = {
    clientSecret: randomBytes(16).toString("hex"),
    tokenEncryptionKey: randomBytes(32).toString("hex"),
  };
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  notes.push(
    "generated the Linked Roles Worker's dev client secret and token key (.emulator/linked-roles.json, git-ignored)",
  );
  return secrets;
}
