// Applies the D1 migrations before the tests of each file (storage is isolated per test file).
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { failOnSpecViolations } from "../support/spec-watch.ts";
import { flushUsageEveryMsForTests } from "../../src/worker/kit/analytics/record.ts";

await applyD1Migrations(
  env.DB!,
  (env as unknown as { TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS,
);

// Every body the Worker sends to the emulated Discord must satisfy Discord's API description
// (test/support/spec-watch.ts).
failOnSpecViolations();

// Each interaction's usage count is sent when its request ends rather than up to a second later (one send per
// second per isolate in production), so a test that waits for its requests sees their counts. The interval
// itself is tested in usage.test.ts.
flushUsageEveryMsForTests(0);
