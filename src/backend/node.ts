// The backend on Node: createBackend with resvg's native addon as the chart rasteriser (the backend Worker passes
// the WebAssembly build instead). server.ts, the local stack and the Node tests start from here.

import { createBackend, type Backend, type BackendOptions } from "./app.ts";
import { rasteriseWithResvgNode } from "./jobs/chart/rasterise-node.ts";
import type { Rasterise } from "./jobs/chart/rasterise.ts";

export type NodeBackendOptions = Omit<BackendOptions, "rasterise"> & { rasterise?: Rasterise };

export function createNodeBackend(options: NodeBackendOptions): Backend {
  return createBackend({ ...options, rasterise: options.rasterise ?? rasteriseWithResvgNode });
}
