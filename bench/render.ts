// Chart render time at 10, 1,000 and 10,000 points, for both chart kinds, on Node and in workerd, against a
// matplotlib reference drawing the same charts in the same run. Ours on Node: the median of several renders after a
// warm-up (the first render pays for module and font loading), split into ECharts' SVG step and the Node rasteriser
// (resvg + PNG). Ours in workerd: the backend Worker's path (ECharts, resvg's WebAssembly build, bundled fonts) on
// bare workerd, timed from outside (bench/render-workerd.ts). Each size is measured on Node, then in workerd, then
// by matplotlib (bench/reference/matplotlib_render.py: same data, title, theme and 800×450 PNG), so all three see
// the same machine. Wall time is what a user waits for on a quiet machine; CPU time (the process's, all threads)
// is the cost, and stays readable when other work shares the cores. Prints Markdown for BENCHMARKS.md.
//
//   node_modules/.bin/node bench/render.ts [runs=15]
//
// workerd: built with wrangler (needs no network) and served by node_modules' workerd; if either fails, the
// workerd columns say why and the rest is measured as usual.
//
// matplotlib: the script makes a venv (bench/out/matplotlib-venv, with --system-site-packages so a Debian
// python3-matplotlib is visible) from `$PYTHON`, `python3` or /usr/bin/python3, runs `pip install matplotlib` in
// it, and uses whatever imports: pip's, else the system's. Without Python or matplotlib the comparison is
// skipped with a note; nothing else (npm test, CI) needs Python.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { renderChart, renderChartSvg, type ChartKind } from "../src/backend/jobs/chart/render.ts";
import { rasteriseWithResvgNode } from "../src/backend/jobs/chart/rasterise-node.ts";
import { CHART_RENDERING } from "../src/shared/jobs/chart.ts";
import { chartTitle, series } from "./render-series.ts";
import {
  startRenderWorker,
  summarize,
  type RenderWorker,
  type WorkerdRender,
  type WorkerdSample,
} from "./render-workerd.ts";

const SIZES = [10, 1_000, 10_000];
const KINDS: ChartKind[] = ["line", "bar"];
const RUNS = Number(process.argv[2] ?? 15);
const WARMUP = 3;
const { width: WIDTH, height: HEIGHT } = CHART_RENDERING;
const TARGET_LINE_1000_MS = 15;
const TARGET_RATIO = 3;
const TARGET_WORKERD_RATIO = 2;
// Both runtimes optimise ECharts' code as it runs (and workerd compiles the WebAssembly rasteriser in tiers): the
// first renders of each kind of chart are up to 3× slower, and V8 is still compiling while the next chart kind is
// measured. Every chart is rendered this often, in both runtimes, before any is measured: a backend serves many
// charts (the first request's cost is measured in test/node/backend/worker-rendering.test.ts).
const WARMUP_ROUNDS = 5;
const VENV = fileURLToPath(new URL("./out/matplotlib-venv", import.meta.url));
const REFERENCE = fileURLToPath(new URL("./reference/matplotlib_render.py", import.meta.url));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Wall and CPU milliseconds of one call (CPU: this process's user + system time, every thread). */
async function timed(fn: () => unknown): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

interface Ours {
  wall: number;
  /** The fastest render: what an uncontended core gives, when other work shares the machine. */
  best: number;
  cpu: number;
  svg: number;
  raster: number;
  pngKiB: number;
}

/**
 * Node's renders (each whole, then its two steps apart), then workerd's (a render request and an empty one). In
 * blocks rather than alternating: after each render, the other runtime's V8 threads would still be compiling and
 * collecting garbage on the second core.
 */
async function measureBoth(
  kind: ChartKind,
  count: number,
  worker: RenderWorker | string,
): Promise<{ ours: Ours; workerd: WorkerdRender | string }> {
  const spec = { kind, points: series(count), title: chartTitle(count) };
  for (let i = 0; i < WARMUP; i++) await renderChart(spec, rasteriseWithResvgNode);
  const walls: number[] = [];
  const cpuTimes: number[] = [];
  const svgs: number[] = [];
  const rasters: number[] = [];
  let pngBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const total = await timed(
      async () => (pngBytes = (await renderChart(spec, rasteriseWithResvgNode)).png.byteLength),
    );
    walls.push(total.wall);
    cpuTimes.push(total.cpu);
    let svg = "";
    svgs.push((await timed(() => (svg = renderChartSvg(spec)))).wall);
    rasters.push(
      (
        await timed(() =>
          rasteriseWithResvgNode(svg, { width: WIDTH, background: "#2b2d31", defaultFontFamily: "DejaVu Sans" }),
        )
      ).wall,
    );
  }
  const ours = {
    wall: median(walls),
    best: Math.min(...walls),
    cpu: median(cpuTimes),
    svg: median(svgs),
    raster: median(rasters),
    pngKiB: pngBytes / 1024,
  };
  if (typeof worker === "string") return { ours, workerd: worker };
  for (let i = 0; i < WARMUP; i++) await worker.sample(kind, count);
  const samples: WorkerdSample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await worker.sample(kind, count));
  return { ours, workerd: summarize(samples) };
}

interface Reference {
  wall: number;
  best: number;
  cpu: number;
  runs: number;
  pngKiB: number;
}

function run(command: string, args: string[], timeoutMs: number) {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs });
  const lastLine =
    `${result.stderr ?? ""}${result.error ? String(result.error.message) : ""}`.trim().split("\n").at(-1) ?? "";
  return { ok: result.status === 0, stdout: result.stdout ?? "", why: lastLine || `exit ${result.status}` };
}

/** A Python that imports matplotlib (a venv's), and how it got there; or null and why not. */
function findMatplotlib(): { python: string | null; note: string } {
  const tried: string[] = [];
  const candidates = [
    ...new Set([process.env.PYTHON, "python3", "/usr/bin/python3"].filter((c): c is string => Boolean(c))),
  ];
  for (const [index, base] of candidates.entries()) {
    const venv = `${VENV}-${index}`;
    const python = `${venv}/bin/python`;
    if (!existsSync(python)) {
      const made = run(base, ["-m", "venv", "--system-site-packages", venv], 60_000);
      if (!made.ok) {
        tried.push(`${base}: no venv (${made.why})`);
        continue;
      }
    }
    const pip = run(
      python,
      [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--retries",
        "0",
        "--timeout",
        "5",
        "matplotlib",
      ],
      120_000,
    );
    const probe = run(
      python,
      ["-c", "import matplotlib, sys; print(matplotlib.__version__, matplotlib.__file__, sys.version.split()[0])"],
      60_000,
    );
    if (probe.ok) {
      const [version, file, pythonVersion] = probe.stdout.trim().split(" ");
      const source = file?.startsWith(venv)
        ? "installed by pip into the venv"
        : pip.ok
          ? "already present in the system site packages (pip had nothing to do)"
          : `from the system site packages (pip install failed: ${pip.why})`;
      return { python, note: `matplotlib ${version} (Agg) on Python ${pythonVersion}, ${source}; venv from ${base}` };
    }
    tried.push(`${base}: matplotlib not importable (pip: ${pip.ok ? "ok" : pip.why})`);
  }
  return { python: null, note: `matplotlib reference skipped: ${tried.join("; ") || "no Python found"}` };
}

function measureReference(python: string, kind: ChartKind, count: number): Reference | string {
  const config = { kind, points: count, runs: RUNS, warmup: 2, width: WIDTH, height: HEIGHT, budget_s: 30 };
  const result = run(python, [REFERENCE, JSON.stringify(config)], 600_000);
  if (!result.ok) return `failed: ${result.why}`;
  const out = JSON.parse(result.stdout) as { wall_ms: number[]; cpu_ms: number[]; png_bytes: number };
  return {
    wall: median(out.wall_ms),
    best: Math.min(...out.wall_ms),
    cpu: median(out.cpu_ms),
    runs: out.wall_ms.length,
    pngKiB: out.png_bytes / 1024,
  };
}

const reference = findMatplotlib();
const worker = await startRenderWorker();
// workerd's warm-up first: its optimising compiler works on in the background for a while after it.
for (const warm of [
  (kind: ChartKind, count: number) => (typeof worker === "string" ? null : worker.sample(kind, count)),
  (kind: ChartKind, count: number) =>
    renderChart({ kind, points: series(count), title: chartTitle(count) }, rasteriseWithResvgNode),
]) {
  for (let round = 0; round < WARMUP_ROUNDS; round++)
    for (const kind of KINDS) for (const count of SIZES) await warm(kind, count);
}
const load = loadavg()[0]!;
const rows: Array<{
  kind: ChartKind;
  count: number;
  ours: Ours;
  workerd: WorkerdRender | string;
  ref: Reference | string | null;
}> = [];
try {
  for (const kind of KINDS) {
    for (const count of SIZES) {
      const { ours, workerd } = await measureBoth(kind, count, worker);
      const ref = reference.python ? measureReference(reference.python, kind, count) : null;
      rows.push({ kind, count, ours, workerd, ref });
      const inWorkerd = typeof workerd === "string" ? "" : `, workerd ${workerd.wall.toFixed(1)} ms`;
      console.error(
        `${kind} ${count}: ours ${ours.wall.toFixed(1)} ms${inWorkerd}${ref && typeof ref !== "string" ? `, matplotlib ${ref.wall.toFixed(1)} ms` : ""}`,
      );
    }
  }
} finally {
  if (typeof worker !== "string") await worker.stop();
}

const ms = (value: number) => value.toFixed(1);
const ratio = (theirs: number, ours: number) => `${(theirs / ours).toFixed(1)}×`;
const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
console.log(
  `Node ${process.version}, ${cpu} (${cpus().length} cores), load average ${load.toFixed(1)} at start → ${loadavg()[0]!.toFixed(1)} at end; ${WARMUP_ROUNDS} warm-up rounds of every chart, then median of ${RUNS} renders after ${WARMUP} warm-up, ${WIDTH}×${HEIGHT} PNG.`,
);
console.log(`Reference: ${reference.note}.`);
console.log(
  typeof worker === "string"
    ? `workerd: ${worker}.`
    : `workerd: bench/render-worker.ts (the backend Worker's render path) on bare workerd, the same warm-up and runs, right after Node's; render request less an empty request.`,
);
console.log("");
console.log(
  "| kind | points | ours ms (wall) | best | ours CPU ms | ECharts SVG ms | rasterise + PNG ms | PNG KiB | matplotlib ms (wall) | best | matplotlib CPU ms | faster (wall) | faster (CPU) |",
);
console.log(
  "|------|-------:|---------------:|-----:|------------:|---------------:|-------------------:|--------:|---------------------:|-----:|------------------:|--------------:|-------------:|",
);
for (const { kind, count, ours, ref } of rows) {
  const theirs =
    ref === null
      ? "| – | – | – | – | – |"
      : typeof ref === "string"
        ? `| ${ref} | – | – | – | – |`
        : `| ${ms(ref.wall)}${ref.runs < RUNS ? ` (${ref.runs} runs)` : ""} | ${ms(ref.best)} | ${ms(ref.cpu)} | ${ratio(ref.wall, ours.wall)} | ${ratio(ref.cpu, ours.cpu)} |`;
  console.log(
    `| ${kind} | ${count.toLocaleString("en-US")} | ${ms(ours.wall)} | ${ms(ours.best)} | ${ms(ours.cpu)} | ${ms(ours.svg)} | ${ms(ours.raster)} | ${ours.pngKiB.toFixed(1)} ${theirs}`,
  );
}
console.log("");
console.log(
  "| kind | points | Node ms (wall) | workerd ms (wall) | best | workerd CPU ms | workerd PNG | workerd ÷ Node (wall) | workerd ÷ Node (CPU) |",
);
console.log(
  "|------|-------:|---------------:|------------------:|-----:|---------------:|------------:|----------------------:|---------------------:|",
);
for (const { kind, count, ours, workerd } of rows) {
  const cells =
    typeof workerd === "string"
      ? `| ${workerd} | – | – | – | – | – |`
      : `| ${ms(workerd.wall)} | ${ms(workerd.best)} | ${ms(workerd.cpu)} | ${workerd.width}×${workerd.height}, ${workerd.pngKiB.toFixed(1)} KiB | ${(workerd.wall / ours.wall).toFixed(2)}× | ${(workerd.cpu / ours.cpu).toFixed(2)}× |`;
  console.log(`| ${kind} | ${count.toLocaleString("en-US")} | ${ms(ours.wall)} ${cells}`);
}
console.log("");
const line1000 = rows.find((row) => row.kind === "line" && row.count === 1_000)!.ours;
const verdict = (met: boolean) => (met ? "✅ met" : "❌ missed");
console.log("| target | measured | required | |");
console.log("|---|---:|---:|---|");
console.log(
  `| 1,000-point line on Node, wall | ${ms(line1000.wall)} ms | ≤ ${TARGET_LINE_1000_MS} ms | ${verdict(line1000.wall <= TARGET_LINE_1000_MS)} |`,
);
console.log(
  `| 1,000-point line on Node, CPU | ${ms(line1000.cpu)} ms | ≤ ${TARGET_LINE_1000_MS} ms | ${verdict(line1000.cpu <= TARGET_LINE_1000_MS)} |`,
);
console.log(
  `| 1,000-point line on Node, fastest of ${RUNS} (wall) | ${ms(line1000.best)} ms | ≤ ${TARGET_LINE_1000_MS} ms | ${verdict(line1000.best <= TARGET_LINE_1000_MS)} |`,
);
const measured = rows.flatMap((row) => (row.ref && typeof row.ref !== "string" ? [{ ...row, ref: row.ref }] : []));
if (measured.length > 0) {
  for (const clock of ["wall", "cpu"] as const) {
    const worst = measured.reduce((a, b) => (b.ref[clock] / b.ours[clock] < a.ref[clock] / a.ours[clock] ? b : a));
    const factor = worst.ref[clock] / worst.ours[clock];
    console.log(
      `| every size vs matplotlib, ${clock === "cpu" ? "CPU" : "wall"} (slowest: ${worst.kind} ${worst.count.toLocaleString("en-US")}) | ${factor.toFixed(1)}× | ≥ ${TARGET_RATIO}× | ${verdict(factor >= TARGET_RATIO)} |`,
    );
  }
} else {
  console.log(`| every size vs matplotlib | not measured | ≥ ${TARGET_RATIO}× | ${reference.note} |`);
}
const inWorkerd = rows.flatMap((row) => (typeof row.workerd === "string" ? [] : [{ ...row, workerd: row.workerd }]));
if (inWorkerd.length === rows.length) {
  for (const clock of ["wall", "cpu"] as const) {
    const worst = inWorkerd.reduce((a, b) =>
      b.workerd[clock] / b.ours[clock] > a.workerd[clock] / a.ours[clock] ? b : a,
    );
    const factor = worst.workerd[clock] / worst.ours[clock];
    console.log(
      `| every size in workerd vs Node, ${clock === "cpu" ? "CPU" : "wall"} (slowest: ${worst.kind} ${worst.count.toLocaleString("en-US")}) | ${factor.toFixed(2)}× | ≤ ${TARGET_WORKERD_RATIO}× | ${verdict(factor <= TARGET_WORKERD_RATIO)} |`,
    );
  }
  const sameSize = inWorkerd.every((row) => row.workerd.width === WIDTH && row.workerd.height === HEIGHT);
  console.log(
    `| workerd PNGs of the same dimensions as Node's | ${sameSize ? `all ${WIDTH}×${HEIGHT}` : "no"} | ${WIDTH}×${HEIGHT} | ${verdict(sameSize)} |`,
  );
} else {
  console.log(
    `| every size in workerd vs Node | not measured | ≤ ${TARGET_WORKERD_RATIO}× | ${typeof worker === "string" ? worker : "some sizes failed"} |`,
  );
}
