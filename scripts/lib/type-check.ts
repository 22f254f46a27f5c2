// The Worker's type-check for npm start's dev loop (dev-loop.ts): tsc -p tsconfig.worker.json, the Worker's own sources
// (src/worker, src/shared: what wrangler dev bundles and the loop watches) against the Workers runtime's types. Not
// tsconfig.json, which checks them with their tests: ≈ 11 CPU-s against ≈ 2 on a cold start (BENCHMARKS.md,
// "npm test"); `npm run typecheck` and `npm test` check the tests. Incremental, so a check after one edit re-reads
// only what the edit touched. Its build info lives with the local state (.wrangler/), never in the tree. tsc runs under
// a watchdog like every process the stack starts (processes.ts): it never outlives npm start, however that ends.

import { join } from "node:path";
import { startProcess } from "./processes.ts";

export interface TypeCheck {
  ok: boolean;
  /** Each error as tsc prints it, the first line of each: `src/worker/x.ts(3,5): error TS2322: …`. */
  errors: string[];
}

/** `signal` stops tsc (npm start stopping); the promise then rejects with its reason. */
export async function typeCheck(root: string, buildInfoFile: string, signal?: AbortSignal): Promise<TypeCheck> {
  signal?.throwIfAborted();
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const output: string[] = [];
  const run = startProcess(
    "type-check (tsc)",
    process.execPath,
    [
      tsc,
      "-p",
      join(root, "tsconfig.worker.json"),
      "--incremental",
      "--tsBuildInfoFile",
      buildInfoFile,
      "--pretty",
      "false",
    ],
    { cwd: root, env: process.env, onOutput: (line) => output.push(line) },
  );
  const stop = () => void run.stop();
  signal?.addEventListener("abort", stop, { once: true });
  const code = await run.exited;
  signal?.removeEventListener("abort", stop);
  if (signal?.aborted) throw signal.reason;
  const errors = output.filter((line) => /\berror TS\d+:/.test(line));
  // tsc exits 2 with errors it printed; anything else (no tsc, a crash) is not a verdict on the code.
  if (code !== 0 && errors.length === 0)
    throw new Error(
      `type-check: tsc failed (exit ${code}) without reporting errors: ${output.find((line) => line.trim()) ?? "no output"}`,
    );
  return { ok: errors.length === 0, errors };
}
