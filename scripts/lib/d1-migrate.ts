// The local D1 database's migrations for the stack, in one runtime: `node d1-migrate.ts <root> <persist-to>`.
//
// `wrangler d1 migrations apply DB --local` starts a fresh runtime (workerd) for every migration: with nine
// migrations that was 24 s of a cold `npm start` (BENCHMARKS.md, "npm start"). This applies them all through one
// (wrangler's getPlatformProxy: wrangler.toml's binding, database id and the persistence folder `wrangler dev
// --persist-to` uses), with wrangler's own bookkeeping: the same d1_migrations table, one row per applied file, each
// file and its row in one batch (a transaction), so `wrangler d1 migrations apply --local` and this agree on what is
// applied. It runs as its own process under a watchdog (processes.ts), like every runtime the stack starts.

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startProcess, type Managed } from "./processes.ts";

const BINDING = "DB";

/** Starts the migration process; its output lines go to `log`, `exited` resolves with its exit code. */
export function startD1Migrations(root: string, persistTo: string, log: (line: string) => void): Managed {
  return startProcess("D1 migrations", process.execPath, [import.meta.filename, root, persistTo], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    onOutput: log,
  });
}

/** The part of D1's binding used here (the Workers types are not in the Node project). */
interface D1 {
  prepare(query: string): { run(): Promise<unknown>; all<T>(): Promise<{ results: T[] }> };
  batch(statements: unknown[]): Promise<unknown>;
}
interface D1Config {
  binding: string;
  migrations_dir?: string;
  migrations_table?: string;
}

const quote = (id: string) => `"${id.replace(/"/g, '""')}"`;

async function migrate(root: string, persistTo: string): Promise<void> {
  // wrangler logs through its own logger; "Using secrets defined in .dev.vars" is noise for a migration.
  process.env.WRANGLER_LOG = "warn";
  const { getPlatformProxy, unstable_readConfig, unstable_splitSqlQuery } = await import("wrangler");
  const configPath = join(root, "wrangler.toml");
  const database = (unstable_readConfig({ config: configPath }).d1_databases as D1Config[]).find(
    (d) => d.binding === BINDING,
  );
  if (!database) throw new Error(`d1-migrate: wrangler.toml has no D1 database bound as ${BINDING}`);
  const dir = resolve(root, database.migrations_dir ?? "migrations");
  const table = quote(database.migrations_table ?? "d1_migrations");
  // wrangler dev --persist-to X keeps its state in X/v3.
  const proxy = await getPlatformProxy<{ DB: D1 }>({ configPath, persist: { path: join(persistTo, "v3") } });
  try {
    const db = proxy.env.DB;
    await db
      .prepare(
        `CREATE TABLE IF NOT EXISTS ${table}(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
      )
      .run();
    const applied = new Set(
      (await db.prepare(`SELECT name FROM ${table}`).all<{ name: string }>()).results.map(
        (row: { name: string }) => row.name,
      ),
    );
    const files = readdirSync(dir)
      .filter((name) => name.endsWith(".sql"))
      .sort();
    const pending = files.filter((name) => !applied.has(name));
    for (const name of pending) {
      const sql = `${readFileSync(join(dir, name), "utf8")}\nINSERT INTO ${table} (name) VALUES ('${name.replace(/'/g, "''")}');`;
      try {
        await db.batch(unstable_splitSqlQuery(sql).map((query) => db.prepare(query)));
      } catch (error) {
        throw new Error(
          `d1-migrate: ${name} failed: ${((error as { cause?: Error }).cause ?? (error as Error)).message}`,
        );
      }
    }
    console.log(
      pending.length === 0
        ? `d1: ${files.length} migrations, all applied already`
        : `d1: applied ${pending.join(", ")}`,
    );
  } finally {
    await proxy.dispose();
  }
}

if (import.meta.main) {
  const [root, persistTo] = process.argv.slice(2);
  if (!root || !persistTo) {
    console.error("d1-migrate: usage: node d1-migrate.ts <project root> <persist-to folder>");
    process.exit(2);
  }
  migrate(root, persistTo).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
