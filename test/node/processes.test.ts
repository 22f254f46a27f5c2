// The processes the launchers start (scripts/lib/processes.ts): each in a process group led by its watchdog, and
// nothing of the group outlives the launcher, whether it stops them or dies without a word. The launchers
// themselves, with wrangler and workerd: test/node/launchers/.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { processes } from "../../scripts/lib/listeners.ts";
import { readFileSync } from "node:fs";
import { freePort, portProblem, startProcess } from "../../scripts/lib/processes.ts";

const ROOT = join(import.meta.dirname, "..", "..");
/** A command that leaves a process behind in its group, as wrangler leaves workerd. */
const WITH_LEFTOVER = ["-c", "sleep 300 & echo started; wait"];

const group = (pgid: number) => processes().filter((p) => p.pgid === pgid);

async function emptied(pgid: number, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (group(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  expect(group(pgid).map((p) => p.command)).toEqual([]);
}

describe("a process the launchers start", () => {
  it("ends with its exit code, and what it left in its group goes with it", async () => {
    const lines: string[] = [];
    const managed = startProcess("leaves sleep behind", "sh", ["-c", "sleep 300 & echo started; exit 3"], {
      cwd: ROOT,
      env: process.env,
      onOutput: (line) => lines.push(line),
    });
    expect(await managed.exited).toBe(3);
    expect(lines).toEqual(["started"]);
    await emptied(managed.child.pid!);
  });

  it("is stopped with its whole group by stop()", async () => {
    const managed = startProcess("sh", "sh", WITH_LEFTOVER, { cwd: ROOT, env: process.env });
    const pgid = managed.child.pid!;
    await expect.poll(() => group(pgid).filter((p) => p.command === "sleep 300").length, { timeout: 10_000 }).toBe(1);
    await managed.stop();
    await emptied(pgid);
  });

  it("is stopped with its whole group when its launcher is SIGKILLed", async () => {
    // A launcher in its own Node process, killed without a chance to stop anything.
    const launcher = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `
      import { startProcess } from ${JSON.stringify(join(ROOT, "scripts", "lib", "processes.ts"))};
      const managed = startProcess("sh", "sh", ${JSON.stringify(WITH_LEFTOVER)}, { cwd: process.cwd(), env: process.env, onOutput: (line) => console.log(line) });
      console.log("group " + managed.child.pid);
    `,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    launcher.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(/^started$/m);
    const pgid = Number(/^group (\d+)$/m.exec(output)![1]);
    expect(group(pgid).map((p) => p.command)).toContain("sleep 300");
    launcher.kill("SIGKILL");
    await emptied(pgid);
  });
});

describe("freePort", () => {
  it("picks free ports below the ephemeral range, where no socket opened on port 0 can take them meanwhile", async () => {
    const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(low!);
      expect(await portProblem("127.0.0.1", port)).toBeNull();
    }
  });
});
