// The copy of the Worker's sources that npm start runs (dev-loop.ts). wrangler dev rebuilds the Worker whenever a file
// it bundles changes, type errors or not; so it bundles this copy instead of src/, and the dev loop copies src/ into it
// only after the change passes the type-check. A change that fails it is reported, and the last good version keeps
// running. The copy holds what the Worker's bundle reads: src/worker and src/shared.

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";

const PARTS = ["worker", "shared"] as const;

/** The entries wrangler dev runs in the copy: the interactions Worker's and the services Worker's. */
export const mirrorEntries = (mirror: string) => ({
  interactions: join(mirror, "src", "worker", "index.ts"),
  services: join(mirror, "src", "worker", "services.ts"),
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

/**
 * Makes `mirror`/src/{worker,shared} the same as `root`/src/{worker,shared}: writes the files that differ, removes the
 * ones that went away, and returns what changed (paths relative to src/). A copy outside the project gets a link to
 * its node_modules, so the bundler resolves packages from there.
 */
export function syncWorkerMirror(root: string, mirror: string): string[] {
  const changed: string[] = [];
  if (!existsSync(join(mirror, "node_modules")) && relative(root, mirror).startsWith("..")) {
    mkdirSync(mirror, { recursive: true });
    symlinkSync(join(root, "node_modules"), join(mirror, "node_modules"), "dir");
  }
  for (const part of PARTS) {
    const from = join(root, "src", part);
    const to = join(mirror, "src", part);
    const wanted = new Set(filesUnder(from));
    for (const file of wanted) {
      const source = join(from, file);
      const target = join(to, file);
      if (existsSync(target) && readFileSync(source).equals(readFileSync(target))) continue;
      mkdirSync(dirname(target), { recursive: true });
      // Whole files only: the bundler may read the copy at any moment.
      copyFileSync(source, `${target}.part`);
      renameSync(`${target}.part`, target);
      changed.push(`${part}/${file}`);
    }
    for (const file of filesUnder(to)) {
      if (wanted.has(file)) continue;
      rmSync(join(to, file));
      changed.push(`${part}/${file}`);
    }
  }
  return changed;
}
