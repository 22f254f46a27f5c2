// test/support/source-files.ts lists what a commit of the working tree would hold without asking git, so that the
// tests that copy the repository (start.test.ts) pass from a release tarball, which has no .git.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sourceFiles } from "../support/source-files.ts";

const root = join(import.meta.dirname, "..", "..");
let tree: string | undefined;

function makeTree(gitignore: string, files: readonly string[]): string {
  tree = mkdtempSync(join(tmpdir(), "source-files-"));
  writeFileSync(join(tree, ".gitignore"), gitignore);
  for (const file of files) {
    mkdirSync(dirname(join(tree, file)), { recursive: true });
    writeFileSync(join(tree, file), "x");
  }
  return tree;
}

afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = undefined;
});

describe("sourceFiles", () => {
  it("keeps what the repository's .gitignore keeps: sources, .dev.vars.example; never node_modules, local state or .git", () => {
    const dir = makeTree(readFileSync(join(root, ".gitignore"), "utf8"), [
      "package.json",
      "src/worker/index.ts",
      "bench/run.ts",
      ".dev.vars.example",
      "docs/playground.png",
      "node_modules/vitest/index.js",
      ".wrangler/state/d1.sqlite",
      ".dev.vars",
      ".dev.vars.staging",
      ".emulator/keys.json",
      "dist/worker.js",
      "bench/out/run.json",
      "test-results/a.json",
      "npm-debug.log",
      "src/debug.log",
      ".git/HEAD",
    ]);
    expect(sourceFiles(dir)).toEqual([
      ".dev.vars.example",
      ".gitignore",
      "bench/run.ts",
      "docs/playground.png",
      "package.json",
      "src/worker/index.ts",
    ]);
  });

  it("reads gitignore patterns as git does: anchored or at any depth, directories only, ?, **, and the last match wins", () => {
    const dir = makeTree(
      ["# a comment", "", "/top.txt", "build/", "a?.tmp", "logs/**/*.txt", "*.bak", "!keep.bak"].join("\n"),
      [
        "top.txt",
        "sub/top.txt",
        "build/x.js",
        "sub/build/y.js",
        "build.js",
        "a1.tmp",
        "a12.tmp",
        "logs/x/y/z.txt",
        "logs/z.txt",
        "logs/z.md",
        "old.bak",
        "sub/keep.bak",
      ],
    );
    expect(sourceFiles(dir)).toEqual([".gitignore", "a12.tmp", "build.js", "logs/z.md", "sub/keep.bak", "sub/top.txt"]);
  });
});
