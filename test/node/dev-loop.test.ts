// npm start's edit loop (scripts/lib/dev-loop.ts) with its type-check replaced: a change is checked, copied into the
// Worker's running copy only when it passes, and the commands are registered again; a failing change is reported and
// the copy keeps the last version that passed. It keeps hearing a file that editors save atomically: sed -i and most
// tools write a temporary file and rename it over the original, vim moves the original to a backup and writes a new
// one, JetBrains' safe write renames the original away and the temporary file into place. Each save below is the real
// sequence of file operations, repeated on the same file: Node's recursive fs.watch went deaf after the first.
// The real tsc and wrangler behind it: test/node/dev-loop-stack.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandReloader, describeChange } from "../../scripts/lib/command-watch.ts";
import { startDevLoop, type DevLoop } from "../../scripts/lib/dev-loop.ts";
import type { CommandDefinition } from "../../scripts/lib/register-core.ts";
import type { TypeCheck } from "../../scripts/lib/type-check.ts";
import { watchTree, type TreeWatcher } from "../../scripts/lib/watch-tree.ts";

let root: string;
let dir: string;
let mirror: string;
let loop: DevLoop | TreeWatcher | undefined;
let lines: string[];
let statuses: Array<{ summary: string; errors: string[] } | null>;
let registered: CommandDefinition[][];
let loads: number;
let next: () => CommandDefinition[];
let verdict: TypeCheck;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "dev-loop-"));
  dir = join(root, "src", "worker", "app", "commands");
  mirror = join(root, ".wrangler", "dev-worker");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.ts"), "export const commands = [];\n");
  lines = [];
  statuses = [];
  registered = [];
  loads = 0;
  next = () => [{ name: `v${loads}`, description: "d" }];
  verdict = { ok: true, errors: [] };
});

afterEach(() => {
  loop?.close();
  rmSync(root, { recursive: true, force: true });
});

function start(): void {
  const commands = commandReloader({
    root,
    registered: [],
    register: async (list) => (registered.push([...list]), 0),
    print: (line) => lines.push(line),
    load: async () => (loads++, next()),
  });
  loop = startDevLoop({
    root,
    mirror,
    buildInfoFile: join(root, "info"),
    print: (line) => lines.push(line),
    status: (status) => statuses.push(status),
    commands,
    check: async () => verdict,
    debounceMs: 20,
  });
}

/** Resolves when check() holds; the test's own timeout bounds the wait. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

const mirrored = (file: string) => readFileSync(join(mirror, "src", "worker", "app", "commands", file), "utf8");

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
  "JetBrains' safe write: a temporary file, the original renamed away, the temporary one renamed into place": (
    file,
    text,
  ) => {
    writeFileSync(`${file}___jb_tmp___`, text);
    renameSync(file, `${file}___jb_old___`);
    renameSync(`${file}___jb_tmp___`, file);
    unlinkSync(`${file}___jb_old___`);
  },
};

describe("npm start's edit loop", () => {
  for (const [how, save] of Object.entries(saves)) {
    it(`reloads after every save of the same file by ${how}`, async () => {
      start();
      await until(() => statuses.length === 1); // the check at start
      for (let n = 1; n <= 3; n++) {
        save(join(dir, "index.ts"), `export const commands = []; // save ${n}\n`);
        await until(() => lines.length === n);
        expect(mirrored("index.ts")).toBe(`export const commands = []; // save ${n}\n`);
      }
      expect(lines).toEqual([
        "start: commands changed (+ /v1); registered 1 with the emulator",
        "start: commands changed (+ /v2, - /v1); registered 1 with the emulator",
        "start: commands changed (+ /v3, - /v2); registered 1 with the emulator",
      ]);
    });
  }

  it("keeps the last version that passed when a change fails the type-check, says so in the terminal and for the playground, and goes on once it passes", async () => {
    start();
    await until(() => statuses.length === 1);
    expect(mirrored("index.ts")).toBe("export const commands = [];\n");
    verdict = {
      ok: false,
      errors: [
        "src/worker/app/commands/index.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.",
      ],
    };
    writeFileSync(join(dir, "index.ts"), 'export const commands: number = "x";\n');
    await until(() => statuses.length === 2);
    const summary =
      "the change to src/worker/app/commands/index.ts fails the type-check (1 error): the Worker keeps running the last version that passed";
    expect(statuses[1]).toEqual({ summary, errors: verdict.errors });
    expect(lines).toEqual([`start: ${summary}`, `  ${verdict.errors[0]}`]);
    expect(mirrored("index.ts")).toBe("export const commands = [];\n");
    expect(loads).toBe(0);

    verdict = { ok: true, errors: [] };
    writeFileSync(join(dir, "index.ts"), "export const commands = [1];\n");
    await until(() => lines.length === 4);
    expect(lines.slice(2)).toEqual([
      "start: the type-check passes again; the Worker reloads with src/worker/app/commands/index.ts",
      "start: commands changed (+ /v1); registered 1 with the emulator",
    ]);
    expect(statuses[2]).toBeNull();
    expect(mirrored("index.ts")).toBe("export const commands = [1];\n");
  });

  it("re-registers after a change to a .ts file, says so in one line, and keeps the list when the files do not load", async () => {
    const ping = { name: "ping", description: "Ping" };
    const numbers = { name: "Chart numbers", type: 3 };
    next = () => [ping, numbers];
    const commands = commandReloader({
      root,
      registered: [ping],
      register: async (list) => (registered.push([...list]), 0),
      print: (line) => lines.push(line),
      load: async () => (loads++, next()),
    });
    loop = startDevLoop({
      root,
      mirror,
      buildInfoFile: join(root, "info"),
      print: (line) => lines.push(line),
      status: (status) => statuses.push(status),
      commands,
      check: async () => verdict,
      debounceMs: 50,
    });
    await until(() => statuses.length === 1);
    writeFileSync(join(dir, "notes.txt"), "not a command");
    writeFileSync(join(dir, "chart-numbers.ts"), "export {}");
    writeFileSync(join(dir, "index.ts"), "export {}");
    await until(() => lines.length === 1);
    expect(lines).toEqual([
      "start: commands changed (+ Chart numbers (message command)); registered 2 with the emulator",
    ]);
    expect(registered).toEqual([[ping, numbers]]);
    expect(loads).toBe(1); // Both writes, one reload (debounced); the .txt file alone would not have caused one.

    // A handler edit leaves the definitions as they were: nothing to register, nothing to say.
    writeFileSync(join(dir, "chart-numbers.ts"), "export { } // edited");
    await until(() => loads === 2);
    next = () => {
      throw new Error("definitions: cannot load the command index: Unexpected token");
    };
    writeFileSync(join(dir, "chart-numbers.ts"), "export {");
    await until(() => lines.length === 2);
    expect(lines[1]).toBe(
      "start: after the change to src/worker/app/commands/chart-numbers.ts, the commands do not load (definitions: cannot load the command index: Unexpected token); the emulator keeps the previous list",
    );
    expect(registered).toHaveLength(1);
  });

  it("names what a new list of commands adds, changes and drops", () => {
    const ping = { name: "ping", description: "Ping" };
    const numbers = { name: "Chart numbers", type: 3 };
    expect(describeChange([ping, numbers], [ping])).toBe("+ Chart numbers (message command)");
    expect(describeChange([{ ...ping, description: "Pong" }], [ping, numbers])).toBe(
      "~ /ping, - Chart numbers (message command)",
    );
    expect(describeChange([{ ...numbers, integration_types: [0, 1] }], [numbers])).toBe(
      "~ Chart numbers (message command)",
    );
  });

  it("watchTree reports files in folders created after it started, and keeps watching them through atomic saves", async () => {
    const seen: string[] = [];
    loop = watchTree(join(root, "src"), (path) => seen.push(path));
    mkdirSync(join(dir, "remind"));
    writeFileSync(join(dir, "remind", "index.ts"), "export {};\n");
    await until(() => seen.includes("worker/app/commands/remind/index.ts"));
    seen.length = 0;
    for (let n = 1; n <= 2; n++) {
      saves["a temporary file renamed over it (sed -i, VS Code, most tools)"]!(
        join(dir, "remind", "index.ts"),
        `export {}; // ${n}\n`,
      );
      await until(() => seen.filter((p) => p === "worker/app/commands/remind/index.ts").length >= n);
    }
  });
});
