/**
 * Cold start: what an isolate of our Worker spends before it can answer its first interaction, against the floor
 * and the minimal reference (bench/floor, bench/reference/minimal.js). This is what the bundle budget stands for:
 * a Worker that is evicted and started again pays it on a user's request, inside Discord's 3 seconds.
 *
 * Measured with wrangler's own tool, `wrangler check startup`: it builds the Worker as `wrangler deploy` would,
 * starts it in workerd and profiles the startup phase (module evaluation and everything it runs at the top level);
 * "Active" is the CPU time of that profile. The profiler samples about every millisecond, so one run is coarse:
 * the targets are measured in interleaved rounds and compared by their medians.
 *
 *   node bench/startup.ts [--rounds 7] [--variant LABEL=DIR]… [--no-write]
 *
 * `--variant before=/tmp/old` measures another checkout (its own wrangler.toml, node_modules linked or installed)
 * in the same rounds, e.g. a commit before a change.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os, { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { median } from "./load.ts";
import { writeSection } from "./report.ts";

const ROOT = join(import.meta.dirname, "..");
const TITLE = "## Cold start (wrangler check startup)";
const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    variant: { type: "string", multiple: true, default: [] },
    "no-write": { type: "boolean", default: false },
  },
});
const rounds = Number(args.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`bench(startup): --rounds must be a positive whole number, got "${args.rounds}"`);

interface Target {
  readonly name: string;
  readonly what: string;
  readonly cwd: string;
  /** Passed to the `wrangler deploy` that check startup runs. */
  readonly deployArgs?: string;
}

const FLOOR_CONFIG = "--config bench/floor/wrangler.toml";
const targets: Target[] = [
  { name: "floor", what: "verify-only floor (bench/floor)", cwd: ROOT, deployArgs: FLOOR_CONFIG },
  {
    name: "minimal",
    what: "minimal complete endpoint (bench/reference/minimal.js)",
    cwd: ROOT,
    deployArgs: `${FLOOR_CONFIG} bench/reference/minimal.js`,
  },
  { name: "ours", what: "our Worker (wrangler.toml)", cwd: ROOT },
  ...(args.variant as string[]).map((spec) => {
    const at = spec.indexOf("=");
    if (at <= 0) throw new Error(`bench(startup): --variant wants LABEL=DIR, got "${spec}"`);
    return { name: spec.slice(0, at), what: `variant: ${spec.slice(at + 1)}`, cwd: spec.slice(at + 1) };
  }),
];

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "1",
};
const wranglerJs = join(ROOT, "node_modules/wrangler/bin/wrangler.js");

interface Sample {
  readonly activeMs: number;
  readonly gzipKiB: number;
}

function checkStartup(target: Target, outfile: string): Promise<Sample> {
  const argv = [
    wranglerJs,
    "check",
    "startup",
    "--outfile",
    outfile,
    ...(target.deployArgs ? [`--args=${target.deployArgs}`] : []),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      argv,
      { cwd: target.cwd, env, timeout: 180_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const text = `${stdout}\n${stderr}`;
        const active = /Active: ([\d.]+) ms/.exec(text);
        const gzip = /gzip: ([\d.]+) KiB/.exec(text);
        if (error || !active || !gzip)
          return reject(
            new Error(`bench(startup): ${target.name}: wrangler check startup failed\n${text.slice(-1500)}`),
          );
        resolve({ activeMs: Number(active[1]), gzipKiB: Number(gzip[1]) });
      },
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), "startup-bench-"));
const samples = new Map<string, Sample[]>(targets.map((t) => [t.name, []]));
const loadBefore = os.loadavg()[0]!;
try {
  for (let round = 1; round <= rounds; round++) {
    // Interleaved, and each round in a rotated order, so a slow spell of the machine lands on every target alike.
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) {
      const sample = await checkStartup(target, join(dir, `${target.name}.cpuprofile`));
      samples.get(target.name)!.push(sample);
    }
    console.log(
      `bench(startup): round ${round}/${rounds}: ${targets.map((t) => `${t.name} ${samples.get(t.name)!.at(-1)!.activeMs} ms`).join(", ")}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const loadAfter = os.loadavg()[0]!;

const floorMedian = median(samples.get("floor")!.map((s) => s.activeMs));
const lines = [
  "| Worker | bundle gzip | startup CPU ms (median) | range | above the floor |",
  "|---|---:|---:|---:|---:|",
  ...targets.map((t) => {
    const ms = samples.get(t.name)!.map((s) => s.activeMs);
    const m = median(ms);
    return `| ${t.name}: ${t.what} | ${samples.get(t.name)![0]!.gzipKiB.toFixed(2)} KiB | ${m.toFixed(1)} | ${Math.min(...ms).toFixed(1)}–${Math.max(...ms).toFixed(1)} | ${t.name === "floor" ? "—" : `+${(m - floorMedian).toFixed(1)} ms`} |`;
  }),
].join("\n");
console.log(`\n${lines}\n`);

if (!args["no-write"]) {
  const body =
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench:startup -- --rounds ${rounds}\` (bench/startup.ts): ` +
    `${rounds} interleaved rounds of \`wrangler check startup\`, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}. ` +
    `*Startup CPU* is the profile's "Active" time: workerd starting the isolate and evaluating the bundle's top level, ` +
    `sampled about every millisecond (so compare medians). The floor's own figure is workerd's fixed cost.\n\n${lines}\n`;
  writeSection(join(ROOT, "BENCHMARKS.md"), body, TITLE);
  console.log(`bench(startup): wrote "${TITLE.slice(3)}" in BENCHMARKS.md`);
}
