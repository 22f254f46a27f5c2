// The backend's HTTP contract (test/support/backend-contract.ts) against the backend Worker in workerd, started
// exactly as `npm run backend:worker` starts it (wrangler dev with wrangler.backend.toml). Also: its replay
// store, a Durable Object per signature, outlives a restart, which the Node server's memory does not.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startBackendWorker } from "../../../scripts/lib/backend-worker.ts";
import { freePort } from "../../../scripts/lib/processes.ts";
import { backendContract, signed } from "../../support/backend-contract.ts";
import { ROOT } from "../../support/test-stack.ts";
import { SECRET } from "./support.ts";

async function startWorker(
  vars: { ATTACHMENT_HOSTS?: string; BACKEND_MAX_CONCURRENT?: string; BACKEND_RENDER_BUDGET?: string },
  persistTo: string,
  output: string[],
) {
  return startBackendWorker({
    root: ROOT,
    host: "127.0.0.1",
    port: await freePort(),
    vars: { RELAY_SECRET: SECRET, ...vars },
    persistTo,
    log: (line) => output.push(line),
  });
}

backendContract("backend Worker in workerd", async (attachmentHost, settings = {}) => {
  const state = mkdtempSync(join(tmpdir(), "backend-worker-contract-"));
  const budget = settings.renderBudget === undefined ? {} : { BACKEND_RENDER_BUDGET: String(settings.renderBudget) };
  const worker = await startWorker(
    { ATTACHMENT_HOSTS: attachmentHost, BACKEND_MAX_CONCURRENT: "1", ...budget },
    state,
    [],
  );
  return {
    url: worker.url,
    async stop() {
      await worker.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
});

describe("backend Worker replay store", () => {
  it("refuses a replay after the Worker restarts: the Durable Object keeps the signature", async () => {
    const state = mkdtempSync(join(tmpdir(), "backend-worker-replay-"));
    const output: string[] = [];
    try {
      const body = { id: "restart-1", input: { values: "1, 2" } };
      const request = await signed("http://placeholder", "chart", body);
      const send = (base: string) =>
        fetch(`${base}/v1/jobs/chart`, { method: "POST", headers: request.headers, body: JSON.stringify(body) });
      const first = await startWorker({}, state, output);
      expect((await send(first.url)).status).toBe(200);
      await first.stop();
      const second = await startWorker({}, state, output);
      try {
        const replay = await send(second.url);
        expect(replay.status, output.join("\n")).toBe(409);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 120_000);
});
