// npm start's edit loop. A change under src/worker or src/shared (an editor's atomic save included: watch-tree.ts) is
// type-checked first (type-check.ts). When it passes, it is copied into the copy wrangler dev runs (worker-mirror.ts),
// so the Worker reloads, and the commands are registered again if their definitions changed (command-watch.ts). When
// it fails, the terminal and the playground (a banner) say so, and the Worker keeps running the last version that
// passed: a wrong option name is a type error here, not a `<t:NaN:R>` in a reply.

import { join } from "node:path";
import type { CommandReloader } from "./command-watch.ts";
import { typeCheck, type TypeCheck } from "./type-check.ts";
import { watchTree } from "./watch-tree.ts";
import { syncWorkerMirror } from "./worker-mirror.ts";

const DEBOUNCE_MS = 250;
/** How many errors the terminal and the banner show; tsc's count says how many there are. */
const SHOWN_ERRORS = 10;

export interface DevLoopOptions {
  root: string;
  /** The copy wrangler dev runs (the stack's `workerMirror`). */
  mirror: string;
  /** Where the incremental type-check keeps its build info. */
  buildInfoFile: string;
  print(line: string): void;
  /** What the playground shows: the failure, or null once the code passes again. */
  status(status: { summary: string; errors: string[] } | null): void;
  commands?: CommandReloader;
  /** The check (default: tsc, type-check.ts); tests may replace it. */
  check?: () => Promise<TypeCheck>;
  debounceMs?: number;
}

export interface DevLoop {
  close(): void;
}

/** What changed, for the messages; nothing: the check npm start runs once it is up, on the code as it found it. */
const describe = (files: readonly string[]) =>
  files.length === 0
    ? "the Worker's code as npm start found it"
    : files.length === 1
      ? `the change to src/${files[0]}`
      : `the change to ${files.length} files under src/`;

export function startDevLoop(options: DevLoopOptions): DevLoop {
  const stopped = new AbortController();
  const check = options.check ?? (() => typeCheck(options.root, options.buildInfoFile, stopped.signal));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let failing = false;
  const pending = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  let queued = false;

  async function run(files: string[]): Promise<void> {
    let result: TypeCheck;
    try {
      result = await check();
    } catch (error) {
      if (!closed)
        options.print(`start: ${(error as Error).message}; the Worker keeps running the last version that passed`);
      return;
    }
    if (closed) return;
    if (!result.ok) {
      failing = true;
      const count = result.errors.length;
      const keeps =
        files.length === 0
          ? "the Worker runs it anyway (no earlier version passed)"
          : "the Worker keeps running the last version that passed";
      const summary = `${describe(files)} fails the type-check (${count} error${count === 1 ? "" : "s"}): ${keeps}`;
      const shown = result.errors.slice(0, SHOWN_ERRORS);
      options.print(`start: ${summary}`);
      for (const line of shown) options.print(`  ${line}`);
      if (count > shown.length) options.print(`  …and ${count - shown.length} more (npm run typecheck lists them all)`);
      options.status({ summary, errors: shown });
      return;
    }
    const copied = syncWorkerMirror(options.root, options.mirror);
    if (failing)
      options.print(
        `start: the type-check passes again; the Worker reloads${copied.length ? ` with ${copied.length === 1 ? `src/${copied[0]}` : `${copied.length} changed files`}` : ""}`,
      );
    failing = false;
    options.status(null);
    if (files.length > 0) options.commands?.reload(files.map((file) => `src/${file}`));
  }

  function schedule(): void {
    if (queued) return;
    queued = true;
    running = running.then(() => {
      queued = false;
      const files = [...pending].sort();
      pending.clear();
      return closed ? undefined : run(files);
    });
  }

  const watcher = watchTree(
    join(options.root, "src"),
    (path) => {
      // The sources the Worker bundles; editors' swap, backup and temporary files are not.
      if (!/^(worker|shared)\/.*\.(ts|json)$/.test(path)) return;
      pending.add(path);
      clearTimeout(timer);
      timer = setTimeout(schedule, options.debounceMs ?? DEBOUNCE_MS);
    },
    (error) =>
      options.print(`start: cannot watch part of src/ (${error.message}); restart npm start to pick up changes there`),
  );

  // Once at start: it fills the incremental cache, and says so if the code npm start found fails.
  pending.clear();
  schedule();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
      stopped.abort(new Error("dev loop closed"));
    },
  };
}
