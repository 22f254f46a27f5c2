// `npm start` picks up a new or changed command without a restart. The Worker reloads (dev-loop.ts); the emulator,
// like Discord, keeps the command list it was given. So after a change that passed the type-check, read the
// definitions again in a fresh Node process (see loadFreshDefinitions); when they differ from what is registered,
// register the new list with the emulator as `npm run register` would with Discord, and say in one line what
// changed. A file that does not load is reported and the registered list stays.

import { loadFreshDefinitions } from "./definitions.ts";
import { diffCommands, displayName, type CommandDefinition, type Io } from "./register-core.ts";

export interface CommandWatchOptions {
  root: string;
  /** What is registered now (what the stack registered at start). */
  registered: readonly CommandDefinition[];
  register(definitions: readonly CommandDefinition[], io: Io): Promise<number>;
  /** One line per reload that changed something, or failed. */
  print(line: string): void;
  /** Loads the current definitions (default: a fresh Node process); tests may replace it. */
  load?: () => Promise<CommandDefinition[]>;
}

/** "+ Wave at (user command), ~ /chart, - /old": what a new list adds, changes and drops. */
export function describeChange(next: readonly CommandDefinition[], previous: readonly CommandDefinition[]): string {
  const parts = diffCommands(next, previous as unknown as Record<string, unknown>[]).map(
    (d) => `${d.kind === "missing" ? "+" : d.kind === "extra" ? "-" : "~"} ${d.command}`,
  );
  if (parts.length > 0) return parts.join(", ");
  // A field the drift check leaves out changed (a localization, integration_types, nsfw…): name the command.
  const before = new Map(previous.map((d) => [`${d.type ?? 1}:${d.name}`, JSON.stringify(d)]));
  return (
    next
      .filter((d) => before.get(`${d.type ?? 1}:${d.name}`) !== JSON.stringify(d))
      .map((d) => `~ ${displayName(d)}`)
      .join(", ") || "the order of the commands"
  );
}

export interface CommandReloader {
  /** Reads the definitions again after a change to `files` (paths from the project root, for the messages). */
  reload(files: readonly string[]): void;
  close(): void;
}

/** Re-registers the commands when their definitions changed; one reload at a time, the changes meanwhile in one more. */
export function commandReloader(options: CommandWatchOptions): CommandReloader {
  const load = options.load ?? loadFreshDefinitions;
  let registered = options.registered;
  let running = false;
  let again = false;
  let closed = false;
  const changedFiles = new Set<string>();

  async function reload(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const files = [...changedFiles].sort();
    changedFiles.clear();
    const where = files.length === 1 ? files[0] : `${files.length} files`;
    try {
      const next = await load();
      if (closed || JSON.stringify(next) === JSON.stringify(registered)) return;
      const change = describeChange(next, registered);
      const errors: string[] = [];
      const code = await options.register(next, { out: () => {}, err: (line) => errors.push(line) });
      if (closed) return;
      if (code === 0) {
        registered = next;
        options.print(`start: commands changed (${change}); registered ${next.length} with the emulator`);
      } else {
        options.print(
          `start: commands changed (${change}) but the emulator refused them, so it keeps the previous list: ${errors.join(" ").replace(/\s+/g, " ")}`,
        );
      }
    } catch (error) {
      if (!closed)
        options.print(
          `start: after the change to ${where}, the commands do not load (${(error as Error).message}); the emulator keeps the previous list`,
        );
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        void reload();
      }
    }
  }

  return {
    reload(files) {
      for (const file of files) changedFiles.add(file);
      void reload();
    },
    close() {
      closed = true;
    },
  };
}
