// The command watcher behind `npm start` keeps hearing a file that editors save atomically: sed -i and most tools
// write a temporary file and rename it over the original, vim moves the original to a backup and writes a new one,
// JetBrains' safe write renames the original away and the temporary file into place. Each save below is the real
// sequence of file operations, repeated on the same file: Node's recursive fs.watch went deaf after the first.
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { watchCommands, type CommandWatcher } from "../../scripts/lib/command-watch.ts";
import { watchTree, type TreeWatcher } from "../../scripts/lib/watch-tree.ts";

let root: string;
let dir: string;
let watcher: CommandWatcher | TreeWatcher | undefined;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "command-watch-"));
  dir = join(root, "src", "worker", "commands");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.ts"), "export const commands = [];\n");
});

afterEach(() => {
  watcher?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Resolves when check() holds; the test's own timeout bounds the wait. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

const saves: Record<string, (file: string, text: string) => void> = {
  "a temporary file renamed over it (sed -i, VS Code, most tools)": (file, text) => {
    writeFileSync(`${file}.tmp-${process.pid}`, text);
    renameSync(`${file}.tmp-${process.pid}`, file);
  },
  "vim: the original moved to a backup, a new file written, the backup deleted": (file, text) => {
    renameSync(file, `${file}~`);
    writeFileSync(file, text);
    unlinkSync(`${file}~`);
  },
  "JetBrains' safe write: a temporary file, the original renamed away, the temporary one renamed into place": (file, text) => {
    writeFileSync(`${file}___jb_tmp___`, text);
    renameSync(file, `${file}___jb_old___`);
    renameSync(`${file}___jb_tmp___`, file);
    unlinkSync(`${file}___jb_old___`);
  },
};

for (const [how, save] of Object.entries(saves)) {
  it(`reloads the commands after every save of the same file by ${how}`, async () => {
    let loads = 0;
    const lines: string[] = [];
    watcher = watchCommands({ root, dir, registered: [], register: async () => 0, print: (line) => lines.push(line), load: async () => (loads++, [{ name: `v${loads}`, description: "d" }]), debounceMs: 20 });
    for (let n = 1; n <= 3; n++) {
      save(join(dir, "index.ts"), `export const commands = []; // save ${n}\n`);
      await until(() => loads === n);
      await until(() => lines.length === n);
    }
    expect(lines.at(-1)).toBe("start: commands changed (+ /v3, - /v2); registered 1 with the emulator");
  });
}

it("watchTree reports files in folders created after it started, and keeps watching them through atomic saves", async () => {
  const seen: string[] = [];
  watcher = watchTree(join(root, "src"), (path) => seen.push(path));
  mkdirSync(join(dir, "remind"));
  writeFileSync(join(dir, "remind", "index.ts"), "export {};\n");
  await until(() => seen.includes("worker/commands/remind/index.ts"));
  seen.length = 0;
  for (let n = 1; n <= 2; n++) {
    saves["a temporary file renamed over it (sed -i, VS Code, most tools)"]!(join(dir, "remind", "index.ts"), `export {}; // ${n}\n`);
    await until(() => seen.filter((p) => p === "worker/commands/remind/index.ts").length >= n);
  }
});
