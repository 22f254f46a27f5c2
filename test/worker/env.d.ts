// Types for `cloudflare:workers` inside the workerd tests: the Worker's bindings and its main module (the pool's entry,
// test/support/pool-entry.worker.ts: both Workers in one).
import type { Env as WorkerEnv } from "../../src/worker/kit/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
    interface GlobalProps {
      mainModule: typeof import("../support/pool-entry.worker.ts");
    }
  }
}
