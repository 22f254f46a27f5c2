/**
 * Traffic, errors and the time to answer, hour by hour, as the charts the daily report and /admin stats show: the
 * numbers come from the usage counters (kit/analytics/), the pictures from the backend's chart job, the same one
 * every /chart uses (src/shared/jobs/chart.ts). A chart that cannot be drawn (no backend configured, backend down or
 * failing) is named with the reason, and the other charts and the numbers still go out.
 */
import {
  base64ToBytes,
  ConfigError,
  quantileMs,
  RelayError,
  relayJob,
  requireRelay,
  type Config,
  type CounterRow,
  type FileUpload,
} from "../../kit/index.ts";
import { chartJob, type ChartKind } from "../../../shared/jobs/chart.ts";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** Per hour of a window, oldest first. `p95` is null where no histogram was kept (a server's own view). */
export interface HourlyUsage {
  readonly since: number;
  readonly traffic: readonly number[];
  readonly errors: readonly number[];
  readonly p95: readonly number[] | null;
}

/** Sums rows into `hours` hours starting at `since`; each hour is [since + i h, since + (i + 1) h). */
export function hourlyUsage(rows: readonly CounterRow[], since: number, hours: number): HourlyUsage {
  const traffic = new Array<number>(hours).fill(0);
  const errors = new Array<number>(hours).fill(0);
  const histograms: number[][] = [];
  let kept = false;
  for (const row of rows) {
    const i = Math.floor((row.minute * MINUTE_MS - since) / HOUR_MS);
    if (i < 0 || i >= hours) continue;
    traffic[i]! += row.n;
    errors[i]! += row.errors;
    if (row.latency.length === 0) continue;
    kept = true;
    const sum = (histograms[i] ??= new Array<number>(row.latency.length).fill(0));
    row.latency.forEach((n, b) => (sum[b]! += n));
  }
  return {
    since,
    traffic,
    errors,
    p95: kept ? traffic.map((_, i) => quantileMs(histograms[i] ?? [], 0.95) ?? 0) : null,
  };
}

interface ChartSpec {
  readonly file: string;
  /** The report's field naming this chart when it is missing. */
  readonly name: string;
  readonly title: string;
  readonly kind: ChartKind;
  readonly values: readonly number[];
}

export type DrawnChart =
  | { readonly file: FileUpload; readonly name: string }
  | { readonly missing: string; readonly name: string };

/** Draws the usage's charts one after another (a small backend answers "busy" to a burst); `id` names the relay calls. */
export async function drawUsageCharts(
  config: Config,
  usage: HourlyUsage,
  id: string,
  signal?: AbortSignal,
): Promise<DrawnChart[]> {
  const specs: ChartSpec[] = [
    {
      file: "traffic.png",
      name: "Traffic by hour",
      title: "Interactions per hour (UTC)",
      kind: "bar",
      values: usage.traffic,
    },
    { file: "errors.png", name: "Errors by hour", title: "Errors per hour (UTC)", kind: "bar", values: usage.errors },
  ];
  if (usage.p95)
    specs.push({
      file: "latency.png",
      name: "Time to answer by hour",
      title: "Time to answer, 95th percentile (ms; 0: no traffic)",
      kind: "line",
      values: usage.p95,
    });
  let target;
  try {
    // The BACKEND service binding when bound, else BACKEND_URL: the same choice as /chart's.
    target = requireRelay(config);
  } catch (error) {
    if (error instanceof ConfigError)
      return specs.map(({ name }) => ({ name, missing: "no backend is configured (BACKEND_URL, RELAY_SECRET)" }));
    throw error;
  }
  // Each point is one hour of the window, labelled by its UTC start (a report's window starts when the cron fired, e.g. 03:17).
  const label = (i: number) => new Date(usage.since + i * HOUR_MS).toISOString().slice(11, 16);
  const charts: DrawnChart[] = [];
  for (const { file, name, title, kind, values } of specs) {
    try {
      const result = await relayJob(
        target,
        chartJob,
        `${id}-${file.slice(0, -4)}`,
        { kind, title, points: values.map((value, i) => ({ label: label(i), value })) },
        signal ? { signal } : {},
      );
      charts.push({ name, file: { name: file, contentType: "image/png", data: base64ToBytes(result.png) } });
    } catch (error) {
      // The kind, not the message: a channel is no place for the relay's operator detail (URLs).
      charts.push({
        name,
        missing: `the backend's chart job failed (${error instanceof RelayError ? error.kind : "unexpected error"})`,
      });
    }
  }
  return charts;
}
