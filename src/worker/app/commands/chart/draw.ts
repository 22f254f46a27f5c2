/**
 * A chart for the message: from the chart cache when the same chart was drawn before (cache.ts), else from the
 * backend's chart job, whose result is then cached after the final edit. Lookups are counted per day for
 * /admin stats. The cache is an optimisation only: without its binding, for a CSV upload (whose points the
 * Worker does not know before the backend reads the file), or when it fails or is slow, the chart is rendered.
 */
import {
  base64ToBytes,
  describeError,
  log,
  relayJob,
  requireRelay,
  withStorageTimeout,
  type TaskContext,
} from "../../../kit/index.ts";
import { countCacheLookup } from "../../storage/chart-cache-stats.ts";
import { chartJob, type ChartJobInput, type ChartResult } from "../../../../shared/jobs/chart.ts";
import { chartCacheKey, readCachedChart, writeCachedChart, type CachedChart, type ChartCacheInput } from "./cache.ts";

/** A drawn chart: the image and its stats, the points (for the buttons) and the CSV rows the backend skipped. */
export interface DrawnChart extends CachedChart, Pick<ChartResult, "points" | "skipped" | "skippedCount"> {}

/**
 * Draws `input`. `known` is the same chart as the cache sees it (kind, title, points) when the Worker knows its
 * points before relaying, else null (no lookup, no write).
 */
export async function drawChart(
  task: TaskContext,
  input: ChartJobInput,
  known: ChartCacheInput | null,
): Promise<DrawnChart> {
  const kv = task.env.CHART_CACHE;
  if (!kv || !known) return fromBackend(await renderOnBackend(task, input));

  const key = await chartCacheKey(known);
  const cached = await lookUp(task, kv, key);
  countLookup(task, cached !== null);
  if (cached) return { ...cached, points: known.points, skipped: [], skippedCount: 0 };

  const drawn = fromBackend(await renderOnBackend(task, input));
  task.after("chart.cache_write", () => writeCachedChart(kv, key, drawn));
  return drawn;
}

/** A miss, also when the cache fails or is slow: the chart is rendered instead, and the operator is told. */
async function lookUp(task: TaskContext, kv: KVNamespace, key: string): Promise<CachedChart | null> {
  try {
    return await readCachedChart(kv, key);
  } catch (error) {
    log("chart.cache_read_failed", {
      interaction_id: task.interaction.id,
      level: "error",
      error: describeError(error),
      effect: "rendering instead",
    });
    return null;
  }
}

function countLookup(task: TaskContext, hit: boolean): void {
  const db = task.env.DB;
  if (db) task.after("chart.cache_count", () => withStorageTimeout(countCacheLookup(db, hit), "chart_cache.count"));
}

function renderOnBackend(task: TaskContext, input: ChartJobInput): Promise<ChartResult> {
  return relayJob({ ...requireRelay(task.config) }, chartJob, task.interaction.id, input, {
    signal: task.signal,
    locale: task.interaction.locale,
  });
}

function fromBackend(result: ChartResult): DrawnChart {
  return { ...result, png: base64ToBytes(result.png) };
}
