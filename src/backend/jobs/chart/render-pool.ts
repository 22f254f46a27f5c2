// Charts on the Node backend are drawn on worker threads (thread-pool.ts), never on the event loop that answers
// requests: a render is CPU-bound and synchronous, and issue 19 found one input that held the loop for 7 s, during
// which /health and every other job went unanswered. This is the chart job's DrawChart for the Node server
// (server.ts creates one per server and closes it after the last job), and where the pool's two refusals become
// what the Worker and the user read:
//   all threads busy and the waiting line full → 503 "saturated" + Retry-After, as when every job slot is taken
//     (job-request.ts): the Worker may retry it, since the chart was never started;
//   a render still running at the time limit → 422 "render_timeout" (TooCostlyError): the same input would take as
//     long again, so it is not retried, and the user reads why and what to change. The thread is terminated and a
//     fresh one takes the next chart.
// Sizes: one thread per core, but no more than the jobs that may run at once (BACKEND_MAX_CONCURRENT), since only
// running jobs draw; as many may wait as there are threads. Each thread is an isolate with ECharts and resvg loaded
// (≈ 120 MB resident each, measured on Node 24).

import { availableParallelism } from "node:os";
import { HttpError, TooCostlyError } from "../../errors.ts";
import { RETRY_AFTER_SECONDS } from "../../job-request.ts";
import { createThreadPool, ThreadPoolBusyError, ThreadTaskTimeoutError } from "../../thread-pool.ts";
import type { DrawChart } from "./draw.ts";
import type { ChartSpec } from "./render.ts";
import type { RasterImage } from "./rasterise.ts";

// A render thread's heap: ECharts' model of the largest chart (10,000 points) needs well under 100 MB; a render that
// allocates without end ends its own thread at this cap, not the process.
const THREAD_HEAP_MB = 256;

export interface RenderPoolOptions {
  /** Render threads at most. */
  threads: number;
  /** A render still running after this is stopped (422 render_timeout). */
  timeoutMs: number;
  log: (event: object) => void;
  /**
   * The thread's entry module and its workerData; default render-thread.ts. Tests substitute a module that holds a
   * render on a gate, to see the server answer while a render runs.
   */
  thread?: { script: URL; workerData?: unknown };
}

export interface RenderPool {
  drawChart: DrawChart;
  /** Starts every thread now (each imports ECharts and resvg, ≈ 0.3–0.5 s), so the first charts need not wait. */
  warm(): void;
  /** Terminates the threads; call once no job is running. */
  close(): Promise<void>;
}

/** One thread per core, at most one per job slot (only running jobs draw), at least one. */
export function defaultRenderThreads(maxConcurrent: number): number {
  return Math.max(1, Math.min(availableParallelism(), maxConcurrent));
}

export function createRenderPool(options: RenderPoolOptions): RenderPool {
  const pool = createThreadPool<ChartSpec, RasterImage>({
    name: "render",
    script: options.thread?.script ?? new URL("./render-thread.ts", import.meta.url),
    workerData: options.thread?.workerData,
    size: options.threads,
    maxWaiting: options.threads,
    timeoutMs: options.timeoutMs,
    maxHeapMb: THREAD_HEAP_MB,
    log: options.log,
  });
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  return {
    async drawChart(spec) {
      try {
        return await pool.run(spec);
      } catch (error) {
        if (error instanceof ThreadPoolBusyError) {
          throw new HttpError(
            503,
            "saturated",
            `all ${options.threads} render threads are busy; retry after ${RETRY_AFTER_SECONDS} s`,
            {},
            { "retry-after": String(RETRY_AFTER_SECONDS) },
          );
        }
        if (error instanceof ThreadTaskTimeoutError) {
          throw new TooCostlyError(
            "render_timeout",
            `This chart took longer than ${seconds} s to draw, so the backend stopped it. Try fewer rows, shorter labels or a shorter title.`,
            { limit_ms: options.timeoutMs },
            { key: "renderTimeout", seconds },
          );
        }
        throw error;
      }
    },
    warm: () => pool.warm(),
    close: () => pool.close(),
  };
}
