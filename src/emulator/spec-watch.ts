// Who hears of a body Discord's API description refuses, or of a broken rule: conformance.ts reports, the test
// suites listen (test/support/spec-watch.ts). Apart from conformance.ts so that listening does not load Discord's
// API schemas: a test file that never starts an emulator would otherwise pay ≈ 0.25 s of CPU for them.
import type { SpecViolation } from "./conformance.ts";

type Watcher = (violation: SpecViolation) => void;
const watchers = new Set<Watcher>();

/** Test harnesses watch every violation any emulator in this process sees; returns the unsubscribe function. */
export function watchSpecViolations(watcher: Watcher): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** Tells every watcher (conformance.ts, for each violation it reports). */
export function notifySpecWatchers(found: SpecViolation): void {
  for (const watcher of watchers) watcher(found);
}
