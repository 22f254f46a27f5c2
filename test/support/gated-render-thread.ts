// A render thread for tests (render-pool.ts: RenderPoolOptions.thread): each chart stops at a gate, holding its
// thread as a long render would, and is drawn for real once the gate opens. workerData.gate is an Int32Array's
// SharedArrayBuffer, so the test and every thread (replacements too) see the same cells:
//   [0] how many renders reached the gate   [1] non-zero: the gate is open   [2] non-zero: renders run away instead
//   (a loop that never ends and never yields, which only terminating the thread stops)
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
    if (Atomics.load(gate, 2) !== 0) for (;;);
    while (Atomics.load(gate, 1) === 0) Atomics.wait(gate, 1, 0);
    return draw(spec);
  },
  (image) => [image.png.buffer as ArrayBuffer],
);
