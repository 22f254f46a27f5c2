// Who holds a port (scripts/lib/listeners.ts): what `npm start` and `npm run backend:worker` say when a port they
// need is taken. /proc on Linux, lsof and ps elsewhere; a command line is shown without the values of wrangler's
// --var (a secret can be one) and cut short.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { describeProcess, listenersFromLsof, listenersOf } from "../../scripts/lib/listeners.ts";
import { holdPort } from "../support/port-holder.ts";

function lsofInstalled(): boolean {
  try {
    execFileSync("lsof", ["-v"], { stdio: "ignore" });
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

describe("the holder of a port", () => {
  it("is found by pid, group and command line, from /proc and from lsof alike", async () => {
    const holder = await holdPort();
    try {
      const found = listenersOf(holder.port);
      expect(found).toEqual([
        { pid: holder.pid, ppid: process.pid, pgid: expect.any(Number), command: holder.command },
      ]);
      // lsof and ps (the macOS way) name the same process; without lsof the holder goes unnamed, never wrong.
      expect(listenersFromLsof(holder.port)).toEqual(
        lsofInstalled() ? [{ pid: holder.pid, ppid: process.pid, pgid: found[0]!.pgid, command: holder.command }] : [],
      );
    } finally {
      await holder.stop();
    }
    expect(listenersOf(holder.port)).toEqual([]);
  });

  it("is described without the values of wrangler's --var, and cut short", () => {
    const wrangler = {
      pid: 4242,
      ppid: 1,
      pgid: 4240,
      command: "node wrangler.js dev --port 8787 --var RELAY_SECRET:s3cr3t --var DISCORD_TOKEN:abc.def",
    };
    expect(describeProcess(wrangler)).toBe(
      "pid 4242 (node wrangler.js dev --port 8787 --var RELAY_SECRET:… --var DISCORD_TOKEN:…) in process group 4240",
    );
    const long = describeProcess({ pid: 1, ppid: 0, pgid: 1, command: `workerd serve ${"x".repeat(400)}` });
    expect(long).toMatch(/^pid 1 \(workerd serve x+…\) in process group 1$/);
    expect(long.length).toBeLessThan(220);
  });
});
