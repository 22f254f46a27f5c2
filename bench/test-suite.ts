/**
 * `npm test` on a fresh clone, as CI and a new contributor run it: the committed tree (HEAD, or --ref) cloned into a
 * temporary folder, `npm ci`, then `npm test` timed from start to exit. Prints the wall time of each, the CPU time
 * of npm test and everything it started (Linux: the children's times in /proc/self/stat), the load average before
 * and after (another engineer's build makes a run meaningless: say so), the summary npm test prints (one line per
 * step) and the slowest test files from vitest's JSON report.
 *
 *   node bench/test-suite.ts [--ref REF] [--keep]
 *
 * `--ref` measures another commit (e.g. the one before a change) the same way. Nothing is written to BENCHMARKS.md:
 * copy the figures with the load average they were measured at.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ROOT = join(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: { ref: { type: "string", default: "HEAD" }, keep: { type: "boolean", default: false } },
});

/** User + system seconds of this process's waited-for children and their descendants, or null off Linux. */
function childrenCpuSeconds(): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence from the last ")"): cutime and cstime are 14th/15th.
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return null;
  }
}

function run(
  command: string,
  commandArgs: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let buffered = "";
    const take = (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) onLine?.(line);
    };
    child.stdout.setEncoding("utf8").on("data", take);
    child.stderr.setEncoding("utf8").on("data", take);
    child.once("close", (code) => resolve({ code, seconds: (performance.now() - started) / 1000 }));
  });
}

const dir = mkdtempSync(join(tmpdir(), "bench-test-suite-"));
const clone = join(dir, "repo");
const report = join(dir, "vitest.json");
const env: NodeJS.ProcessEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  VITEST_JSON_REPORT: report,
};
try {
  execFileSync("git", ["clone", "--quiet", "--no-checkout", ROOT, clone]);
  execFileSync("git", ["checkout", "--quiet", args.ref], { cwd: clone });
  const commit = execFileSync("git", ["log", "-1", "--format=%h %s"], { cwd: clone, encoding: "utf8" }).trim();
  console.log(`bench(test-suite): ${commit.slice(0, 100)}`);
  console.log(
    `  load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );

  const install = await run("npm", ["ci", "--no-audit", "--no-fund"], clone, env);
  if (install.code !== 0) throw new Error(`bench(test-suite): npm ci failed (exit ${install.code}) in ${clone}`);
  console.log(`  npm ci: ${install.seconds.toFixed(1)} s`);

  const cpuBefore = childrenCpuSeconds();
  const summary: string[] = [];
  let inSummary = false;
  const test = await run("npm", ["test"], clone, env, (line) => {
    if (line.startsWith("npm test:")) inSummary = true;
    if (inSummary) summary.push(line);
  });
  const cpuAfter = childrenCpuSeconds();
  const cpu = cpuBefore === null || cpuAfter === null ? "n/a" : `${(cpuAfter - cpuBefore).toFixed(0)} s`;
  console.log(
    `  npm test: ${test.seconds.toFixed(1)} s wall, ${cpu} CPU (user + system, every process it started), exit ${test.code}`,
  );
  console.log(
    `  load average after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  for (const line of summary) console.log(`  ${line}`);

  const json = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: Array<{ name: string; startTime: number; endTime: number }>;
  };
  console.log(`  tests: ${json.numPassedTests} passed, ${json.numFailedTests} failed; slowest files:`);
  const files = json.testResults
    .map((file) => ({ name: file.name.slice(clone.length + 1), seconds: (file.endTime - file.startTime) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds);
  for (const file of files.slice(0, 12)) console.log(`    ${file.seconds.toFixed(1).padStart(6)} s  ${file.name}`);
  console.log(
    `    sum of all ${files.length} files: ${files.reduce((sum, file) => sum + file.seconds, 0).toFixed(0)} s`,
  );
} finally {
  if (args.keep) console.log(`  kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
