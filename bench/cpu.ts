/**
 * CPU accounting from /proc, for two things the req/s figure alone cannot tell on a shared 2-core machine:
 * - the server's CPU time per request (workerd's user + system time over the run ÷ requests), which other
 *   load on the machine hardly changes, so it pins down where a Worker spends more than the floor;
 * - "foreign" load: CPU used during a run by processes other than the benchmark and its servers. A run
 *   that shared the cores with, say, a test suite is repeated rather than reported.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time of a process (all its threads), in ms; NaN when unreadable (not Linux, exited). */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** Busy CPU time summed over all cores since boot, in ms (everything but idle and iowait). */
export function systemBusyMs(): number {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    const [, user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    void idle;
    void iowait;
    return ((user! + nice! + system! + irq! + softirq! + steal!) * 1000) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

export interface CpuSnapshot {
  readonly at: number;
  readonly busy: number;
  readonly self: number;
  readonly servers: readonly number[];
}

export function snapshot(serverPids: readonly number[]): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    busy: systemBusyMs(),
    self: (usage.user + usage.system) / 1000,
    servers: serverPids.map(processCpuMs),
  };
}

export interface CpuDelta {
  /** CPU ms each server used between the snapshots. */
  readonly servers: readonly number[];
  /** Cores' worth of CPU used by everything else on the machine (0 = quiet, 1 = one full core). */
  readonly foreignCores: number;
}

export function delta(before: CpuSnapshot, after: CpuSnapshot): CpuDelta {
  const servers = after.servers.map((ms, i) => ms - before.servers[i]!);
  const ours = servers.reduce((a, b) => a + b, 0) + (after.self - before.self);
  const wall = after.at - before.at;
  return { servers, foreignCores: Math.max(0, (after.busy - before.busy - ours) / wall) };
}
