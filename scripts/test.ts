// `npm test`: the whole gate in one command, its steps at the same time. The tests (vitest) spend most of their
// time waiting on the processes they start (wrangler dev, workerd, a browser); the static checks (Biome, the two
// type-checks, knip) need only CPU, so they run beside the tests instead of before them, at a lower priority so
// the tests' own processes come first. The tests print as they go; the checks' output is printed after them, one
// block per check, and a summary names every step with its time. The exit status is non-zero when any step failed.
//
// Arguments go to vitest: `npm test -- test/worker/roll.test.ts` checks everything and runs that file's tests.

import { spawn } from "node:child_process";
import { setPriority } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

interface Step {
  name: string;
  command: string;
  args: string[];
  /** The tests print live; a check's output waits until it ends, so that lines of different steps never mix. */
  live?: boolean;
}

const steps: Step[] = [
  { name: "lint + format (Biome)", command: bin("biome"), args: ["check", "--error-on-warnings"] },
  { name: "type-check (Worker)", command: bin("tsc"), args: ["-p", "tsconfig.json"] },
  { name: "type-check (Node)", command: bin("tsc"), args: ["-p", "tsconfig.node.json"] },
  // The Worker's sources alone, as npm start's dev loop checks them (scripts/lib/type-check.ts): ≈ 2 CPU-s.
  { name: "type-check (Worker src)", command: bin("tsc"), args: ["-p", "tsconfig.worker.json"] },
  { name: "unused code (knip)", command: bin("knip"), args: ["--no-progress"] },
  { name: "tests (vitest)", command: bin("vitest"), args: ["run", ...process.argv.slice(2)], live: true },
];

interface Outcome {
  step: Step;
  code: number | string;
  seconds: number;
  /** A check's output (empty for the tests, which printed theirs). */
  text: string;
}

function run(step: Step): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, {
      cwd: root,
      stdio: step.live ? "inherit" : ["ignore", "pipe", "pipe"],
    });
    if (!step.live && child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // Not allowed here: it runs at normal priority, which only makes the tests wait a little longer for CPU.
      }
    }
    const output: string[] = [];
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
    const finish = (code: number | string) => {
      resolve({ step, code, seconds: (performance.now() - started) / 1000, text: output.join("").trimEnd() });
    };
    child.once("error", (error) => finish(error.message));
    child.once("close", (code, signal) => finish(code ?? signal ?? "unknown"));
  });
}

// Ctrl-C reaches every step (same process group); this process waits for them to end and reports.
process.on("SIGINT", () => {});

const outcomes = await Promise.all(steps.map(run));
// tsc and knip print nothing when they pass; whatever a check printed is shown, a failure's reasons above all.
for (const { step, code, text } of outcomes)
  if (text !== "") console.log(`\n── ${step.name}: ${code === 0 ? "passed" : "FAILED"} ──\n${text}`);
console.log("\nnpm test:");
for (const { step, code, seconds } of outcomes)
  console.log(
    `  ${code === 0 ? "✓" : "✗"} ${step.name.padEnd(24)} ${seconds.toFixed(1).padStart(6)} s${code === 0 ? "" : `  (exit ${code})`}`,
  );
const failed = outcomes.filter((outcome) => outcome.code !== 0);
if (failed.length > 0) console.log(`\nnpm test: FAILED: ${failed.map((outcome) => outcome.step.name).join(", ")}`);
process.exit(failed.length > 0 ? 1 : 0);
