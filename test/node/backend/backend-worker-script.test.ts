// `npm run backend:worker` (scripts/backend-worker.ts): the backend Worker under wrangler dev, configured by the
// same environment as `npm run backend` and refusing the same mistakes with the same messages.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { freePort, portProblem } from "../../../scripts/lib/processes.ts";
import { signed } from "../../support/backend-contract.ts";
import { holdPort } from "../../support/port-holder.ts";
import { ROOT } from "../../support/test-stack.ts";
import { SECRET } from "./support.ts";

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "backend-worker.ts")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TMPDIR: process.env.TMPDIR ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("npm run backend:worker", () => {
  it.each([
    [{}, /^backend\(config\): RELAY_SECRET is not set — /m],
    [{ RELAY_SECRET: "s", PORT: "http" }, /PORT must be an integer from 0 to 65535, got "http"/],
    [
      { RELAY_SECRET: "s", ATTACHMENT_HOSTS: "https://cdn.discordapp.com" },
      /is not host\[:port\].*\(in ATTACHMENT_HOSTS\)/,
    ],
  ])("exits 1 with the Node backend's message for %j", async (env, message) => {
    const proc = run(env);
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(message);
  });

  it("refuses a PORT another process holds, naming that process, instead of serving as if its answers were ours", async () => {
    const holder = await holdPort();
    try {
      const proc = run({ RELAY_SECRET: SECRET, PORT: String(holder.port), HOST: "127.0.0.1" });
      expect(await proc.exited).toBe(1);
      expect(proc.output()).toContain(
        `backend-worker: port ${holder.port} on 127.0.0.1 is in use; it is held by pid ${holder.pid} (${holder.command.slice(0, 100)}`,
      );
      expect(proc.output()).not.toContain("backend:worker: serving");
    } finally {
      await holder.stop();
    }
  });

  it("serves the contract on PORT and HOST with RELAY_SECRET, and Ctrl-C stops wrangler and workerd", async () => {
    const port = await freePort();
    // Node-only variables are named as ignored rather than silently dropped.
    const proc = run({ RELAY_SECRET: SECRET, PORT: String(port), HOST: "127.0.0.1", BACKEND_MAX_CONNECTIONS: "100" });
    try {
      await vi.waitFor(() => expect(proc.output()).toContain(`backend:worker: serving http://127.0.0.1:${port}`), {
        timeout: 60_000,
        interval: 200,
      });
      expect(proc.output()).toContain("BACKEND_MAX_CONNECTIONS apply to the Node server only");
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).json()).toEqual({ status: "ok", in_flight: 0 });
      const chart = await fetch(
        await signed(`http://127.0.0.1:${port}`, "chart", { id: "script-1", input: { values: "1, 2, 3" } }),
      );
      expect(chart.status).toBe(200);
      const unsigned = await fetch(
        await signed(
          `http://127.0.0.1:${port}`,
          "chart",
          { id: "script-2", input: { values: "1" } },
          { secret: "wrong" },
        ),
      );
      expect(unsigned.status).toBe(401);
    } finally {
      proc.child.kill("SIGINT");
      expect(await proc.exited).toBe(0);
    }
    expect(await portProblem("127.0.0.1", port)).toBeNull();
  }, 90_000);
});
