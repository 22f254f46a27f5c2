// The files a commit of this working tree would hold, found without git: a release tarball has no .git, and its
// `npm test` must pass too (README, "Tests"). Every file under the root except what the root's .gitignore excludes
// (node_modules, .dev.vars, .emulator/, …), which for this repository is what `git ls-files --cached --others
// --exclude-standard` lists: it has one .gitignore, and no tracked file matches it.
//
// The .gitignore syntax read is the subset this repository uses: blank lines and # comments, `!` to re-include, a
// trailing `/` for directories only, `*` and `?` within a name, `**` across folders, and a pattern with a `/`
// before its end anchored at the root (https://git-scm.com/docs/gitignore#_pattern_format).

import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";

interface Rule {
  negate: boolean;
  directoryOnly: boolean;
  /** Matched against the whole relative path when anchored, else against every name along it. */
  anchored: boolean;
  pattern: RegExp;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?"; // Any folders, or none: "a/**/b" matches "a/b".
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i++;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function parseGitignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trimEnd();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    if (negate) line = line.slice(1);
    const directoryOnly = line.endsWith("/");
    if (directoryOnly) line = line.slice(0, -1);
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    rules.push({ negate, directoryOnly, anchored, pattern: globToRegExp(line) });
  }
  return rules;
}

/** Whether `path` (relative, "/"-separated) is ignored; the last rule that matches decides, as in git. */
function isIgnored(rules: readonly Rule[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  const name = path.slice(path.lastIndexOf("/") + 1);
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.pattern.test(rule.anchored ? path : name)) ignored = !rule.negate;
  }
  return ignored;
}

/** Relative paths ("/"-separated) of the files under `root` that .gitignore keeps, never inside .git. */
export function sourceFiles(root: string): string[] {
  const gitignore = join(root, ".gitignore");
  const rules = existsSync(gitignore) ? parseGitignore(readFileSync(gitignore, "utf8")) : [];
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.name === ".git") continue;
      const directory = entry.isDirectory();
      // git does not look inside an ignored directory, so nothing in it can be re-included.
      if (isIgnored(rules, path, directory)) continue;
      if (directory) walk(path);
      else if (entry.isFile()) found.push(path);
    }
  };
  walk("");
  return found.sort();
}
