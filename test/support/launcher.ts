// A launcher (`npm start`, `npm run backend:worker`, a script holding a test stack) run as a supervisor or a test
// harness runs it, and stopped as they stop it (issue 22): started with setsid, so it leads its own session and
// process group, with a marker in its environment that everything it starts inherits (wrangler and workerd too,
// even once they run in process groups of their own). Nothing it started may outlive it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import { portProblem } from "../../scripts/lib/processes.ts";
import { listenersOf, processes, type ProcessInfo } from "../../scripts/lib/listeners.ts";
import { descendantsOf } from "./listeners.ts";

const MARK = "LAUNCHER_UNDER_TEST";
/** How often the probes below look again. */
const POLL_MS = 25;

export interface Launch {
  child: ChildProcess;
  /** The launcher's output, stdout and stderr, line by line. */
  lines: string[];
  /** Resolves when the process setsid ran (npm, or the launcher itself) has exited and its output is read. */
  exited: Promise<void>;
  /** Every process the launcher started and everything those started, alive now; the launcher's own too. */
  processes(): ProcessInfo[];
  /** The output so far, to append to a failure. */
  describe(): string;
}

export function launch(argv: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Launch {
  const marker = `${MARK}=${randomUUID()}`;
  const [name, value] = marker.split("=") as [string, string];
  // setsid execs in place here (this process's child is not a group leader): the child's pid leads the new group.
  const child = spawn("setsid", argv, {
    cwd: options.cwd,
    env: { ...options.env, [name]: value },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
  }
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const marked = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker);
    } catch {
      return false; // Gone, or not this user's.
    }
  };
  return {
    child,
    lines,
    exited,
    processes() {
      const found = new Map<number, ProcessInfo>();
      for (const p of processes().filter((p) => marked(p.pid))) {
        found.set(p.pid, p);
        for (const d of descendantsOf(p.pid)) found.set(d.pid, d);
      }
      return [...found.values()];
    },
    describe: () => `launcher output:\n${lines.join("\n")}`,
  };
}

/** Polls until `probe` returns a value; fails (with the launcher's output) when the launcher ends first or the cap passes. */
async function until<T>(
  launched: Launch,
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  capMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + capMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    if (launched.child.exitCode !== null || launched.child.signalCode !== null)
      throw new Error(`the launcher ended before ${what}; ${launched.describe()}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${what} did not happen within ${capMs / 1000} s; ${launched.describe()}`);
}

/** Resolves at the first 200 from `url` (probed as often as the poll allows, so the launcher has seen none before). */
function healthAnswers(launched: Launch, url: string): Promise<true> {
  return until(launched, `${url} answering`, async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return response.ok ? true : undefined;
    } catch {
      return undefined;
    }
  });
}

/** The launcher's process: the one running `script` (npm and sh stand between setsid and it). */
export function launcherProcess(launched: Launch, script: string): ProcessInfo | undefined {
  return launched
    .processes()
    .find(
      (p) =>
        p.command.split(" ").some((arg) => arg.endsWith(script)) &&
        !p.command.startsWith("npm") &&
        !p.command.startsWith("sh "),
    );
}

/** The launcher's process group (setsid made it): a supervisor's stop signals the group. */
function signalGroup(launched: Launch, signal: NodeJS.Signals): void {
  process.kill(-launched.child.pid!, signal);
}

/**
 * Waits, from now, until no process of the launch remains and every port is free; fails naming what is left once
 * `withinMs` has passed. Whatever is left is killed afterwards (by pid), so a failure leaves nothing running.
 */
async function expectNothingLeft(launched: Launch, ports: readonly number[], withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  const left = async () => {
    const alive = launched.processes().map((p) => `pid ${p.pid}: ${p.command.slice(0, 160)}`);
    for (const port of ports) {
      if ((await portProblem("127.0.0.1", port)) !== null)
        alive.push(
          `port ${port} held by ${JSON.stringify(listenersOf(port).map((p) => `${p.pid} ${p.command.slice(0, 80)}`))}`,
        );
    }
    return alive;
  };
  let remaining = await left();
  while (remaining.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    remaining = await left();
  }
  if (remaining.length > 0) killAll(launched);
  if (remaining.length > 0)
    throw new Error(
      `${withinMs / 1000} s after the stop, still there:\n${remaining.join("\n")}\n${launched.describe()}`,
    );
}

/** SIGKILL to every process of the launch, by pid: the cleanup after a failure. */
function killAll(launched: Launch): void {
  for (const p of launched.processes()) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

export interface LauncherUnderTest {
  launched: Launch;
  /** Every port it was told to serve on. */
  ports: readonly number[];
  /** Its health: the first 200 from here is the moment a supervisor would take it as up. */
  healthUrl: string;
  /** The launcher's own process, found among the launch's (npm and sh stand before it). */
  launcher(): ProcessInfo | undefined;
  /** A process it starts (wrangler dev) that shows start-up under way: the moment for the mid-start stop. */
  startsWith(process: ProcessInfo): boolean;
  /** The line it prints once it is up. */
  ready: RegExp;
  /**
   * The line it prints when it has stopped what it started, on a signal (before or after it is up); none for a
   * launcher that leaves a signal's default action to end it and its watchdogs to stop the rest.
   */
  stopped?: RegExp;
  /** Removes what the test made for it (folders). */
  cleanup(): void;
}

/**
 * The three stops of issue 22 for one launcher, run concurrently (each on its own ports and folders): SIGTERM to
 * its process group at the moment its health first answers, SIGTERM to its group mid-start, and SIGKILL of the
 * launcher alone once it is up. After each, within 5 s, no process it started remains and its ports are free.
 */
export function describeLifetimes(name: string, start: () => Promise<LauncherUnderTest>): void {
  describe.concurrent(`${name}, however it is stopped, leaves nothing running`, () => {
    const scenario = (title: string, run: (launcher: LauncherUnderTest) => Promise<void>, stoppedItself = false) =>
      it(title, async () => {
        const launcher = await start();
        try {
          await run(launcher);
          await expectNothingLeft(launcher.launched, launcher.ports);
          // Stopped by its own hand, not by the watchdogs: the handlers were in place when the signal came.
          const { stopped } = launcher;
          if (stoppedItself && stopped) {
            await launcher.launched.exited;
            if (!launcher.launched.lines.some((line) => stopped.test(line)))
              throw new Error(`no line ${stopped} after the SIGTERM; ${launcher.launched.describe()}`);
          }
        } finally {
          killAll(launcher.launched);
          launcher.cleanup();
        }
      }, 180_000);

    scenario(
      "SIGTERM to its process group the moment its health first answers",
      async ({ launched, healthUrl }) => {
        await healthAnswers(launched, healthUrl);
        signalGroup(launched, "SIGTERM");
      },
      true,
    );

    scenario(
      "SIGTERM to its process group mid-start, once wrangler dev runs and before anything serves",
      async (launcher) => {
        const { launched, healthUrl } = launcher;
        const starting = await until(launched, "wrangler dev starting", () =>
          launched.processes().find((p) => launcher.startsWith(p)),
        );
        // Mid-start: wrangler runs, and nothing serves the health yet (workerd is seconds away on any machine).
        const workerd = listenersOf(Number(new URL(healthUrl).port));
        if (workerd.length > 0)
          throw new Error(
            `pid ${workerd[0]!.pid} already serves ${healthUrl} when ${starting.command.slice(0, 80)} was found: not mid-start`,
          );
        signalGroup(launched, "SIGTERM");
      },
      true,
    );

    scenario("SIGKILL of the launcher alone, once it is up", async (launcher) => {
      const { launched } = launcher;
      await until(launched, `the line ${launcher.ready}`, () =>
        launched.lines.some((line) => launcher.ready.test(line)) ? true : undefined,
      );
      const own = launcher.launcher();
      if (!own) throw new Error(`no launcher process among ${JSON.stringify(launched.processes())}`);
      process.kill(own.pid, "SIGKILL");
    });
  });
}
