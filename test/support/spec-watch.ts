// Conformance with Discord's API description in every test: one watcher per test file collects what any emulator
// in the process refused as non-conforming (src/emulator/conformance.ts), and each test fails if it saw one it did
// not take. A test that sends a non-conforming body on purpose takes (and asserts on) what it caused.
// The projects' setup files install it; it does not load Discord's API schemas (src/emulator/spec-watch.ts), so a
// test file that starts no emulator does not pay for them. Checking a body directly: test/support/spec.ts.

import { afterEach, beforeEach } from "vitest";
import type { SpecViolation } from "../../src/emulator/conformance.ts";
import { watchSpecViolations } from "../../src/emulator/spec-watch.ts";

const seen: SpecViolation[] = [];
/** One watcher per module instance: files that share one (vitest's isolate: false) run the setup file each. */
let watching = false;

/** Installs the per-test check; called once per test file by the projects' setup files. */
export function failOnSpecViolations(): void {
  if (!watching) watchSpecViolations((violation) => seen.push(violation));
  watching = true;
  beforeEach(() => {
    seen.length = 0;
  });
  afterEach(() => {
    if (seen.length === 0) return;
    const lines = seen.splice(0).map((v) => `  - ${v.message}`);
    throw new Error(
      `spec: Discord's API description refuses ${lines.length} bod${lines.length === 1 ? "y" : "ies"} this test made the bot send:\n${lines.join("\n")}`,
    );
  });
}

/** The violations seen so far in this test, which then no longer fail it (for tests of refusing bad bodies). */
export function takeSpecViolations(): SpecViolation[] {
  return seen.splice(0);
}
