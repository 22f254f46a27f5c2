// Types for `cloudflare:workers` inside the workerd tests: the Worker's bindings and its main module.
import type { Env as WorkerEnv } from "../../src/worker/kit/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
    interface GlobalProps {
      mainModule: typeof import("../../src/worker/index.ts");
    }
  }
}
