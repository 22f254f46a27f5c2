// Rendering in the backend Worker (workerd, resvg's WebAssembly build) against the Node backend (resvg's native
// addon): the same inputs give PNGs of the same size whose pixels barely differ.
//
// And the backend Worker's CPU limit (wrangler.backend.toml [limits] cpu_ms) against the largest job: 10,000 points
// from a 1 MiB CSV. workerd does not enforce cpu_ms locally, and inside a Worker the clock does not advance during
// CPU work, so the job's CPU time is measured from outside: the user + system time Linux accounts to the workerd
// processes of the `wrangler dev` group (/proc/<pid>/stat), across one request. That is an upper bound of what the
// invocation bills (it includes HTTP handling, the Durable Object call and workerd's own threads). The first
// request of a fresh isolate is measured too: it instantiates the WebAssembly module. The limit must leave 2×
// headroom over the worst measurement, for slower production CPUs and inputs that draw more. (This describe runs
// first in the file, so its first request meets a fresh isolate.)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeBackend } from "../../../src/backend/index.ts";
import { startBackendWorker, type BackendWorker } from "../../../scripts/lib/backend-worker.ts";
import { freePort } from "../../../scripts/lib/processes.ts";
import { signed, startAttachmentServer } from "../../support/backend-contract.ts";
import { ROOT } from "../../support/test-stack.ts";
import { decodePng, differingPixels } from "../../support/png.ts";
import { SECRET, logCollector } from "./support.ts";

const TICKS_PER_SECOND = 100; // USER_HZ, the unit of /proc/<pid>/stat's utime and stime on Linux
const cpuLimitMs = Number(
  /^\s*cpu_ms\s*=\s*(\d+)/m.exec(readFileSync(join(ROOT, "wrangler.backend.toml"), "utf8"))?.[1],
);

/** CPU milliseconds used so far by every workerd process in the process group `group`. */
function workerdCpuMs(group: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
      if (command === "workerd" && Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while we looked.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

let files: Awaited<ReturnType<typeof startAttachmentServer>>;
let worker: BackendWorker;
let state: string;

beforeAll(async () => {
  files = await startAttachmentServer();
  state = mkdtempSync(join(tmpdir(), "backend-worker-cpu-"));
  worker = await startBackendWorker({
    root: ROOT,
    host: "127.0.0.1",
    port: await freePort(),
    vars: { RELAY_SECRET: SECRET, ATTACHMENT_HOSTS: files.host },
    persistTo: state,
  });
}, 90_000);

afterAll(async () => {
  await worker?.stop();
  await files?.close();
  if (state) rmSync(state, { recursive: true, force: true });
});

describe("backend Worker CPU limit", () => {
  it("is configured, within what the Workers Paid plan allows", () => {
    expect(Number.isInteger(cpuLimitMs)).toBe(true);
    expect(cpuLimitMs).toBeGreaterThan(10);
    expect(cpuLimitMs).toBeLessThanOrEqual(300_000);
  });

  it("leaves 2× headroom over the largest job's CPU time, cold and warm", async () => {
    const group = worker.process.child.pid!;
    expect(workerdCpuMs(group)).toBeGreaterThan(0); // the group's workerd processes are found
    const used: number[] = [];
    for (let run = 0; run < 3; run++) {
      const before = workerdCpuMs(group);
      const response = await fetch(
        await signed(worker.url, "chart", {
          id: `cpu-${run}`,
          input: { kind: run === 1 ? "bar" : "line", file: { url: `${files.origin}/largest.csv` } },
        }),
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as { result: { stats: { count: number } } }).result.stats.count).toBe(10_000);
      used.push(workerdCpuMs(group) - before);
    }
    console.log(
      `backend Worker, largest job: ${used.map((ms) => `${ms} ms`).join(", ")} of workerd CPU (limit ${cpuLimitMs} ms)`,
    );
    expect(Math.max(...used) * 2).toBeLessThanOrEqual(cpuLimitMs);
  }, 60_000);
});

describe("render parity: backend Worker and Node", () => {
  const node = () => createNodeBackend({ relaySecret: SECRET, attachmentHosts: [files.host], log: logCollector().log });
  const png = async (fetcher: (request: Request) => Promise<Response>, base: string, input: object) => {
    const response = await fetcher(
      await signed(base, "chart", { id: `parity-${Math.random().toString(36).slice(2)}`, input }),
    );
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { png: string } };
    return decodePng(new Uint8Array(Buffer.from(result.png, "base64")));
  };

  it.each([
    [
      "a titled line chart with labels",
      { kind: "line", title: "Weekly sales ☃ (€)", values: "mon=3, tue=5, wed=2.5, thu=8, fri=-1" },
    ],
    ["a bar chart", { kind: "bar", values: "12, 7, 3, 9, 14, 2" }],
    ["the largest CSV as a line", { kind: "line", file: { url: "" } }],
    [
      "a chart titled in Cyrillic (outside the font subsets)",
      { kind: "bar", title: "Продажи за неделю", values: "4, 8, 15, 16, 23, 42" },
    ],
  ])(
    "%s looks the same in both",
    async (_name, input) => {
      const resolved = "file" in input ? { ...input, file: { url: `${files.origin}/largest.csv` } } : input;
      const fromNode = await png((request) => node().fetch(request), "http://node.test", resolved);
      const fromWorker = await png((request) => fetch(request), worker.url, resolved);
      expect({ width: fromWorker.width, height: fromWorker.height }).toEqual({
        width: fromNode.width,
        height: fromNode.height,
      });
      // Same resvg version and fonts: at most 0.5% of pixels may differ by more than 8/255 in any channel
      // (anti-aliasing of the native and WebAssembly builds can round differently).
      const share = differingPixels(fromNode, fromWorker, 8);
      console.log(`render parity, ${_name}: ${(share * 100).toFixed(3)}% of pixels differ by more than 8/255`);
      expect(share).toBeLessThanOrEqual(0.005);
    },
    30_000,
  );

  it("draws characters outside the font subsets with the full fonts", async () => {
    // With only the subsets, every Cyrillic letter would be the same missing-glyph box, and these titles alike.
    const a = await png((request) => fetch(request), worker.url, { kind: "bar", title: "ЖЖЖЖЖЖ", values: "1, 2, 3" });
    const b = await png((request) => fetch(request), worker.url, { kind: "bar", title: "ДДДДДД", values: "1, 2, 3" });
    expect(differingPixels(a, b, 8)).toBeGreaterThan(0.0003);
  }, 30_000);

  it("would notice a different chart", async () => {
    const a = await png((request) => fetch(request), worker.url, { values: "1, 2, 3" });
    const b = await png((request) => fetch(request), worker.url, { values: "3, 2, 1" });
    expect(differingPixels(a, b, 8)).toBeGreaterThan(0.005);
  }, 30_000);
});
