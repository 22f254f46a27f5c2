// workerd's side of bench/render.ts: builds bench/render-worker.ts the way `npm run deploy:backend` builds the
// backend Worker (wrangler, the compatibility date and .ttf rule of wrangler.backend.toml, minified), serves it on
// bare workerd (the production runtime, without wrangler dev's proxy) on loopback, and times one chart at a time.
//
// A Worker's clock stands still while it computes, so the time is measured from outside: the wall time of a
// render request minus that of an empty request to the same Worker over the same keep-alive connection
// (interleaved, medians), and the CPU time workerd's threads were given (/proc/<pid>/task/*/schedstat, in ns)
// across the renders, less an empty request's.

import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT, buildWithWrangler, findWorkerd } from "./workerd.ts";
import type { ChartKind, ChartSpec } from "../src/backend/jobs/chart/render.ts";

const OUT = join(ROOT, "bench/out/render-workerd");

export interface WorkerdRender {
  /** Median wall ms of a render request less the median of an empty one. */
  wall: number;
  /** The fastest render request less the fastest empty one. */
  best: number;
  /** workerd's CPU ms per render request, less an empty request's. */
  cpu: number;
  pngKiB: number;
  width: number;
  height: number;
}

/** One render request and one empty request, back to back. */
export interface WorkerdSample {
  renderMs: number;
  emptyMs: number;
  /** CPU nanoseconds workerd's threads used during each. */
  renderCpuNs: number;
  emptyCpuNs: number;
  png: Uint8Array;
}

export interface RenderWorker {
  sample(kind: ChartKind, count: number): Promise<WorkerdSample>;
  /** Stores a spec under `key` (render-worker.ts' PUT /spec), for sampleSpec. */
  putSpec(key: string, spec: ChartSpec): Promise<void>;
  /** Like sample, for a spec stored with putSpec. */
  sampleSpec(key: string): Promise<WorkerdSample>;
  /** The Worker's base URL and workerd's CPU time so far (all threads, ms), for experiments beyond one render. */
  base: string;
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Medians (and the fastest) of render less empty requests; the chart's PNG dimensions from its IHDR chunk. */
export function summarize(samples: readonly WorkerdSample[]): WorkerdRender {
  const png = samples.at(-1)!.png;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const total = (pick: (sample: WorkerdSample) => number) => samples.reduce((sum, sample) => sum + pick(sample), 0);
  return {
    wall: median(samples.map((x) => x.renderMs)) - median(samples.map((x) => x.emptyMs)),
    best: Math.min(...samples.map((x) => x.renderMs)) - Math.min(...samples.map((x) => x.emptyMs)),
    cpu: (total((x) => x.renderCpuNs) - total((x) => x.emptyCpuNs)) / samples.length / 1e6,
    pngKiB: png.byteLength / 1024,
    width: view.getUint32(16),
    height: view.getUint32(20),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The compatibility date and flags the backend Worker deploys with. */
function backendCompatibility(): { date: string; flags: string[] } {
  const toml = readFileSync(join(ROOT, "wrangler.backend.toml"), "utf8");
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error("bench(render-workerd): wrangler.backend.toml has no compatibility_date");
  const flags = [...(/^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  return { date, flags };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** CPU nanoseconds used so far by all threads of a process. */
function cpuNs(pid: number): number {
  let total = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The thread ended while we looked.
    }
  }
  return total;
}

async function build({
  date: compatibilityDate,
  flags,
}: {
  date: string;
  flags: string[];
}): Promise<{ dir: string; main: string; modules: string[] }> {
  const dir = join(OUT, "build");
  mkdirSync(OUT, { recursive: true });
  // The backend's own config names Durable Objects this entry does not export; this one keeps what shapes the bundle.
  const config = join(OUT, "wrangler.toml");
  writeFileSync(
    config,
    `# Generated by bench/render-workerd.ts from wrangler.backend.toml.
name = "render-bench"
main = "../../render-worker.ts"
compatibility_date = "${compatibilityDate}"
compatibility_flags = ${JSON.stringify(flags)}
minify = true
[[rules]]
type = "Data"
globs = ["**/*.ttf"]
fallthrough = true
`,
  );
  const bundle = await buildWithWrangler(dir, ["--config", relative(ROOT, config)]);
  const main = bundle.file.slice(dir.length + 1);
  return { dir, main, modules: readdirSync(dir).filter((name) => /\.(wasm|ttf)$/.test(name)) };
}

function capnp(
  main: string,
  modules: readonly string[],
  port: number,
  { date: compatibilityDate, flags }: { date: string; flags: string[] },
): string {
  const entry = (name: string) =>
    `(name = ${JSON.stringify(name)}, ${name.endsWith(".wasm") ? "wasm" : "data"} = embed ${JSON.stringify(`build/${name}`)})`;
  return `# Generated by bench/render-workerd.ts.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "render", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "render") ],
);

const worker :Workerd.Worker = (
  modules = [
    (name = ${JSON.stringify(main)}, esModule = embed ${JSON.stringify(`build/${main}`)}),
    ${modules.map(entry).join(",\n    ")}
  ],
  compatibilityDate = ${JSON.stringify(compatibilityDate)},
  compatibilityFlags = ${JSON.stringify(flags)},
);
`;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid!, "SIGTERM");
  if (await Promise.race([exited.then(() => false), sleep(2000).then(() => true)])) {
    process.kill(-child.pid!, "SIGKILL");
    await exited;
  }
}

/** Builds and serves the render Worker; a string says why workerd could not be measured. */
export async function startRenderWorker(): Promise<RenderWorker | string> {
  let child: ChildProcess | undefined;
  try {
    const compatibility = backendCompatibility();
    const { main, modules } = await build(compatibility);
    const port = await freePort();
    const config = join(OUT, "config.capnp");
    writeFileSync(config, capnp(main, modules, port, compatibility));
    const stderr = openSync(join(OUT, "workerd.stderr.log"), "w");
    child = spawn(findWorkerd(), ["serve", config], {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", "ignore", stderr],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    closeSync(stderr);
    const started = child;
    process.once("exit", () => {
      if (started.exitCode === null) process.kill(-started.pid!, "SIGKILL");
    });
    const base = `http://127.0.0.1:${port}`;
    for (let waited = 0; ; waited += 100) {
      if (child.exitCode !== null)
        throw new Error(
          `workerd exited (${child.exitCode}): ${readFileSync(join(OUT, "workerd.stderr.log"), "utf8").slice(-500)}`,
        );
      if (
        await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (waited > 15_000) throw new Error("workerd did not answer within 15 s");
      await sleep(100);
    }
    const pid = child.pid!;
    const timedFetch = async (path: string): Promise<{ ms: number; bytes: Uint8Array }> => {
      let t0 = performance.now();
      let response: Response;
      try {
        response = await fetch(`${base}${path}`);
      } catch {
        // workerd closes an idle keep-alive connection (while matplotlib draws, say); the retry opens a new one.
        t0 = performance.now();
        response = await fetch(`${base}${path}`);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (!response.ok)
        throw new Error(
          `bench(render-workerd): ${path} answered ${response.status}: ${new TextDecoder().decode(bytes).slice(0, 300)}`,
        );
      return { ms: performance.now() - t0, bytes };
    };
    const samplePath = async (path: string): Promise<WorkerdSample> => {
      let cpu = cpuNs(pid);
      const render = await timedFetch(path);
      const renderCpuNs = cpuNs(pid) - cpu;
      cpu = cpuNs(pid);
      const empty = await timedFetch("/empty");
      return { renderMs: render.ms, emptyMs: empty.ms, renderCpuNs, emptyCpuNs: cpuNs(pid) - cpu, png: render.bytes };
    };
    return {
      sample: (kind, count) => samplePath(`/render?kind=${kind}&points=${count}`),
      async putSpec(key, spec) {
        const put = () =>
          fetch(`${base}/spec?key=${encodeURIComponent(key)}`, { method: "PUT", body: JSON.stringify(spec) });
        // As in timedFetch: workerd may have closed the idle keep-alive connection; the retry opens a new one.
        const response = await put().catch(put);
        if (!response.ok) throw new Error(`bench(render-workerd): storing spec ${key} answered ${response.status}`);
        await response.arrayBuffer();
      },
      sampleSpec: (key) => samplePath(`/render?key=${encodeURIComponent(key)}`),
      base,
      cpuMs: () => cpuNs(pid) / 1e6,
      stop: () => stop(started),
    };
  } catch (error) {
    if (child) await stop(child);
    return `workerd not measured: ${(error as Error).message.split("\n")[0]}`;
  }
}
