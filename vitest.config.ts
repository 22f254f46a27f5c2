import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: the Worker's tests run inside workerd (through miniflare); the backend, the Discord emulator,
// the scripts and the end-to-end tests run on Node.
// CI (.ci/run) asks for a JSON report too, to print its "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
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
                DISCORD_APPLICATION_ID: "100000000000000001",
                DISCORD_API_BASE: "https://discord.test/api/v10",
                DISCORD_TOKEN: "test-bot-token",
              },
            },
          }),
        ],
        test: { name: "worker", include: ["test/worker/**/*.test.ts"] },
      },
      {
        test: { name: "node", environment: "node", include: ["test/node/**/*.test.ts"], testTimeout: 30_000 },
      },
    ],
  },
});
