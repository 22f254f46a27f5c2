// Reads .dev.vars (dotenv syntax, the file wrangler dev reads too) so scripts see the same configuration as
// the local Worker. Process environment wins over the file; empty values count as unset, because
// .dev.vars.example ships every key with an empty value.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Parses dotenv text: KEY=value, optional `export `, # comments, '…' literal and "…" escaped (multi-line) values. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1]!;
    let rest = match[2]!;
    const quote = rest[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      // A quoted value may span lines until its closing quote.
      let body = rest.slice(1);
      while (!closes(body, quote) && i + 1 < lines.length) body += "\n" + lines[++i];
      const end = closingIndex(body, quote);
      const raw = end >= 0 ? body.slice(0, end) : body;
      out[key] =
        quote === '"' ? raw.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c) : raw;
      continue;
    }
    // Unquoted: a # preceded by whitespace starts a comment.
    const hash = rest.search(/\s#/);
    if (hash >= 0) rest = rest.slice(0, hash);
    if (rest.startsWith("#")) rest = "";
    out[key] = rest.trim();
  }
  return out;
}

function closingIndex(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "\\" && quote === '"') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

const closes = (body: string, quote: string) => closingIndex(body, quote) >= 0;

export interface LoadedEnv {
  /** Merged values, process env over file; keys whose winning value is empty are left out. */
  values: Record<string, string>;
  /** The file that was read, or null when there was none. */
  file: string | null;
}

/** Reads `<dir>/.dev.vars` (if present) and overlays `env`. */
export function loadEnv(dir: string, env: Record<string, string | undefined> = process.env): LoadedEnv {
  const path = join(dir, ".dev.vars");
  let fromFile: Record<string, string> = {};
  let file: string | null = null;
  try {
    fromFile = parseDotenv(readFileSync(path, "utf8"));
    file = path;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new Error(`dotenv: cannot read ${path}: ${(error as Error).message}`);
  }
  // An environment variable wins even when empty: `DISCORD_GUILD_ID= npm run register` registers globally.
  const merged: Record<string, string | undefined> = { ...fromFile, ...env };
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined && value !== "") values[key] = value;
  return { values, file };
}
