// Which process listens on a TCP port, from /proc (Linux): the end-to-end tests use it to prove which runtime
// serves a part of the stack (the backend Worker's workerd, not a Node server in the test process).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** Socket inodes of listening TCP sockets (IPv4 and IPv6), by local port. */
function listeningInodes(): Map<string, number> {
  const byInode = new Map<string, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const row of text.trim().split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      const [, local, , state] = fields;
      const inode = fields[9];
      if (state !== "0A" || !local || !inode) continue; // 0A: LISTEN
      byInode.set(inode, parseInt(local.split(":").at(-1)!, 16));
    }
  }
  return byInode;
}

function socketInodes(pid: number | string): string[] {
  const inodes: string[] = [];
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match) inodes.push(match[1]!);
      } catch {
        // Closed while we looked.
      }
    }
  } catch {
    // Not ours to inspect, or gone.
  }
  return inodes;
}

/** The TCP ports a process listens on, sorted. */
export function listeningPorts(pid: number): number[] {
  const listening = listeningInodes();
  return [...new Set(socketInodes(pid).flatMap((inode) => (listening.has(inode) ? [listening.get(inode)!] : [])))].sort((a, b) => a - b);
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

/** Every process this user can see. */
function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name in parentheses may hold spaces: the fields after its closing parenthesis are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      found.push({ pid: Number(name), ppid, command: readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ").trim() });
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

/** The processes listening on `port` (a server and the workers it forked share the socket). */
export function listenersOf(port: number): ProcessInfo[] {
  const listening = listeningInodes();
  return processes().filter((p) => socketInodes(p.pid).some((inode) => listening.get(inode) === port));
}

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
