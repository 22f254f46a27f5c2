// The line between the platform and the bot (issue 23), read from the source: bot code (src/worker/app/**) reaches
// the platform only through its door, src/worker/kit/index.ts (plus the contracts in src/shared/), and the platform
// (src/worker/kit/**) imports nothing of the bot nor the entries that compose the two. Imports are found by
// TypeScript's own pre-processor (static, type-only, re-exports, dynamic import(), `declare module` augmentations),
// so a path in a comment or a string is not taken for one.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

export interface BoundaryViolation {
  /** "src/worker/app/commands/roll.ts:3", relative to the root, with the import's line. */
  readonly where: string;
  readonly specifier: string;
  readonly rule: string;
}

const posix = (path: string) => path.split(sep).join("/");

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function lineOf(source: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** The two Workers' entries, which compose the bot and the platform. */
const ENTRIES = new Set(["src/worker/index.ts", "src/worker/services.ts"]);

/** The rule an import of `target` (a root-relative path, or null for a package) from `from` breaks, if any. */
function broken(from: string, target: string | null): string | null {
  if (target === null) return null; // a package (discord-api-types, itty-router…): either side may use one
  if (from.startsWith("src/worker/app/")) {
    if (
      target.startsWith("src/worker/app/") ||
      target.startsWith("src/shared/") ||
      target === "src/worker/kit/index.ts"
    )
      return null;
    if (target.startsWith("src/worker/kit/"))
      return "bot code imports the platform only through src/worker/kit/index.ts";
    return "bot code imports only the bot, the platform's door (src/worker/kit/index.ts) and src/shared/";
  }
  if (from.startsWith("src/worker/kit/")) {
    if (target.startsWith("src/worker/app/") || ENTRIES.has(target))
      return "the platform imports nothing from the bot (src/worker/app/) or the entry";
  }
  return null;
}

/** Every import under src/worker/app and src/worker/kit that crosses the line the wrong way. */
export function boundaryViolations(root: string): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  for (const side of ["src/worker/app", "src/worker/kit"]) {
    for (const file of typeScriptFiles(join(root, side))) {
      const from = posix(relative(root, file));
      const source = readFileSync(file, "utf8");
      for (const imported of ts.preProcessFile(source, true, true).importedFiles) {
        const specifier = imported.fileName;
        const target = specifier.startsWith(".") ? posix(relative(root, resolve(dirname(file), specifier))) : null;
        const rule = broken(from, target);
        if (rule) violations.push({ where: `${from}:${lineOf(source, imported.pos)}`, specifier, rule });
      }
    }
  }
  return violations;
}

/** One line per violation: `src/worker/app/x.ts:3: import "../../kit/log.ts": bot code imports the platform only …`. */
export function describeViolations(violations: readonly BoundaryViolation[]): string {
  return violations.map((v) => `${v.where}: import "${v.specifier}": ${v.rule}`).join("\n");
}
