/**
 * How long `npm start` takes to be ready: the Worker, the backend and the emulator healthy and the playground served.
 * Each round starts `node scripts/start.ts` in a clean clone of a checkout (test/support/clone.ts: the committed files
 * copied, node_modules linked, as after `git clone && npm ci`), so the first start there is cold (no .wrangler state, no
 * .dev.vars, no dev key) and a second start in the same clone is warm. Ready is judged by effect, not by the banner
 * alone: from the spawn until the banner is printed AND the Worker's /health, the backend's /health, the emulator's
 * /__emulator/health and the playground page each answer 200. Then Ctrl-C, and the next start.
 *
 *   node bench/start-ready.ts [--rounds 3] [--variant LABEL=DIR]… [--no-write]
 *
 * `--variant before=/tmp/old` measures another checkout (node_modules installed there) in the same rounds,
 * interleaved with this one, e.g. a commit before a change. Refreshes "npm start: time to ready" in BENCHMARKS.md.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../scripts/lib/processes.ts";
import { sourceFiles } from "../test/support/source-files.ts";
import { median } from "./load.ts";
import { writeSection } from "./report.ts";

const ROOT = join(import.meta.dirname, "..");
const TITLE = "## npm start: time to ready";
const BANNER = /Playground\s+(http:\/\/\S+)/;
const START_LIMIT_MS = 180_000;

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    variant: { type: "string", multiple: true, default: [] },
    "no-write": { type: "boolean", default: false },
  },
});
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`bench(start-ready): --rounds must be a positive whole number, got "${args.rounds}"`);
const targets = [
  { label: "this checkout", root: ROOT },
  ...args.variant.map((spec) => {
    const [label, dir] = spec.split("=");
    if (!label || !dir || !existsSync(join(dir, "scripts", "start.ts")))
      throw new Error(
        `bench(start-ready): --variant takes LABEL=DIR of a checkout with scripts/start.ts, got "${spec}"`,
      );
    return { label, root: resolve(dir) };
  }),
];

function clone(root: string): string {
  const dir = mkdtempSync(join(tmpdir(), "bench-start-"));
  for (const file of sourceFiles(root)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

async function ok(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Milliseconds from the spawn until the stack is ready (see the header); then stops it with Ctrl-C. */
async function startOnce(dir: string): Promise<number> {
  const ports = { WORKER_PORT: await freePort(), BACKEND_PORT: await freePort(), EMULATOR_PORT: await freePort() };
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  const started = performance.now();
  const child = spawn(join(dir, "node_modules", ".bin", "node"), ["scripts/start.ts"], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  try {
    const banner = new Promise<void>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no banner within ${START_LIMIT_MS / 1000} s:\n${output}`)),
        START_LIMIT_MS,
      );
      for (const stream of [child.stdout, child.stderr]) {
        stream.setEncoding("utf8");
        stream.on("data", (chunk: string) => {
          output += chunk;
          if (BANNER.test(output)) {
            clearTimeout(timer);
            done();
          }
        });
      }
      void exited.then((code) => fail(new Error(`npm start exited (${code}) before it was ready:\n${output}`)));
    });
    await banner;
    const urls = [
      `http://127.0.0.1:${ports.WORKER_PORT}/health`,
      `http://127.0.0.1:${ports.BACKEND_PORT}/health`,
      `http://127.0.0.1:${ports.EMULATOR_PORT}/__emulator/health`,
      `http://127.0.0.1:${ports.EMULATOR_PORT}/`,
    ];
    const results = await Promise.all(urls.map(ok));
    const down = urls.filter((_, i) => !results[i]);
    if (down.length > 0) throw new Error(`the banner was printed but ${down.join(", ")} did not answer 200`);
    return performance.now() - started;
  } finally {
    child.kill("SIGINT");
    await exited;
  }
}

const load = () => os.loadavg()[0]!.toFixed(1);
const results = targets.map((target) => ({ ...target, cold: [] as number[], warm: [] as number[] }));
const loadBefore = load();
const startedAt = new Date();
for (let round = 1; round <= rounds; round++) {
  for (const target of results) {
    const dir = clone(target.root);
    try {
      const cold = await startOnce(dir);
      const warm = await startOnce(dir);
      target.cold.push(cold);
      target.warm.push(warm);
      console.log(
        `round ${round}/${rounds} ${target.label}: cold ${(cold / 1000).toFixed(1)} s, warm ${(warm / 1000).toFixed(1)} s (load ${load()})`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
const loadAfter = load();

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const range = (values: number[]) => `${s(Math.min(...values))}–${s(Math.max(...values))}`;
const table = [
  "| checkout | cold start (median) | range | warm start (median) | range |",
  "|---|---:|---:|---:|---:|",
  ...results.map(
    (r) => `| ${r.label} | ${s(median(r.cold))} | ${range(r.cold)} | ${s(median(r.warm))} | ${range(r.warm)} |`,
  ),
].join("\n");
console.log(`\n${table}`);
if (!args["no-write"]) {
  const body = `Measured ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench:start -- --rounds ${rounds}\` (bench/start-ready.ts): ${rounds} round(s), each a clean clone started twice (cold: no .wrangler state, .dev.vars or dev key, as after \`git clone && npm ci\`; warm: the second start). Ready = from the spawn of \`node scripts/start.ts\` until its banner is printed and the Worker's /health, the backend's /health, the emulator's health and the playground page all answer 200. Load average ${loadBefore} → ${loadAfter} (2 cores).\n\n${table}\n`;
  writeSection(join(ROOT, "BENCHMARKS.md"), body, TITLE);
  console.log("BENCHMARKS.md: section written; add a sentence on whether the machine was shared");
}
