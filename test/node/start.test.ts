// `npm start` from a clean clone: the repository's files copied to a temporary folder (node_modules linked, no
// .dev.vars, no .emulator), started exactly as the script runs, on free ports. It must come up, write first-run
// configuration without overwriting what a developer set, serve the playground, pick up a command added while it
// runs, stop everything on Ctrl-C and leave no wrangler/workerd behind; a busy port must stop it with a message
// naming the port and the process holding it. (Stops by SIGTERM and SIGKILL: test/node/launchers/start.test.ts.)
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, portProblem } from "../../scripts/lib/processes.ts";
import { cloneCheckout } from "../support/clone.ts";
import { holdPort } from "../support/port-holder.ts";

let clone: string;

beforeAll(() => {
  clone = cloneCheckout("start-clone");
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

async function start(ports?: Partial<Started["ports"]>, args: readonly string[] = []): Promise<Started> {
  const all = {
    WORKER_PORT: String(await freePort()),
    BACKEND_PORT: String(await freePort()),
    EMULATOR_PORT: String(await freePort()),
    ...ports,
  };
  const child = spawn(join(clone, "node_modules", ".bin", "node"), ["scripts/start.ts", ...args], {
    cwd: clone,
    env: { ...process.env, ...all },
    stdio: ["ignore", "pipe", "pipe"],
  });
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

/** Polls until `probe` gives a value (the effect happened) or the time is up. */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  started: Started,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${what} did not happen within ${timeoutMs / 1000} s (${String(last ?? "")}); output:\n${started.lines.join("\n")}`,
  );
}

/** Adding a command while npm start runs, as a developer would: one file and one line in the index. */
function addWaveCommand(): void {
  writeFileSync(
    join(clone, "src", "worker", "app", "commands", "wave.ts"),
    [
      'import { EVERYWHERE, reply, userCommand, type CommandContext, type HandlerResult } from "../../kit/index.ts";',
      "",
      'export const definition = userCommand({ name: "Wave at", ...EVERYWHERE });',
      "",
      "export function command({ target }: CommandContext<typeof definition>): HandlerResult {",
      "  return reply(`👋 ${target.globalName ?? target.username}`);",
      "}",
      "",
    ].join("\n"),
  );
  const index = join(clone, "src", "worker", "app", "commands", "index.ts");
  const source = readFileSync(index, "utf8");
  const edited = source
    .replace(/^(import \* as ping from "\.\/ping\.ts";)$/m, '$1\nimport * as wave from "./wave.ts";')
    .replace(/listModules\(/, "listModules(wave, ");
  expect(edited).not.toBe(source);
  writeFileSync(index, edited);
}
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
      const ping = await fetch(`${url}__emulator/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: 2, data: { name: "ping" } }),
      });
      expect(await ping.json()).toMatchObject({ status: 200, body: { type: 4 } });

      // A command added while it runs: type-checked (npm start's first check of the whole clone may still be running,
      // which takes long on a busy machine), registered again with the emulator, announced in one line, and (once
      // wrangler dev has reloaded the Worker) answered.
      addWaveCommand();
      const registered = await eventually(
        async () => {
          const commands = (await (await fetch(`${url}__emulator/commands`)).json()) as Array<{
            name: string;
            type: number;
          }>;
          return commands.some((c) => c.name === "Wave at" && c.type === 2) ? commands : undefined;
        },
        "registering the new command",
        started,
        150_000,
      );
      expect(registered.map((c) => c.name)).toEqual(expect.arrayContaining(["ping", "Chart numbers", "Wave at"]));
      // The line is printed once the emulator has answered the PUT, so wait for it rather than read it at once.
      await waitForLine(started, /^start: commands changed/);
      expect(started.lines.filter((l) => l.startsWith("start: commands changed"))).toEqual([
        `start: commands changed (+ Wave at (user command)); registered ${registered.length} with the emulator`,
      ]);
      const wave = { type: 2, data: { name: "Wave at", type: 2, target_id: "1000000000000000003" } };
      await eventually(
        async () => {
          const r = await fetch(`${url}__emulator/send`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(wave),
          });
          const outcome = (await r.json()) as { body?: { data?: { content?: string } } };
          return outcome.body?.data?.content === "👋 Tester" ? outcome : undefined;
        },
        "the reloaded Worker answering the new command",
        started,
      );
      expect(started.lines.some((l) => l.includes("fails the type-check"))).toBe(false);
    } finally {
      if (started.child.exitCode === null) await stopWithCtrlC(started);
    }
  }, 300_000);

  it("keeps values a developer set in .dev.vars on the next start; --queue runs deferred jobs through the local queue", async () => {
    const key = readFileSync(join(clone, ".emulator", "dev-key.json"), "utf8");
    const preset = "# mine\nDISCORD_PUBLIC_KEY=" + "ab".repeat(32) + "\nRELAY_SECRET=my-own-relay-secret\n";
    writeFileSync(join(clone, ".dev.vars"), preset);
    const started = await start({}, ["--queue"]);
    try {
      const [, url] = await waitForLine(started, /Playground\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
      expect(started.lines.some((l) => /^\s+Relay mode\s+queue \(RELAY_MODE=queue/.test(l))).toBe(true);
      // /chart is enqueued by the Worker and finished by its queue consumer (the Worker's own log lines say so).
      const sent = await fetch(`${url}__emulator/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: 2,
          data: { name: "chart", options: [{ type: 3, name: "values", value: "2,7,1,8" }] },
        }),
      });
      const outcome = (await sent.json()) as { interaction: { id: string }; body: unknown };
      expect(outcome.body).toEqual({ type: 5 });
      const id = outcome.interaction.id;
      const deferred = (outcome: string) =>
        started.lines.some(
          (l) =>
            l.includes('"event":"deferred"') &&
            l.includes(`"interaction_id":"${id}"`) &&
            l.includes('"mode":"queue"') &&
            l.includes(`"outcome":"${outcome}"`),
        );
      await eventually(
        async () => (deferred("enqueued") && deferred("ok") ? true : undefined),
        "the queue consumer's final line",
        started,
      );
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

  it("runs /chart with --backend worker through the backend Worker, with no Node backend", async () => {
    const started = await start({}, ["--backend", "worker", "--verbose"]);
    try {
      const [, url] = await waitForLine(started, /Playground\s+(http:\/\/127\.0\.0\.1:\d+\/)/);
      const backendUrl = `http://127.0.0.1:${started.ports.BACKEND_PORT}`;
      expect(started.lines).toContain(`  Backend     ${backendUrl}   (backend Worker, wrangler dev)`);
      const sent = await fetch(`${url}__emulator/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: 2,
          data: { name: "chart", options: [{ type: 3, name: "values", value: "3,5,2,8,13" }] },
        }),
      });
      const outcome = (await sent.json()) as { interaction: { id: string }; body: unknown };
      expect(outcome.body).toEqual({ type: 5 });
      type Conversation = {
        interaction_id: string;
        messages: Array<{ loading: boolean; content: string; attachments: Array<{ filename: string }> }>;
      };
      const message = await eventually(
        async () => {
          const all = (await (await fetch(`${url}__emulator/messages`)).json()) as Conversation[];
          const original = all.find((c) => c.interaction_id === outcome.interaction.id)?.messages[0];
          return original && !original.loading ? original : undefined;
        },
        "the chart's final edit",
        started,
      );
      expect(message.attachments.map((a) => a.filename)).toEqual(["chart.png"]);
      // The job was served by workerd (wrangler dev's request log), and the start process runs no backend itself.
      expect(started.lines.some((l) => /^\[backend\] .*POST \/v1\/jobs\/chart 200/.test(l))).toBe(true);
      expect(await (await fetch(`${backendUrl}/health`)).json()).toEqual({ status: "ok", in_flight: 0 });
    } finally {
      if (started.child.exitCode === null) await stopWithCtrlC(started);
    }
  }, 120_000);

  it("refuses a port another process holds, naming that process, instead of passing its answers for the stack's", async () => {
    const holder = await holdPort();
    try {
      const started = await start({ WORKER_PORT: String(holder.port) });
      expect(await started.exited).toBe(1);
      const output = started.lines.join("\n");
      expect(output).toContain(
        `port ${holder.port} on 127.0.0.1 is in use, needed by the worker; it is held by pid ${holder.pid} (${holder.command.slice(0, 100)}`,
      );
      expect(output).not.toContain("Playground");
      expect(processesFromClone()).toEqual([]);
    } finally {
      await holder.stop();
    }
  }, 60_000);
});
