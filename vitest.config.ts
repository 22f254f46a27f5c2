import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { generateKeyPairSync } from "node:crypto";
import { defineConfig } from "vitest/config";

// A fresh Ed25519 key pair per test run: the Worker gets the public key as a binding, the tests get the
// private key through `provide`/`inject` to sign interactions as Discord would.
const discordKeys = generateKeyPairSync("ed25519");
const discordPublicKey = (discordKeys.publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("hex");
const discordPrivateKey = (discordKeys.privateKey.export({ format: "der", type: "pkcs8" }) as Buffer).toString("hex");

// The D1 schema, applied by test/worker/setup.ts before every test file (storage is per file).
const migrations = await readD1Migrations("./migrations");

// Two projects: the Worker's tests run inside workerd (through miniflare); the backend, the Discord emulator,
// the scripts and the end-to-end tests run on Node. @cloudflare/vitest-plugin 1.5.0 depends on wrangler 4.156.2,
// whose workerd stops at 2026-11-09; package.json's "overrides" give it the project's wrangler and miniflare,
// so the tests run on the same workerd as `wrangler dev` and deployments, and wrangler.toml's date works.
// CI (.ci/run) asks for a JSON report too, to print its "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    // Log lines of passing tests are noise; a failing test still shows its own.
    silent: "passed-only",
    reporters: jsonReport ? ["default", ["json", { outputFile: jsonReport }]] : ["default"],
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
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
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["./test/worker/setup.ts"],
          provide: { discordPrivateKey, discordPublicKey },
        },
      },
      {
        test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"], setupFiles: ["./test/node/setup.ts"], testTimeout: 30_000 },
      },
    ],
  },
});
