// Which process listens on a TCP port. `npm start` and `npm run backend:worker` name the process holding a port
// they need, and the tests prove which runtime serves a part of the stack. Linux answers from /proc; elsewhere
// (macOS) lsof and ps answer when installed. What cannot be read (another user's process) is left out.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Its process group: `kill -- -<pgid>` stops the group (wrangler with its workerd). */
  pgid: number;
  /** The command line, arguments joined by spaces. */
  command: string;
}

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

/** The TCP ports a process listens on, sorted (Linux). */
export function listeningPorts(pid: number): number[] {
  const listening = listeningInodes();
  return [...new Set(socketInodes(pid).flatMap((inode) => (listening.has(inode) ? [listening.get(inode)!] : [])))].sort(
    (a, b) => a - b,
  );
}

/** Every process this user can see (Linux; none elsewhere). */
export function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  let names: string[];
  try {
    names = readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const name of names) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name in parentheses may hold spaces: the fields after its closing parenthesis are fixed.
      const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      found.push({
        pid: Number(name),
        ppid: Number(ppid),
        pgid: Number(pgid),
        command: readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ").trim(),
      });
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

/** The processes listening on `port` (a server and the workers it forked share the socket). */
export function listenersOf(port: number): ProcessInfo[] {
  if (!existsSync("/proc/net/tcp")) return listenersFromLsof(port);
  const listening = listeningInodes();
  return processes().filter((p) => socketInodes(p.pid).some((inode) => listening.get(inode) === port));
}

/** Without /proc (macOS): lsof names the listeners, ps their group and command line. */
export function listenersFromLsof(port: number): ProcessInfo[] {
  const run = (command: string, args: string[]) => {
    try {
      return execFileSync(command, args, { encoding: "utf8", timeout: 5_000, stdio: ["ignore", "pipe", "ignore"] });
    } catch (error) {
      // lsof exits 1 when nothing matches; a missing tool or a timeout leaves the holder unnamed.
      return (error as { stdout?: string }).stdout ?? "";
    }
  };
  const pids = [
    ...new Set(
      run("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fp"])
        .split("\n")
        .flatMap((line) => (/^p\d+$/.test(line) ? [Number(line.slice(1))] : [])),
    ),
  ];
  return pids.flatMap((pid) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(run("ps", ["-o", "ppid=,pgid=,command=", "-p", String(pid)]).trim());
    return [{ pid, ppid: match ? Number(match[1]) : 0, pgid: match ? Number(match[2]) : 0, command: match?.[3] ?? "" }];
  });
}

/** At most this much of a command line is shown. */
const SHOWN_COMMAND_CHARS = 160;

/**
 * A holder in a sentence: `pid 4242 (workerd serve …) in process group 4240`. A command line can carry secrets
 * (wrangler's `--var NAME:value`): values of --var are hidden, and the rest is cut short.
 */
export function describeProcess(p: ProcessInfo): string {
  const command = p.command.replace(/(--var[ =][^:\s]+:)\S+/g, "$1…").replace(/\s+/g, " ");
  const shown = command.length > SHOWN_COMMAND_CHARS ? `${command.slice(0, SHOWN_COMMAND_CHARS)}…` : command;
  return `pid ${p.pid}${shown ? ` (${shown})` : ""}${p.pgid ? ` in process group ${p.pgid}` : ""}`;
}
