// Process trees for the tests, from /proc (Linux): what a process started, and what those started. Who listens on
// a port is scripts/lib/listeners.ts, which `npm start` uses to name the holder of a port it needs.
import { processes, type ProcessInfo } from "../../scripts/lib/listeners.ts";

/** `pid`'s children, their children, and so on. */
export function descendantsOf(pid: number): ProcessInfo[] {
  const all = processes();
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}
