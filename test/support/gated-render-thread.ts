// A render thread for tests (render-pool.ts: RenderPoolOptions.thread): each chart stops at a gate, holding its
// thread as a long render would, and is drawn for real once the gate opens. workerData.gate is an Int32Array's
// SharedArrayBuffer, so the test and every thread (replacements too) see the same cells:
//   [0] how many renders reached the gate   [1] non-zero: the gate is open   [2] non-zero: renders run away instead:
//   they never return nor yield, and only terminating the thread ends them (they block rather than spin, so a test
//   can give real renders a time limit with room for a loaded machine without burning a core for as long)
import { workerData } from "node:worker_threads";
import { serveThreadTasks } from "../../src/backend/thread-pool.ts";
import { drawInThisThread } from "../../src/backend/jobs/chart/draw.ts";
import { rasteriseWithResvgNode } from "../../src/backend/jobs/chart/rasterise-node.ts";

const gate = new Int32Array((workerData as { gate: SharedArrayBuffer }).gate);
const draw = drawInThisThread(rasteriseWithResvgNode);

serveThreadTasks<Parameters<typeof draw>[0], Awaited<ReturnType<typeof draw>>>(
  (spec) => {
    Atomics.add(gate, 0, 1);
    Atomics.notify(gate, 0);
    while (Atomics.load(gate, 2) !== 0) Atomics.wait(gate, 2, Atomics.load(gate, 2));
    while (Atomics.load(gate, 1) === 0) Atomics.wait(gate, 1, 0);
    return draw(spec);
  },
  (image) => [image.png.buffer as ArrayBuffer],
);
