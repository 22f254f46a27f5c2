// Types for `cloudflare:workers` inside the workerd tests: the Worker's bindings and its main module.
declare namespace Cloudflare {
  interface Env extends import("../../src/env.ts").Env {}
  interface GlobalProps {
    mainModule: typeof import("../../src/worker.ts");
  }
}
