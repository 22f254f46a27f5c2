// The costliest chart within the documented limits, against an ordinary one (issue 19: one CSV stalled the backend).
// `npm run bench:render-adversarial` searches the inputs a user can send (values, CSV, stored points; line and bar;
// up to 10,000 rows; long labels, titles and axis names in several scripts; extreme values) for the one that takes
// longest to draw, and reports its render time as a multiple of an ordinary chart (a 1,000-point line with short
// labels, bench/render.ts' chart), on Node (render.ts with resvg's native addon, in-process: what a render thread
// runs) and in workerd (the backend Worker's render path on bare workerd, bench/render-workerd.ts). Target: ≤ 10×.
// Then, on the Node server with its render threads, /health's latency while that chart is drawn over and over
// (target: within 100 ms); and in workerd, what happens to a request that computes past the backend Worker's
// cpu_ms and to the isolate's other requests meanwhile. Writes the section "Render cost (adversarial inputs)" of
// BENCHMARKS.md.
//
//   node_modules/.bin/node bench/render-adversarial.ts [--quick] [--no-write] [--calibrate]
//
// Method. Every candidate goes through the parser a user's input goes through (parseValues, parseCsv; stored
// points as the backend validates them) and must pass it: a CSV of at most 1 MiB, a values option of at most 6,000
// characters, at most 1,000 values or 10,000 rows, labels and titles of at most 100 characters. Times are CPU
// (Node: the process's user + system time, all threads; workerd: its threads' schedstat less an empty request's),
// which other work on a shared machine disturbs less than wall time; wall time is printed too. The search: a seeded
// random sample of the space, then coordinate ascent from the costliest few (each dimension changed in turn, the
// costlier kept), on Node; the costliest dozen are then measured again on Node and in workerd with more runs,
// beside the ordinary chart measured in the same block. --calibrate measures the terms of render-cost.ts instead
// (each as the difference of two charts that differ in that term alone) and prints them in ordinary charts.

import { parseArgs } from "node:util";
import { cpus, loadavg } from "node:os";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { renderChart, type ChartKind, type ChartSpec } from "../src/backend/jobs/chart/render.ts";
import { rasteriseWithResvgNode } from "../src/backend/jobs/chart/rasterise-node.ts";
import { estimateRenderCost } from "../src/backend/jobs/chart/render-cost.ts";
import { parseCsv } from "../src/shared/chart-data/csv.ts";
import { InputError } from "../src/shared/http-error.ts";
import { parseValues } from "../src/shared/chart-data/values.ts";
import {
  MAX_CSV_ROWS,
  MAX_FILE_BYTES,
  MAX_LABEL_LENGTH,
  MAX_POINTS,
  MAX_TITLE_LENGTH,
  MAX_VALUES_POINTS,
} from "../src/shared/chart-data/points.ts";
import { startBackendServer } from "../src/backend/server.ts";
import { DEFAULT_MAX_CONCURRENT } from "../src/backend/app.ts";
import { defaultRenderThreads } from "../src/backend/jobs/chart/render-pool.ts";
import { relayHeaders } from "../src/shared/relay-signature.ts";
import { ROOT } from "./workerd.ts";
import { chartTitle, series } from "./render-series.ts";
import { startRenderWorker, summarize, type RenderWorker, type WorkerdSample } from "./render-workerd.ts";
import { writeSection } from "./report.ts";

const { values: args } = parseArgs({
  options: { quick: { type: "boolean" }, "no-write": { type: "boolean" }, calibrate: { type: "boolean" } },
});
const QUICK = Boolean(args.quick);
const TARGET_RATIO = 10;
const TARGET_HEALTH_MS = 100;
const VALUES_MAX_CHARS = 6_000; // the /chart values option's max_length (src/worker/app/commands/chart.ts)
const CPU_MS_LIMIT = 5_000; // wrangler.backend.toml [limits] cpu_ms
const METHOD = `Method (bench/render-adversarial.ts): every input goes through the parser a user's input goes through (a CSV of at most 1 MiB and 10,000 rows, a values option of at most 6,000 characters and 1,000 values, stored points as the backend validates them) and is drawn by render.ts as the chart job draws it; the search draws a seeded random sample of the space (source, kind, rows, label script and length, title, axis names, value shape), then changes one dimension at a time from the costliest few and keeps what costs more. Costs are CPU time (Node: the process's user + system time over all threads; workerd: its threads' schedstat less an empty request's), medians, each beside the ordinary chart measured in the same block; wall time is shown too. Before issue 19's fixes (main at dd237c0), the first of the issue's uploads took 7.2 s on the Node backend, and a GET /health sent during it was answered only after it.`;

// ---------------------------------------------------------------------------------------------------------
// Measuring one chart

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Time {
  wall: number;
  cpu: number;
}

async function onNode(spec: ChartSpec, runs: number): Promise<Time> {
  await renderChart(spec, rasteriseWithResvgNode);
  const walls: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    const started = performance.now();
    await renderChart(spec, rasteriseWithResvgNode);
    walls.push(performance.now() - started);
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpu) };
}

async function inWorkerd(worker: RenderWorker, key: string, spec: ChartSpec, runs: number): Promise<Time> {
  await worker.putSpec(key, spec);
  await worker.sampleSpec(key);
  const samples: WorkerdSample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await worker.sampleSpec(key));
  const summary = summarize(samples);
  return { wall: summary.wall, cpu: summary.cpu };
}

// ---------------------------------------------------------------------------------------------------------
// The search space: what a user can send, through the parser it goes through

const SCRIPTS = {
  digits: "0123456789",
  wide: "W",
  latin: "Ça été déjà vu ",
  arabic: "مرحبا بالعالم ",
  devanagari: "नमस्ते दुनिया ",
  cjk: "漢字表示",
  combining: "a\u0301\u0302\u0303",
  emoji: "😀📈",
  markup: `&<>"'`,
  mixed: "Wب漢😀é\u0301",
} as const;
type Script = keyof typeof SCRIPTS;
const VALUE_SHAPES = ["wave", "noise", "extremes", "tiny", "constant", "random"] as const;
type ValueShape = (typeof VALUE_SHAPES)[number];

interface Candidate {
  source: "values" | "csv" | "points";
  kind: ChartKind;
  rows: number;
  script: Script;
  labelLength: number;
  title: boolean;
  axisNames: boolean;
  shape: ValueShape;
}

const DIMENSIONS = {
  source: ["values", "csv", "points"],
  kind: ["line", "bar"],
  rows: [10, 60, 61, 200, 500, 501, 800, 1_000, 2_000, 5_000, 10_000],
  script: Object.keys(SCRIPTS) as Script[],
  labelLength: [4, 20, 50, 100],
  title: [false, true],
  axisNames: [false, true],
  shape: VALUE_SHAPES,
} as const satisfies { [K in keyof Candidate]: readonly Candidate[K][] };

/** `length` UTF-16 units of `unit` repeated, never ending inside a surrogate pair. */
function text(unit: string, length: number): string {
  let out = "";
  for (const char of unit.repeat(Math.ceil((length * 2) / unit.length) + 2)) {
    if (out.length + char.length > length) break;
    out += char;
  }
  return out;
}

function value(shape: ValueShape, i: number): number {
  switch (shape) {
    case "wave":
      return 100 + Math.sin(i / 40) * 25 + i * 0.01;
    case "noise":
      return (i % 2 ? 1 : -1) * 1e6 + Math.sin(i);
    case "extremes": // the largest sizes the parsers accept (src/shared/chart-data/number.ts)
      return i % 2 ? 1e100 : -1e100;
    case "tiny": // the smallest, in a range of the same order
      return (1 + (i % 7)) * 1e-15;
    case "constant":
      return 42;
    case "random":
      return ((Math.sin(i * 12.9898) * 43758.5453) % 1) * 1e9;
  }
}

const csvCell = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

/** What the backend is sent (the CSV is served as an attachment) and the spec its chart job then draws. */
interface Drawn {
  what: string;
  input: Record<string, unknown>;
  csv?: string;
  spec: ChartSpec;
}

/** The candidate's input and, through the real parser, the spec the chart job would draw; null when over a limit. */
function drawnOf(c: Candidate): Drawn | null {
  try {
    return parsed(c);
  } catch (error) {
    if (error instanceof InputError) return null; // refused by the parser: not within the limits
    throw error;
  }
}

function parsed(c: Candidate): Drawn | null {
  const label = (i: number) => {
    const suffix = String(i);
    return text(SCRIPTS[c.script], Math.max(0, c.labelLength - suffix.length)) + suffix;
  };
  const title = c.title ? text(SCRIPTS[c.script], MAX_TITLE_LENGTH) : undefined;
  if (c.source === "values") {
    if (c.rows > MAX_VALUES_POINTS || c.axisNames) return null;
    const option = Array.from(
      { length: c.rows },
      (_, i) => `${label(i).replaceAll(",", " ").replaceAll("=", " ")}=${value(c.shape, i)}`,
    ).join(",");
    if (option.length > VALUES_MAX_CHARS) return null;
    return {
      what: describe(c),
      input: { kind: c.kind, title, values: option },
      spec: { kind: c.kind, points: parseValues(option), title },
    };
  }
  if (c.source === "csv") {
    if (c.rows > MAX_CSV_ROWS) return null;
    const header = c.axisNames
      ? `${csvCell(text(SCRIPTS[c.script], 200))},${csvCell(text(SCRIPTS[c.script], 200))}\n`
      : "";
    const body = Array.from({ length: c.rows }, (_, i) => `${csvCell(label(i))},${value(c.shape, i)}`).join("\n");
    const file = header + body;
    if (new TextEncoder().encode(file).byteLength > MAX_FILE_BYTES) return null;
    return { what: describe(c), input: { kind: c.kind, title }, csv: file, spec: csvSpec(c.kind, file, title) };
  }
  if (c.rows > MAX_POINTS || c.axisNames || c.labelLength > MAX_LABEL_LENGTH) return null;
  const points = Array.from({ length: c.rows }, (_, i) => ({ label: label(i), value: value(c.shape, i) }));
  return { what: describe(c), input: { kind: c.kind, title, points }, spec: { kind: c.kind, points, title } };
}

function csvSpec(kind: ChartKind, file: string, title?: string): ChartSpec {
  const csv = parseCsv(file);
  return { kind, points: csv.points, title, xAxisName: csv.header?.label, yAxisName: csv.header?.value };
}

const describe = (c: Candidate) =>
  `${c.source} ${c.kind}, ${c.rows.toLocaleString("en-US")} rows, ${c.labelLength}-char ${c.script} labels${c.title ? `, 100-char ${c.script} title` : ""}${c.axisNames ? ", 100-char axis names" : ""}, ${c.shape} values`;
const keyOf = (c: Candidate) => JSON.stringify(c);

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Phases

const ordinary: ChartSpec = { kind: "line", points: series(1_000), title: chartTitle(1_000) };

async function search(): Promise<Array<{ candidate: Candidate; drawn: Drawn; ratio: number }>> {
  const runs = QUICK ? 2 : 3;
  const measured = new Map<string, { candidate: Candidate; drawn: Drawn; ratio: number }>();
  let reference = (await onNode(ordinary, 5)).cpu;
  let sinceReference = 0;
  const measure = async (candidate: Candidate) => {
    const key = keyOf(candidate);
    if (measured.has(key)) return measured.get(key)!.ratio;
    const drawn = drawnOf(candidate);
    if (!drawn) return -1;
    if (++sinceReference >= 10) {
      reference = (await onNode(ordinary, 5)).cpu; // the machine's speed drifts; ratios use a recent reference
      sinceReference = 0;
    }
    const ratio = (await onNode(drawn.spec, runs)).cpu / reference;
    measured.set(key, { candidate, drawn, ratio });
    return ratio;
  };
  const next = random(19);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const sampleSize = QUICK ? 25 : 120;
  for (let tried = 0; measured.size < sampleSize && tried < sampleSize * 20; tried++) {
    await measure({
      source: pick(DIMENSIONS.source),
      kind: pick(DIMENSIONS.kind),
      rows: pick(DIMENSIONS.rows),
      script: pick(DIMENSIONS.script),
      labelLength: pick(DIMENSIONS.labelLength),
      title: pick(DIMENSIONS.title),
      axisNames: pick(DIMENSIONS.axisNames),
      shape: pick(DIMENSIONS.shape),
    });
  }
  const starts = [...measured.values()]
    .sort((a, b) => b.ratio - a.ratio)
    .slice(0, QUICK ? 2 : 4)
    .map((m) => m.candidate);
  for (const start of starts) {
    let current = start;
    let best = await measure(current);
    for (let round = 0; round < (QUICK ? 1 : 2); round++) {
      for (const dimension of Object.keys(DIMENSIONS) as Array<keyof Candidate>) {
        for (const option of DIMENSIONS[dimension]) {
          const trial = { ...current, [dimension]: option } as Candidate;
          const ratio = await measure(trial);
          if (ratio > best) {
            best = ratio;
            current = trial;
          }
        }
      }
    }
  }
  return [...measured.values()].sort((a, b) => b.ratio - a.ratio);
}

interface Confirmed {
  drawn: Drawn;
  estimate: number;
  node: Time;
  workerd: Time | null;
}

async function confirm(worker: RenderWorker | string, all: readonly Drawn[]) {
  const runs = QUICK ? 5 : 9;
  const nodeOrdinary = await onNode(ordinary, runs);
  const workerdOrdinary = typeof worker === "string" ? null : await inWorkerd(worker, "ordinary", ordinary, runs);
  const rows: Confirmed[] = [];
  for (const [index, drawn] of all.entries()) {
    const node = await onNode(drawn.spec, runs);
    const workerd = typeof worker === "string" ? null : await inWorkerd(worker, `top-${index}`, drawn.spec, runs);
    rows.push({ drawn, estimate: estimateRenderCost(drawn.spec).units, node, workerd });
    console.error(
      `${drawn.what}: Node ${(node.cpu / nodeOrdinary.cpu).toFixed(1)}×${workerd && workerdOrdinary ? `, workerd ${(workerd.cpu / workerdOrdinary.cpu).toFixed(1)}×` : ""}`,
    );
  }
  return { nodeOrdinary, workerdOrdinary, rows };
}

/** /health on the Node server (its render threads, warmed) while the chart is sent as a job over and over. */
async function healthWhileRendering(drawn: Drawn, seconds: number) {
  const files = createServer((_req, res) => res.writeHead(200, { "content-type": "text/csv" }).end(drawn.csv ?? ""));
  await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(files.address() as AddressInfo).port}`;
  const input = drawn.csv === undefined ? drawn.input : { ...drawn.input, file: { url: `http://${host}/chart.csv` } };
  const server = await startBackendServer({
    relaySecret: "bench",
    attachmentHosts: [host],
    warmRenderThreads: true,
    log: () => {},
  });
  const threads = defaultRenderThreads(DEFAULT_MAX_CONCURRENT);
  let sequence = 0;
  const job = async () => {
    const body = JSON.stringify({ id: `bench-${++sequence}`, input });
    const response = await fetch(`${server.url}/v1/jobs/chart`, {
      method: "POST",
      body,
      headers: await relayHeaders("bench", body),
    });
    await response.arrayBuffer();
    return response.status;
  };
  await Promise.all(Array.from({ length: threads }, job)); // every thread has drawn once
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let renders = 0;
  const until = performance.now() + seconds * 1000;
  const feeders = Array.from({ length: threads }, async () => {
    while (performance.now() < until) {
      const status = await job();
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      renders++;
    }
  });
  const prober = (async () => {
    while (performance.now() < until) {
      const busy = server.backend.inFlight() > 0;
      const started = performance.now();
      await (await fetch(`${server.url}/health`)).arrayBuffer();
      if (busy && server.backend.inFlight() > 0) latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  await Promise.all([...feeders, prober]);
  await server.close();
  files.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    threads,
    renders,
    statuses: Object.fromEntries(statuses),
    probes: sorted.length,
    p50: median(sorted),
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
    max: sorted.at(-1) ?? NaN,
  };
}

/** workerd: a request that computes past cpu_ms, and the isolate's other requests meanwhile. */
async function pastCpuLimit(worker: RenderWorker) {
  const spinCpu = async (n: number) => {
    const before = worker.cpuMs();
    const response = await fetch(`${worker.base}/spin?n=${n}`);
    await response.text();
    return { status: response.status, cpuMs: worker.cpuMs() - before };
  };
  const probe = await spinCpu(50_000_000);
  const iterations = Math.ceil((50_000_000 * (CPU_MS_LIMIT + 1_500)) / probe.cpuMs);
  const started = performance.now();
  let spinEnded = Infinity;
  const spin = spinCpu(iterations).then((result) => {
    spinEnded = performance.now();
    return result;
  });
  // Five other requests to the same Worker while it computes, 100–900 ms in, each on its own connection.
  const probes = await Promise.all(
    [100, 300, 500, 700, 900].map(async (delay) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      const sent = performance.now();
      await (await fetch(`${worker.base}/empty`)).text();
      const answered = performance.now();
      return { wait: answered - sent, afterSpin: answered >= spinEnded };
    }),
  );
  const result = await spin;
  return {
    status: result.status,
    cpuMs: result.cpuMs,
    wallMs: spinEnded - started,
    probes: probes.length,
    answeredAfter: probes.filter((p) => p.afterSpin).length,
    shortestWait: Math.min(...probes.map((p) => p.wait)),
    longestWait: Math.max(...probes.map((p) => p.wait)),
  };
}

/** --calibrate: each term of render-cost.ts as the difference of two charts that differ in it alone, in ordinary charts. */
async function calibrate(worker: RenderWorker | string) {
  const short = (n: number) => series(n).map((p, i) => ({ label: `d${i}`, value: p.value }));
  const long = (n: number, unit: string) => series(n).map((p) => ({ label: text(unit, 100), value: p.value }));
  const charts: Record<string, ChartSpec> = {
    ordinary,
    line10: { kind: "line", points: short(10) },
    line60: { kind: "line", points: short(60) },
    line61: { kind: "line", points: short(61) },
    line800: { kind: "line", points: short(800) },
    bar10: { kind: "bar", points: short(10) },
    bar500: { kind: "bar", points: short(500) },
    bar501: { kind: "bar", points: short(501) },
    bar800: { kind: "bar", points: short(800) },
    line800Long: { kind: "line", points: long(800, "W") },
    line10Title: {
      kind: "line",
      points: short(10),
      title: text("W", 100),
      xAxisName: text("W", 100),
      yAxisName: text("W", 100),
    },
    line10Latin: { kind: "line", points: short(10), title: "Sales 12" },
    line10Cyrillic: { kind: "line", points: short(10), title: "Продажи" },
    line800Arabic: { kind: "line", points: long(800, SCRIPTS.arabic), title: text(SCRIPTS.arabic, 100) },
    line800WideTitle: { kind: "line", points: long(800, "W"), title: text("W", 100) },
  };
  const runs = QUICK ? 7 : 15;
  const times: Record<string, { node: number; workerd: number }> = {};
  for (const [name, spec] of Object.entries(charts)) {
    times[name] = {
      node: (await onNode(spec, runs)).cpu,
      workerd: typeof worker === "string" ? NaN : (await inWorkerd(worker, `cal-${name}`, spec, runs)).cpu,
    };
  }
  const unit = (runtime: "node" | "workerd", expression: (t: (name: string) => number) => number) =>
    expression((name) => times[name]![runtime] / times.ordinary![runtime]);
  const terms: Record<string, (t: (name: string) => number) => number> = {
    FIXED: (t) => t("line10"),
    "PER_POINT.line": (t) => (t("line800") - t("line61")) / (800 - 61),
    "PER_POINT.bar": (t) => (t("bar800") - t("bar501")) / (800 - 501),
    PER_SYMBOL: (t) => (t("line60") - t("line10")) / 50 - (t("line800") - t("line61")) / (800 - 61),
    PER_SEPARATE_BAR: (t) => (t("bar500") - t("bar10")) / 490 - (t("bar800") - t("bar501")) / (800 - 501),
    "PER_CHAR (labels)": (t) => (t("line800Long") - t("line800")) / (80 * (100 - 4)),
    "PER_CHAR (title, axis names)": (t) => (t("line10Title") - t("line10")) / 300,
    FULL_FONTS: (t) => t("line10Cyrillic") - t("line10Latin"),
    PER_CHAR_OUTSIDE_SUBSET: (t) =>
      (t("line800Arabic") - t("line800WideTitle") - (t("line10Cyrillic") - t("line10Latin"))) / (80 * 100 + 100),
  };
  console.log("| term | Node | workerd | larger |\n|---|---:|---:|---:|");
  for (const [name, expression] of Object.entries(terms)) {
    const node = unit("node", expression);
    const inWorker = unit("workerd", expression);
    console.log(
      `| ${name} | ${node.toPrecision(3)} | ${inWorker.toPrecision(3)} | ${Math.max(node, Number.isNaN(inWorker) ? -Infinity : inWorker).toPrecision(3)} |`,
    );
  }
  console.log(
    `\nordinary chart: Node ${times.ordinary!.node.toFixed(1)} ms CPU, workerd ${times.ordinary!.workerd.toFixed(1)} ms CPU`,
  );
}

// ---------------------------------------------------------------------------------------------------------

const loadBefore = loadavg()[0]!;
const startedAt = new Date().toISOString().slice(0, 16).replace("T", " ");
const worker = await startRenderWorker();
try {
  // Warm both runtimes' compilers on a spread of charts before anything is measured (bench/render.ts says why).
  for (let round = 0; round < 3; round++) {
    for (const kind of ["line", "bar"] as const) {
      for (const count of [10, 1_000, 10_000]) {
        const spec = { kind, points: series(count), title: chartTitle(count) };
        await renderChart(spec, rasteriseWithResvgNode);
        if (typeof worker !== "string") await worker.sample(kind, count);
      }
    }
  }
  if (args.calibrate) {
    await calibrate(worker);
  } else {
    const ranked = await search();
    const issueUpload = (what: string, header: string): Drawn => {
      const csv = `${header}\n${Array.from({ length: 50 }, (_, i) => `d${i},${(i * 7) % 13}`).join("\n")}\n`;
      return { what, input: { kind: "line" }, csv, spec: csvSpec("line", csv) };
    };
    const issue = [
      issueUpload("issue 19's upload: a 120 KB header cell (day,AAAA…)", `day,${"A".repeat(120 * 1024)}`),
      issueUpload(
        "issue 19's upload: 200 KB of quoted line breaks in a header cell",
        `day,"${"a\n".repeat(100 * 1024)}"`,
      ),
    ];
    const top = ranked.slice(0, QUICK ? 4 : 12);
    const confirmed = await confirm(worker, [...top.map((t) => t.drawn), ...issue]);
    const ratio = (time: Time | null, reference: Time | null, clock: keyof Time) =>
      time && reference ? time[clock] / reference[clock] : NaN;
    const worstNode = confirmed.rows.reduce((a, b) =>
      ratio(b.node, confirmed.nodeOrdinary, "cpu") > ratio(a.node, confirmed.nodeOrdinary, "cpu") ? b : a,
    );
    const worstWorkerd = confirmed.rows.reduce((a, b) =>
      ratio(b.workerd, confirmed.workerdOrdinary, "cpu") > ratio(a.workerd, confirmed.workerdOrdinary, "cpu") ? b : a,
    );
    const health = await healthWhileRendering(worstNode.drawn, QUICK ? 5 : 15);
    const limit = typeof worker === "string" ? worker : await pastCpuLimit(worker);
    const loadAfter = loadavg()[0]!;

    const f = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
    const lines: string[] = [];
    lines.push(
      `Measured ${startedAt} UTC with \`npm run bench:render-adversarial${QUICK ? " -- --quick" : ""}\`: Node ${process.version}, ${cpus()[0]?.model.trim() ?? "unknown CPU"} (${cpus().length} cores), load average ${f(loadBefore)} at start → ${f(loadAfter)} at end${loadBefore > 1.5 || loadAfter > 1.5 ? " (**the machine was shared with other work: read the ratios, which compare charts measured side by side, more than the milliseconds**)" : ""}. ${typeof worker === "string" ? `workerd: ${worker}.` : "workerd: bench/render-worker.ts on bare workerd, the backend Worker's render path."}`,
    );
    lines.push("");
    lines.push(METHOD);
    lines.push("");
    lines.push(
      `**Ordinary chart** (a 1,000-point line with short labels and a short title): Node ${f(confirmed.nodeOrdinary.wall)} ms wall, ${f(confirmed.nodeOrdinary.cpu)} ms CPU; workerd ${f(confirmed.workerdOrdinary?.wall ?? NaN)} ms wall, ${f(confirmed.workerdOrdinary?.cpu ?? NaN)} ms CPU (medians of ${QUICK ? 5 : 9}).`,
    );
    lines.push("");
    lines.push(
      `**The search** (${ranked.length} inputs through the real parsers, each within the documented limits: a random sample, then coordinate ascent from the costliest) ranked them on Node; the costliest ${top.length}, and the issue's two uploads, measured again on both runtimes:`,
    );
    lines.push("");
    lines.push(
      "| input | estimate (ordinary charts) | Node CPU ms | Node ÷ ordinary (CPU) | Node ÷ ordinary (wall) | workerd CPU ms | workerd ÷ ordinary (CPU) | workerd ÷ ordinary (wall) |",
    );
    lines.push("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of confirmed.rows) {
      lines.push(
        `| ${row.drawn.what} | ${f(row.estimate)} | ${f(row.node.cpu)} | ${f(ratio(row.node, confirmed.nodeOrdinary, "cpu"))}× | ${f(ratio(row.node, confirmed.nodeOrdinary, "wall"))}× | ${f(row.workerd?.cpu ?? NaN)} | ${f(ratio(row.workerd, confirmed.workerdOrdinary, "cpu"))}× | ${f(ratio(row.workerd, confirmed.workerdOrdinary, "wall"))}× |`,
      );
    }
    lines.push("");
    lines.push(
      `**/health while the costliest chart renders on Node** (${worstNode.drawn.what}): \`startBackendServer\` with its render threads (${health.threads}, warmed), ${health.threads} clients sending that chart as a job back to back for ${QUICK ? 5 : 15} s (${health.renders} renders, statuses ${JSON.stringify(health.statuses)}), and GET /health every 20 ms; counted are the ${health.probes} probes sent and answered while a job was in flight: p50 ${f(health.p50)} ms, p99 ${f(health.p99)} ms, max ${f(health.max)} ms.`,
    );
    lines.push("");
    if (typeof limit === "string") lines.push(`**workerd past cpu_ms:** not measured (${limit}).`);
    else {
      lines.push(
        `**workerd past cpu_ms** (${CPU_MS_LIMIT} ms in wrangler.backend.toml): a request computing without a pause for ${f(limit.cpuMs, 0)} ms of CPU answered ${limit.status} after ${f(limit.wallMs, 0)} ms: workerd, as run locally (\`wrangler dev\` runs the same), enforces no CPU limit. Of ${limit.probes} other requests to the same Worker sent 0.1–0.9 s into it, ${limit.answeredAfter} were answered only after it ended (waits ${f(limit.shortestWait, 0)}–${f(limit.longestWait, 0)} ms): an isolate runs one request's JavaScript at a time, so a request that computes holds every other request of its isolate for as long.`,
      );
    }
    lines.push("");
    const checks = [
      [
        `costliest within the limits on Node, CPU (${worstNode.drawn.what})`,
        `${f(ratio(worstNode.node, confirmed.nodeOrdinary, "cpu"))}×`,
        `≤ ${TARGET_RATIO}×`,
        ratio(worstNode.node, confirmed.nodeOrdinary, "cpu") <= TARGET_RATIO,
      ],
      [
        `costliest within the limits in workerd, CPU (${worstWorkerd.drawn.what})`,
        `${f(ratio(worstWorkerd.workerd, confirmed.workerdOrdinary, "cpu"))}×`,
        `≤ ${TARGET_RATIO}×`,
        ratio(worstWorkerd.workerd, confirmed.workerdOrdinary, "cpu") <= TARGET_RATIO,
      ],
      [
        "/health while it renders on Node, max",
        `${f(health.max)} ms`,
        `≤ ${TARGET_HEALTH_MS} ms`,
        health.max <= TARGET_HEALTH_MS,
      ],
    ] as const;
    lines.push("| target | measured | required | |\n|---|---:|---:|---|");
    for (const [what, measured, required, ok] of checks)
      lines.push(`| ${what} | ${measured} | ${required} | ${ok ? "✅ met" : "❌ missed"} |`);
    const body = lines.join("\n");
    console.log(body);
    if (!args["no-write"] && !QUICK)
      writeSection(join(ROOT, "BENCHMARKS.md"), body, "## Render cost (adversarial inputs)");
  }
} finally {
  if (typeof worker !== "string") await worker.stop();
}
