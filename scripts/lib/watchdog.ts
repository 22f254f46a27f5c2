// Runs one command for a launcher and makes sure it cannot outlive it: `node watchdog.ts <command> [args…]`.
//
// startProcess (processes.ts) starts this process as the leader of a new process group, and holds its stdin, a pipe
// it never writes to, open; the command runs in the same group. However the launcher ends (a clean exit, a crash,
// SIGKILL, the OOM killer), the kernel closes its end of the pipe and stdin reads end-of-file here: then the whole
// group is stopped, SIGTERM first, SIGKILL after a grace period. The group matters because wrangler starts
// workerd, which outlives a wrangler killed alone. While the launcher lives, it stops the group itself (a group
// signal, which reaches this process too) and this process ends with the command's exit status.

import { spawn } from "node:child_process";
import { constants } from "node:os";

/** How long an orphaned command has to stop on SIGTERM before the group is killed: well inside the 5 s of issue 22. */
const ORPHAN_GRACE_MS = 2_000;

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  process.stderr.write("watchdog: usage: node watchdog.ts <command> [args…]\n");
  process.exit(2);
}

function signalGroup(signal: NodeJS.Signals): void {
  try {
    process.kill(-process.pid, signal);
  } catch {
    // The group is gone.
  }
}

// A stop signal to the group reaches the command too; this process waits for the command to end, then ends with it.
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(name, () => {});

const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });

let orphaned = false;
function launcherGone(): void {
  if (orphaned) return;
  orphaned = true;
  signalGroup("SIGTERM");
  // Ends this process too, with everything left in the group.
  setTimeout(() => signalGroup("SIGKILL"), ORPHAN_GRACE_MS);
}
process.stdin.on("end", launcherGone);
process.stdin.on("close", launcherGone);
process.stdin.on("error", launcherGone);
process.stdin.resume();

child.once("error", (error) => {
  process.stderr.write(`watchdog: cannot start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.once("exit", (code, signal) => {
  // What the command leaves behind (workerd after wrangler) goes with it: the launcher sweeps the group with
  // SIGKILL when this process has ended; an orphan does it now.
  signalGroup(orphaned ? "SIGKILL" : "SIGTERM");
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
