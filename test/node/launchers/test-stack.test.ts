// The test helper that starts a stack (test/support/test-stack.ts) is a launcher too: a test process that ends,
// by a signal or SIGKILL (a timeout, a crashed worker), must not leave its wrangler and workerd behind (issue 22).
// Here a Node process holds a test stack as a test file would, and is stopped as vitest or a harness stops it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../../scripts/lib/processes.ts";
import { describeLifetimes, launch } from "../../support/launcher.ts";
import { ROOT } from "../../support/test-stack.ts";

const HOLDER = `
import { startTestStack } from ${JSON.stringify(join(ROOT, "test", "support", "test-stack.ts"))};
await startTestStack("launcher-test-stack", { ports: { worker: Number(process.env.WORKER_PORT) } });
console.log("test stack: up");
setInterval(() => {}, 60_000);
`;

describeLifetimes("a test stack (startTestStack)", async () => {
  // The stack's folder goes to this TMPDIR, removed after the test whatever happened to the holder.
  const tmp = mkdtempSync(join(tmpdir(), "launcher-test-stack-"));
  const port = await freePort();
  const launched = launch([process.execPath, "--input-type=module", "-e", HOLDER], {
    cwd: ROOT,
    env: { ...process.env, TMPDIR: tmp, WORKER_PORT: String(port) },
  });
  return {
    launched,
    ports: [port],
    healthUrl: `http://127.0.0.1:${port}/health`,
    launcher: () => launched.processes().find((p) => p.pid === launched.child.pid),
    startsWith: (p) => p.command.includes("wrangler.js dev"),
    ready: /^test stack: up$/,
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
});
