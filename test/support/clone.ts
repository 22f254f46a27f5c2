// A clean clone of the checkout for tests that run the scripts as a developer would (`npm start`,
// `npm run backend:worker`): the repository's files copied to a temporary folder, with node_modules linked.
// Whatever the scripts write (.dev.vars, .emulator/, .wrangler/) stays in the clone.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sourceFiles } from "./source-files.ts";

const ROOT = join(import.meta.dirname, "..", "..");

export function cloneCheckout(prefix: string): string {
  const clone = mkdtempSync(join(tmpdir(), `${prefix}-`));
  // What a commit of the working tree would hold, found without git so that a release tarball tests the same way:
  // every file .gitignore keeps, new ones included (a file added but not yet staged is part of the change under
  // test, and must not be left behind).
  for (const file of sourceFiles(ROOT)) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(ROOT, file), join(clone, file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"), "dir");
  return clone;
}
