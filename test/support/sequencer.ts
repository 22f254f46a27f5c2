// The order test files start in. Files run several at a time (vitest.config.ts: maxWorkers), and a run lasts at
// least as long as its longest file plus whatever started before it, so the long ones go first. vitest's own order
// (longest first by the durations it cached) needs a previous run; on a fresh clone (CI, a new contributor) it has
// none and falls back to file size, which puts the end-to-end files (short files that start wrangler, a stack or a
// browser, 10-60 s each) last, where they alone make the tail of the run. So: a file that starts real processes is
// long, whatever its size; among the rest, vitest's order, one project after the other: the workerd files and the
// Node files that start no process share their runtimes (vitest.config.ts, isolate: false), and vitest keeps a
// runtime only while the next file it gives that worker is of the same project. Interleaved (a Node file, then a
// workerd file, …) every file started a runtime of its own again: 166 CPU-s for these 100 files instead of ≈ 60.

import { readFileSync } from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** What a test file calls when it starts a real process (wrangler dev, a stack, a backend, Chromium, a script). */
const STARTS_PROCESSES =
  /\b(relayFaultsEndToEnd|backendContract|startTestStack|openPlayground|startStack|startBackendWorker|startBackendProcess|startWranglerDev|startWrangler|launchChromium|launch|describeLifetimes|execFile|spawn|startProcess)\(/;

/** Whether the test file at `path` starts real processes (vitest.config.ts runs those each in a fresh worker). */
export function fileStartsProcesses(path: string): boolean {
  return STARTS_PROCESSES.test(readFileSync(path, "utf8"));
}

function startsProcesses(spec: TestSpecification, cache: Map<string, boolean>): boolean {
  let known = cache.get(spec.moduleId);
  if (known === undefined) {
    known = fileStartsProcesses(spec.moduleId);
    cache.set(spec.moduleId, known);
  }
  return known;
}

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = new Map<string, boolean>();
    const sorted = await super.sort(files);
    // Stable: within each class, vitest's order (cached durations when it has them, else size).
    const long = sorted.filter((spec) => startsProcesses(spec, cache));
    const rest = sorted.filter((spec) => !startsProcesses(spec, cache));
    return [...long, ...groupByProject(rest)];
  }
}

/** a1 a2 … b1 b2 …: each project's files together, in its own order, the projects in the order they first appear. */
function groupByProject(specs: TestSpecification[]): TestSpecification[] {
  const byProject = new Map<string, TestSpecification[]>();
  for (const spec of specs) {
    const list = byProject.get(spec.project.name) ?? [];
    list.push(spec);
    byProject.set(spec.project.name, list);
  }
  return [...byProject.values()].flat();
}
