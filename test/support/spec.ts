// Bodies observed outside the emulator (the Worker's HTTP answer in Worker tests, a stubbed fetch) are held against
// Discord's API description with expectConforming, the emulator's own check (src/emulator/conformance.ts). What the
// emulators refuse fails the test by itself (test/support/spec-watch.ts, installed by the setup files).

import { checkAgainstSpec, type SpecOperation } from "../../src/emulator/conformance.ts";

export { SPEC_OPERATIONS } from "../../src/emulator/conformance.ts";
export { takeSpecViolations } from "./spec-watch.ts";

/** Throws, naming the schema and the field, when Discord's description refuses `body` for `operation`. */
export function expectConforming(operation: SpecOperation, body: unknown): void {
  const found = checkAgainstSpec(operation, body);
  if (found) throw new Error(`spec: ${found.message}\n  body: ${JSON.stringify(body).slice(0, 2000)}`);
}
