// Watches a folder tree for changed files, and keeps watching through atomic saves. Editors save by replacing the
// file: sed -i and vim write a new file and rename it over the old one, JetBrains' "safe write" renames the old one
// away first. Node's recursive fs.watch follows the file it started with, so after the first such save it hears
// nothing more about that path. Here each folder has its own, non-recursive watcher: a folder's watch sees entries
// created, renamed and deleted in it, whatever happens to the files' inodes. New sub-folders are watched as they
// appear; a folder that goes away takes its watcher with it.

import { readdirSync, statSync, watch, type Dirent, type FSWatcher } from "node:fs";
import { join, relative, sep } from "node:path";

export interface TreeWatcher {
  close(): void;
}

/**
 * Calls `onChange` with the path (relative to `root`, "/"-separated) of each file created, changed, replaced or
 * removed under `root`; `onError` when a folder cannot be watched (the rest keep watching).
 */
export function watchTree(
  root: string,
  onChange: (path: string) => void,
  onError: (error: Error) => void = () => {},
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;

  const isFolder = (path: string) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  };

  function add(dir: string): void {
    if (closed || watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (name === null) return;
        const path = join(dir, String(name));
        if (isFolder(path)) {
          // A new folder (or one renamed into place): watch it, and report what it already holds.
          if (!watchers.has(path)) {
            add(path);
            for (const file of filesIn(path)) onChange(toRelative(file));
          }
          return;
        }
        if (watchers.has(path)) drop(path);
        onChange(toRelative(path));
      });
    } catch (error) {
      onError(error as Error);
      return;
    }
    watcher.on("error", (error) => {
      // The folder itself went away (ENOENT, EPERM on some systems): forget it; its parent reports the removal.
      drop(dir);
      if (isFolder(dir)) onError(error);
    });
    watchers.set(dir, watcher);
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      // Gone again already: its watcher reports the error, its parent the removal.
    }
    for (const entry of entries) if (entry.isDirectory()) add(join(dir, entry.name));
  }

  function drop(dir: string): void {
    for (const [path, watcher] of watchers) {
      if (path === dir || path.startsWith(dir + sep)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  }

  const toRelative = (path: string) => relative(root, path).split(sep).join("/");

  add(root);
  return {
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}
