// The backend on Node: createBackend with resvg's native addon as the chart rasteriser (the backend Worker passes
// the WebAssembly build instead) and JSON lines on stdout. server.ts, the local stack and the Node tests start from here.

import { createBackend, type Backend, type BackendOptions } from "./app.ts";
import { rasteriseWithResvgNode } from "./jobs/chart/rasterise-node.ts";
import type { Rasterise } from "./jobs/chart/rasterise.ts";
import { jsonLineLogger } from "./log.ts";

export type NodeBackendOptions = Omit<BackendOptions, "rasterise" | "log"> & {
  /** Default: resvg's native addon. */
  rasterise?: Rasterise;
  /** Default: JSON lines on stdout. */
  log?: BackendOptions["log"];
};

export const stdoutLogger = (): BackendOptions["log"] => jsonLineLogger((line) => process.stdout.write(line));

export function createNodeBackend(options: NodeBackendOptions): Backend {
  return createBackend({
    ...options,
    rasterise: options.rasterise ?? rasteriseWithResvgNode,
    log: options.log ?? stdoutLogger(),
  });
}
