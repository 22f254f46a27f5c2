// The local stack for Node tests: the same startStack as `npm start`, on free ports, with its .dev.vars,
// dev key and wrangler state in a temporary folder, so a developer's files are never read or written. Its wrangler
// processes run under watchdogs (scripts/lib/watchdog.ts): a test process that ends without stop() (a timeout,
// a crash, SIGKILL) takes them down with it (test/node/launchers/test-stack.test.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../scripts/lib/processes.ts";
import { startStack, type Stack, type StackOptions } from "../../scripts/lib/stack.ts";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface TestStack {
  stack: Stack;
  /** The temporary folder holding the stack's config and state (also a scratch folder for the test). */
  dir: string;
  /** Every log line of every part, `[source] line`, to print when something fails. */
  output: string[];
  stop(): Promise<void>;
}

/** `ports` overrides the free ports it picks (the worker's) and the ones the system picks (backend, emulator). */
export async function startTestStack(
  prefix: string,
  options: Pick<StackOptions, "devPremiumSku" | "backend" | "ports" | "relayMode"> = {},
): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const output: string[] = [];
  const stack = await startStack({
    root: ROOT,
    configDir: dir,
    persistTo: join(dir, "state"),
    log: (source, line) => output.push(`[${source}] ${line}`),
    ...options,
    ports: { worker: await freePort(), backend: 0, emulator: 0, ...options.ports },
  }).catch((error: unknown) => {
    // startStack has stopped what it started; the folder goes too.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    stack,
    dir,
    output,
    async stop() {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
