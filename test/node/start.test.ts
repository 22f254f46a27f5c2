// `npm start` from a clean clone: the tracked files copied to a temporary folder (node_modules linked, no
// .dev.vars, no .emulator), started exactly as the script runs, on free ports. It must come up, write first-run
// configuration without overwriting what a developer set, serve the playground, stop everything on Ctrl-C and
// leave no wrangler/workerd behind; a busy port must stop it with a message naming the port.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, portProblem } from "../../scripts/lib/processes.ts";

const root = join(import.meta.dirname, "..", "..");
let clone: string;

beforeAll(() => {
  clone = mkdtempSync(join(tmpdir(), "start-clone-"));
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(join(root, file))) continue; // Deleted in the working tree, not yet committed.
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(root, file), join(clone, file));
  }
  symlinkSync(join(root, "node_modules"), join(clone, "node_modules"), "dir");
  expect(existsSync(join(clone, ".dev.vars"))).toBe(false);
  expect(existsSync(join(clone, ".emulator"))).toBe(false);
});

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  ports: { WORKER_PORT: string; BACKEND_PORT: string; EMULATOR_PORT: string };
}

async function start(ports?: Partial<Started["ports"]>): Promise<Started> {
  const all = { WORKER_PORT: String(await freePort()), BACKEND_PORT: String(await freePort()), EMULATOR_PORT: String(await freePort()), ...ports };
  const child = spawn(join(clone, "node_modules", ".bin", "node"), ["scripts/start.ts"], { cwd: clone, env: { ...process.env, ...all }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => lines.push(...chunk.split("\n")));
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, lines, exited, ports: all };
}

async function waitForLine(started: Started, pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of started.lines) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (started.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no line matching ${pattern}; output:\n${started.lines.join("\n")}`);
}

/** Processes whose working directory or command line is inside the clone. */
function processesFromClone(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cwd.startsWith(clone) || cmdline.includes(clone)) found.push(`${pid}: ${cmdline.slice(0, 120)}`);
    } catch {
      // The process ended while we looked, or is not ours to inspect.
    }
  }
  return found;
}

async function stopWithCtrlC(started: Started): Promise<void> {
  started.child.kill("SIGINT");
  const code = await started.exited;
  expect(code, started.lines.join("\n")).toBe(0);
  expect(started.lines).toContain("start: stopped");
  for (const port of Object.values(started.ports)) expect(await portProblem("127.0.0.1", Number(port))).toBeNull();
  const deadline = Date.now() + 5_000;
  while (processesFromClone().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(processesFromClone()).toEqual([]);
}

const devVars = () => readFileSync(join(clone, ".dev.vars"), "utf8");
const valueOf = (text: string, name: string) => new RegExp(`^${name}=(.*)$`, "m").exec(text)?.[1];

describe("npm start from a clean clone", () => {
  it("comes up, writes first-run config, serves the playground and stops cleanly on Ctrl-C", async () => {
    const started = await start();
    try {
      const [, url] = await waitForLine(started, /Playground\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
      expect(url).toBe(`http://127.0.0.1:${started.ports.EMULATOR_PORT}/`);
      const vars = devVars();
      const key = JSON.parse(readFileSync(join(clone, ".emulator", "dev-key.json"), "utf8"));
      expect(valueOf(vars, "DISCORD_PUBLIC_KEY")).toBe(key.publicKeyHex);
      expect(valueOf(vars, "RELAY_SECRET")).toMatch(/^[0-9a-f]{64}$/);
      const page = await fetch(url!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<title>Playground");
      // The playground reaches the Worker: a signed /ping through the emulator.
      const ping = await fetch(`${url}__emulator/send`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: 2, data: { name: "ping" } }) });
      expect(await ping.json()).toMatchObject({ status: 200, body: { type: 4 } });
    } finally {
      if (started.child.exitCode === null) await stopWithCtrlC(started);
    }
  }, 120_000);

  it("keeps values a developer set in .dev.vars on the next start", async () => {
    const key = readFileSync(join(clone, ".emulator", "dev-key.json"), "utf8");
    const preset = "# mine\nDISCORD_PUBLIC_KEY=" + "ab".repeat(32) + "\nRELAY_SECRET=my-own-relay-secret\n";
    writeFileSync(join(clone, ".dev.vars"), preset);
    const started = await start();
    try {
      await waitForLine(started, /Playground\s+http/);
      const vars = devVars();
      expect(vars.startsWith(preset)).toBe(true);
      expect(valueOf(vars, "RELAY_SECRET")).toBe("my-own-relay-secret");
      expect(valueOf(vars, "DISCORD_PUBLIC_KEY")).toBe("ab".repeat(32));
      expect(valueOf(vars, "DISCORD_APPLICATION_ID")).toMatch(/^\d+$/);
      expect(readFileSync(join(clone, ".emulator", "dev-key.json"), "utf8")).toBe(key);
      expect(started.lines.some((l) => l.includes("your DISCORD_PUBLIC_KEY in .dev.vars is kept"))).toBe(true);
    } finally {
      if (started.child.exitCode === null) await stopWithCtrlC(started);
    }
  }, 120_000);

  it("exits 1 naming the port when one is in use", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve((blocker.address() as { port: number }).port)));
    try {
      const started = await start({ WORKER_PORT: String(port) });
      expect(await started.exited).toBe(1);
      expect(started.lines.join("\n")).toContain(`port ${port} on 127.0.0.1 is in use, needed by the worker`);
      expect(processesFromClone()).toEqual([]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 60_000);
});
