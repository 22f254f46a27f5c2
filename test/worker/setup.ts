// Each test file starts from empty storage: the D1 database with just the migrations applied, and empty KV.
// Most files share one runtime (vitest.config.ts, WORKER_STATE_OF_THEIR_OWN), so what an earlier file wrote is
// removed here rather than by a fresh runtime.
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { failOnSpecViolations } from "../support/spec-watch.ts";
import { flushUsageEveryMsForTests } from "../../src/worker/kit/analytics/record.ts";

const db = env.DB!;
// Every table, the migrations' bookkeeping (d1_migrations) included, in one transaction: foreign keys are checked
// at its end, when the tables that hold them are gone too. sqlite_* and _cf_* belong to SQLite and the runtime.
const tables = await db
  .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
  .all<{ name: string }>();
if (tables.results.length > 0)
  await db.batch([
    db.prepare("PRAGMA defer_foreign_keys = on"),
    ...tables.results.map(({ name }) => db.prepare(`DROP TABLE "${name.replace(/"/g, '""')}"`)),
  ]);
await applyD1Migrations(
  db,
  (env as unknown as { TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS,
);

for (const kv of [env.CHART_DATA, env.CHART_CACHE]) {
  if (!kv) continue;
  for (let cursor: string | undefined, done = false; !done; ) {
    const page = await kv.list(cursor ? { cursor } : {});
    await Promise.all(page.keys.map(({ name }) => kv.delete(name)));
    done = page.list_complete;
    cursor = page.list_complete ? undefined : page.cursor;
  }
}

// Every body the Worker sends to the emulated Discord must satisfy Discord's API description
// (test/support/spec-watch.ts).
failOnSpecViolations();

// Each interaction's usage count is sent when its request ends rather than up to a second later (one send per
// second per isolate in production), so a test that waits for its requests sees their counts. The interval
// itself is tested in usage.test.ts.
flushUsageEveryMsForTests(0);
