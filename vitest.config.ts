import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { generateKeyPairSync } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { defineConfig } from "vitest/config";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileStartsProcesses, LongFirstSequencer } from "./test/support/sequencer.ts";

// A fresh Ed25519 key pair per test run: the Worker gets the public key as a binding, the tests get the
// private key through `provide`/`inject` to sign interactions as Discord would.
const discordKeys = generateKeyPairSync("ed25519");
const discordPublicKey = (discordKeys.publicKey.export({ format: "der", type: "spki" }) as Buffer)
  .subarray(-32)
  .toString("hex");
const discordPrivateKey = (discordKeys.privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("hex");

// The D1 schema, applied by test/worker/setup.ts before every test file (storage is per file).
const migrations = await readD1Migrations("./migrations");

// Two projects: the Worker's tests run inside workerd (through miniflare); the backend, the Discord emulator,
// the scripts and the end-to-end tests run on Node. @cloudflare/vitest-plugin 1.5.0 depends on wrangler 4.156.2,
// whose workerd stops at 2026-11-09; package.json's "overrides" give it the project's wrangler and miniflare,
// so the tests run on the same workerd as `wrangler dev` and deployments, and wrangler.toml's date works.
// CI (.ci/run) asks for a JSON report too, to print its "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

/**
 * Test files at a time, both projects together. vitest's default is one less than the cores: 1 on a 2-core machine,
 * which ran the suite's ~100 files one after the other while most of them wait on processes they started (wrangler
 * dev, workerd, a browser) or on a time limit, with the CPU idle. On an idle machine, one more than the cores keeps
 * the CPU busy (BENCHMARKS.md, "npm test"). Other work already running (the load average) lowers it by one for
 * each full set of cores it keeps busy: on a saturated machine more files at a time would not make the run shorter,
 * only every process in it slower, and leave less room in the tests' waits for their processes to start; there it is
 * one at a time, as before. `--maxWorkers` overrides it.
 */
function testFilesAtATime(): number {
  const cores = availableParallelism();
  const busyCoreSets = Math.floor((loadavg()[0] ?? 0) / cores);
  return Math.max(1, cores + 1 - busyCoreSets);
}

/**
 * Worker test files that need a runtime of their own. Most files share one runtime (isolate: false): vitest's default
 * starts a workerd process and imports the whole module graph again for every file, ≈ 1.5 CPU-s each and most of
 * the ~130 CPU-s these ~40 files took; shared, they take ≈ 35 (BENCHMARKS.md, "npm test"). The setup file empties D1
 * and KV before each file, so storage is still per file. What it cannot empty is the Durable Objects' memory and the
 * rate-limit bindings' counters: the files here assert on those (the bot's one DiscordRateLimiter, the usage
 * counters) or on a fault that a chart another file drew would hide, so each runs in a fresh runtime, as before.
 */
const WORKER_STATE_OF_THEIR_OWN = [
  "test/worker/faults.test.ts",
  "test/worker/limiter.test.ts",
  "test/worker/usage.test.ts",
];

/** A project of Worker tests in workerd (the plugin's pool); `name` also names its runner Worker. */
function workerProject(name: string, include: string[], exclude: string[], isolate: boolean) {
  return {
    plugins: [
      cloudflareTest({
        // The interactions Worker's bindings, and a test-only entry that is both Workers: the interactions Worker's
        // fetch, the services Worker as the SERVICES entrypoint, and the Durable Object classes it hosts
        // (test/support/pool-entry.worker.ts says why).
        wrangler: { configPath: "./wrangler.toml" },
        main: "./test/support/pool-entry.worker.ts",
        miniflare: {
          // The pool also reads .dev.vars: pin every binding the tests rely on so a developer's local
          // values never change a result.
          bindings: {
            DISCORD_PUBLIC_KEY: discordPublicKey,
            DISCORD_APPLICATION_ID: "100000000000000001",
            DISCORD_API_BASE: "https://discord.test/api/v10",
            DISCORD_TOKEN: "test-bot-token",
            ADMIN_USER_IDS: "900000000000000009",
            BACKEND_URL: "",
            RELAY_SECRET: "",
            REPORT_CHANNEL_ID: "",
            TEST_MIGRATIONS: migrations,
          },
          // The classes the services Worker hosts, here in the Worker under test (wrangler.toml's script_name names a
          // Worker the pool does not run); SQLite-backed, as the services Worker's migrations declare them.
          durableObjects: {
            DISCORD_LIMITER: { className: "DiscordRateLimiter", useSQLite: true },
            USAGE: { className: "UsageCounters", useSQLite: true },
          },
          serviceBindings: {
            // POST /events is forwarded to the services Worker's fetch, the pool entry's ServicesWorker.
            SERVICES: { name: `vitest-plugin-runner-${name}`, entrypoint: "ServicesWorker" },
            // A second isolate of the bot for test/worker/limiter.test.ts: it shares the runner's (the Worker under
            // test's) DiscordRateLimiter through its own binding.
            LIMITER_PEER: "limiter-peer",
          },
          workers: [
            {
              name: "limiter-peer",
              modules: true,
              scriptPath: "./test/support/limiter-peer.js",
              compatibilityDate: "2026-11-17",
              durableObjects: {
                DISCORD_LIMITER: { className: "DiscordRateLimiter", scriptName: `vitest-plugin-runner-${name}` },
              },
            },
          ],
        },
      }),
    ],
    test: {
      name,
      include,
      exclude,
      // One runtime and one module graph for all of the project's files, or a fresh one per file (vitest's
      // default): see WORKER_STATE_OF_THEIR_OWN.
      isolate,
      setupFiles: ["./test/worker/setup.ts"],
      provide: { discordPrivateKey, discordPublicKey },
    },
  };
}

/**
 * The Node test files, split as the sequencer splits them (test/support/sequencer.ts): those that start processes
 * (a stack, wrangler, Chromium, a script) run each in a fresh vitest worker, as vitest does by default; the others
 * (≈ 55 files of the emulator, the backend, the scripts' libraries) share their workers (isolate: false), which
 * saves starting a worker process and importing the modules again for each: ≈ 0.5 CPU-s a file, 49 → 23 CPU-s for
 * them (BENCHMARKS.md, "npm test").
 */
const nodeFilesStartingProcesses = readdirSync(join(import.meta.dirname, "test", "node"), {
  recursive: true,
  encoding: "utf8",
})
  .filter((path) => path.endsWith(".test.ts"))
  .map((path) => `test/node/${path}`)
  .filter((path) => fileStartsProcesses(join(import.meta.dirname, path)));

/** A project of Node tests. */
function nodeProject(name: string, include: string[], exclude: string[], isolate: boolean) {
  return {
    test: {
      name,
      environment: "node",
      include,
      exclude,
      isolate,
      setupFiles: ["./test/node/setup.ts"],
      testTimeout: 30_000,
    },
  };
}

export default defineConfig({
  test: {
    maxWorkers: testFilesAtATime(),
    // The long files (end-to-end: they start processes) first, so none of them is left alone at the end.
    sequence: { sequencer: LongFirstSequencer },
    // Log lines of passing tests are noise; a failing test still shows its own.
    silent: "passed-only",
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
    projects: [
      workerProject("worker", ["test/worker/**/*.test.ts"], WORKER_STATE_OF_THEIR_OWN, false),
      workerProject("worker-isolated", WORKER_STATE_OF_THEIR_OWN, [], true),
      nodeProject("node", ["test/node/**/*.test.ts"], nodeFilesStartingProcesses, false),
      nodeProject("node-processes", nodeFilesStartingProcesses, [], true),
    ],
  },
});
