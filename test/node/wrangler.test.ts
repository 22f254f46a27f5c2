// `wrangler dev` as the stack starts it (scripts/lib/wrangler.ts): up means serving, itself. A port taken after the
// launcher checked it (another process's server, a workerd that drew it at random) must not pass for wrangler
// because /health answers there.
import { describe, expect, it } from "vitest";
import { listenersOf } from "../../scripts/lib/listeners.ts";
import { portProblem } from "../../scripts/lib/processes.ts";
import { startWranglerDev } from "../../scripts/lib/wrangler.ts";
import { holdPort } from "../support/port-holder.ts";
import { ROOT } from "../support/test-stack.ts";

describe("wrangler dev, started by the stack", () => {
  it("on port 0, serves on the port it names, and stops with its group", async () => {
    const { url, process: managed } = await startWranglerDev({
      root: ROOT,
      name: "backend Worker (wrangler dev)",
      host: "127.0.0.1",
      port: 0,
      args: ["-c", "wrangler.backend.toml", "--var", "RELAY_SECRET:s"],
    });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: "ok", in_flight: 0 });
      expect(listenersOf(Number(new URL(url).port)).map((p) => p.pgid)).toEqual([managed.child.pid]);
    } finally {
      await managed.stop();
    }
    expect(await portProblem("127.0.0.1", Number(new URL(url).port))).toBeNull();
  }, 60_000);

  it("is not taken as up when another process answers /health on its port: it fails, naming why", async () => {
    const holder = await holdPort();
    const output: string[] = [];
    try {
      const started = startWranglerDev({
        root: ROOT,
        name: "backend Worker (wrangler dev)",
        host: "127.0.0.1",
        port: holder.port,
        args: ["-c", "wrangler.backend.toml", "--var", "RELAY_SECRET:s"],
        log: (line) => output.push(line),
      });
      await expect(started).rejects.toThrow(
        /^backend Worker \(wrangler dev\) did not come up: it exited \(1\) before serving/,
      );
      expect(output.join("\n")).toContain(`Address already in use (127.0.0.1:${holder.port})`);
    } finally {
      await holder.stop();
    }
  }, 60_000);
});
