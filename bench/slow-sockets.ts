/**
 * The backend under slow-body sockets: what anyone can do without the relay secret. Each attacking socket sends
 * a relay request's headers (well-formed, fresh timestamp, a MAC that will not match), declares a body of
 * `--declare` bytes, sends all of it but the last `--hold` bytes, then stalls. Evicted or timed-out sockets
 * reconnect at once, so `--sockets` stay in play for the whole run. Meanwhile a signed chart job is sent every
 * 500 ms, as the Worker would. The backend is `npm run backend` (node src/backend/server.ts) in its own process;
 * its RSS is sampled from /proc every 50 ms.
 *
 *   npm run bench:slow-sockets                      1,000 sockets, 2 MiB declared, 64 KiB held back, 15 s
 *   npm run bench:slow-sockets -- --no-write        print only
 *   npm run bench:slow-sockets -- --sockets 150 --seconds 5
 *
 * Targets (BENCHMARKS.md, "Slow sockets"): RSS grows by at most 64 MiB over the idle, warmed-up backend, and
 * every signed job succeeds. Linux only (/proc).
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { startProcess } from "../scripts/lib/processes.ts";
import { relayHeaders } from "../src/shared/relay-signature.ts";
import { median } from "./load.ts";
import { checksTable, writeSection } from "./report.ts";

const ROOT = join(import.meta.dirname, "..");
const TITLE = "## Slow sockets (backend, unauthenticated bodies)";
const MiB = 1024 * 1024;
const RSS_TARGET_MIB = 64;

const { values: args } = parseArgs({
  options: {
    sockets: { type: "string", default: "1000" },
    declare: { type: "string", default: String(2 * MiB) },
    hold: { type: "string", default: String(64 * 1024) },
    seconds: { type: "string", default: "15" },
    "no-write": { type: "boolean", default: false },
  },
});
const socketCount = Number(args.sockets);
const declared = Number(args.declare);
const heldBack = Number(args.hold);
const seconds = Number(args.seconds);
for (const [name, value] of Object.entries({ sockets: socketCount, declare: declared, hold: heldBack, seconds })) {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`bench(slow-sockets): --${name} must be a positive number`);
}
if (heldBack >= declared) throw new Error("bench(slow-sockets): --hold must be less than --declare");

const SECRET = "slow-sockets-bench-secret";
const WRONG = "not-the-relay-secret";

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!kib) throw new Error(`bench(slow-sockets): no VmRSS in /proc/${pid}/status`);
  return Number(kib[1]) * 1024;
}

// ---- the backend ----
let startedUrl: string | undefined;
const backend = startProcess("backend", process.execPath, [join(ROOT, "src/backend/server.ts")], {
  cwd: ROOT,
  env: { PATH: process.env.PATH ?? "", RELAY_SECRET: SECRET, PORT: "0", HOST: "127.0.0.1" },
  onOutput: (line) => {
    if (!line.startsWith("{")) return;
    const event = JSON.parse(line) as { event?: string; url?: string };
    if (event.event === "backend_started") startedUrl = event.url;
  },
});
const stopBackend = () => backend.stop(2_000);
process.once("SIGINT", () => void stopBackend().then(() => process.exit(130)));

for (let waited = 0; startedUrl === undefined; waited += 50) {
  if (waited > 15_000) throw new Error("bench(slow-sockets): the backend did not start within 15 s");
  await sleep(50);
}
const url = new URL(startedUrl);
const pid = backend.child.pid!;

let jobCounter = 0;
async function signedJob(): Promise<{ ok: boolean; ms: number; status: number }> {
  const body = JSON.stringify({
    id: `bench${++jobCounter}`,
    input: { kind: "line", values: "3, 1, 4, 1, 5, 9, 2, 6" },
  });
  const started = performance.now();
  try {
    const response = await fetch(`${url.origin}/v1/jobs/chart`, {
      method: "POST",
      body,
      headers: { ...(await relayHeaders(SECRET, body)), "content-type": "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await response.json()) as { result?: { png?: string } };
    return {
      ok: response.status === 200 && typeof json.result?.png === "string",
      ms: performance.now() - started,
      status: response.status,
    };
  } catch {
    return { ok: false, ms: performance.now() - started, status: 0 };
  }
}

// Warm up as a working backend would be: 3 s of signed jobs, four at a time (its default concurrency), so the
// renderer, the fonts and V8's heap have reached their working size; the baseline is the RSS after that.
const startedIdle = rssBytes(pid);
const warmUntil = performance.now() + 3_000;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (performance.now() < warmUntil)
      if (!(await signedJob()).ok) throw new Error("bench(slow-sockets): a warm-up job failed");
  }),
);
await sleep(1_000);

/** Signed jobs every 500 ms for `ms`, with RSS sampled every 50 ms: the same legitimate load in both phases. */
async function phase(
  ms: number,
): Promise<{ samples: number[]; jobs: Array<{ ok: boolean; ms: number; status: number }> }> {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssBytes(pid)), 50);
  const jobs: Array<{ ok: boolean; ms: number; status: number }> = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    jobs.push(await signedJob());
    await sleep(500);
  }
  clearInterval(sampler);
  return { samples, jobs };
}

// The control: the same legitimate load without attackers, so the growth below is what the attack adds, not what
// rendering charts costs (resvg's buffers, V8's young generation and GC timing move RSS by tens of MiB on their own).
const control = await phase(seconds * 1000);
if (!control.jobs.every((job) => job.ok)) throw new Error("bench(slow-sockets): a job failed without any attack");
// Growth is counted from the control's median (its steady state), against the attack's peak: the strict reading.
const baseline = median(control.samples);

// ---- the attack ----
const headerBlock = `${Object.entries(await relayHeaders(WRONG, "x"))
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join("")}`;
const head = `POST /v1/jobs/chart HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n${headerBlock}\r\n`;
// One shared chunk: socket.write keeps a reference, not a copy, so the attacker's own memory stays small.
const CHUNK = Buffer.alloc(64 * 1024, 0x78);
const tally = { opened: 0, evicted: 0, timedOut: 0, refused: 0, otherStatus: 0, reset: 0 };
let running = true;
const live = new Set<Socket>();

function attack(): void {
  if (!running) return;
  const socket = connect(Number(url.port), url.hostname);
  tally.opened++;
  live.add(socket);
  let answered = false;
  socket.on("data", (chunk: Buffer) => {
    if (answered) return;
    answered = true;
    const status = /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString("latin1"))?.[1];
    if (status === "503") tally.evicted++;
    else if (status === "408") tally.timedOut++;
    else if (status === "413" || status === "401") tally.refused++;
    else tally.otherStatus++;
  });
  socket.on("error", () => {
    if (!answered) tally.reset++;
    answered = true;
  });
  socket.on("close", () => {
    live.delete(socket);
    setImmediate(attack); // keep the pressure constant
  });
  socket.on("connect", () => {
    socket.write(head);
    let remaining = declared - heldBack;
    const pump = () => {
      while (remaining > 0 && !socket.destroyed) {
        const piece = remaining >= CHUNK.length ? CHUNK : CHUNK.subarray(0, remaining);
        remaining -= piece.length;
        if (!socket.write(piece)) return void socket.once("drain", pump);
      }
    };
    pump();
  });
}

const attackStarted = performance.now();
const opening = (async () => {
  for (let i = 0; i < socketCount; i++) {
    attack();
    if (i % 100 === 99) await sleep(10); // let connects complete instead of queueing 1,000 in the backlog at once
  }
})();
const { samples, jobs } = await phase(seconds * 1000);
await opening;
const attackSeconds = (performance.now() - attackStarted) / 1000;
const liveAtEnd = live.size;
running = false;
for (const socket of live) socket.destroy();
await sleep(200);
const health = await fetch(`${url.origin}/health`)
  .then((r) => r.status)
  .catch(() => 0);
await stopBackend();

// ---- report ----
const peak = Math.max(...samples);
const growthMiB = (peak - baseline) / MiB;
const okJobs = jobs.filter((job) => job.ok).length;
const fmt = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const checks = [
  {
    what: "backend RSS growth under the attack (its peak − the control's median)",
    value: `${growthMiB.toFixed(1)} MiB`,
    target: `≤ ${RSS_TARGET_MIB} MiB`,
    ok: growthMiB <= RSS_TARGET_MIB,
  },
  {
    what: "signed chart jobs that succeeded during the attack",
    value: `${okJobs} of ${jobs.length}`,
    target: "all (≥ 1)",
    ok: jobs.length > 0 && okJobs === jobs.length,
  },
];
const body = [
  `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:slow-sockets\`: ${socketCount.toLocaleString("en-US")} sockets without the relay secret, each declaring ${fmt(declared)} and holding back the last ${(heldBack / 1024).toFixed(0)} KiB, reconnecting whenever the backend closes one, for ${attackSeconds.toFixed(0)} s; a signed chart job every 500 ms meanwhile, and in a control phase of the same length before it. Backend: \`npm run backend\` with default limits, its own process, RSS from /proc every 50 ms. Node ${process.version}, ${process.platform}.`,
  "",
  checksTable(checks),
  "",
  `- RSS: just started ${fmt(startedIdle)}; after a warm-up (3 s of signed jobs, 4 at a time), a control phase of ${seconds} s with the same signed jobs and no attack: median ${fmt(baseline)}, peak ${fmt(Math.max(...control.samples))}; under the attack: peak ${fmt(peak)}, median ${fmt(median(samples))}.`,
  `- Attacking connections opened: ${tally.opened.toLocaleString("en-US")} (${socketCount} at a time); answered 503 \`body_evicted\`: ${tally.evicted.toLocaleString("en-US")}; 408 \`body_timeout\`: ${tally.timedOut}; 401/413: ${tally.refused}; closed without an answer: ${tally.reset}; other: ${tally.otherStatus}; still open at the end: ${liveAtEnd}.`,
  `- Signed jobs: ${okJobs} of ${jobs.length} answered 200 with a PNG; latency p50 ${median(jobs.map((job) => job.ms)).toFixed(0)} ms, max ${Math.max(...jobs.map((job) => job.ms)).toFixed(0)} ms. /health after the attack: ${health}.`,
  "- Why it holds: the relay MAC covers the body's SHA-256 (a header), so a request without the secret is refused from its headers, before any of its body is read, and its connection is closed rather than drained; Node reads ahead at most 16 KiB per socket (src/backend/server-limits.ts). What is left is per-connection garbage that V8 collects as it goes, independent of the number of sockets. Signed senders (the Worker, or a captured request replayed within its 300 s) are bounded by the 8 MiB body budget, which evicts the oldest read (src/backend/body-budget.ts). Before these bounds, 150 such sockets took the backend from 192 to 498 MiB, linearly.",
].join("\n");
console.log(`\n${body}\n`);
if (!args["no-write"]) writeSection(join(ROOT, "BENCHMARKS.md"), body, TITLE);
process.exit(checks.every((check) => check.ok) ? 0 : 1);
