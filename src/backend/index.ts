// The backend's public surface; re-exports only.
export {
  createBackend,
  DEFAULT_BODY_BUDGET_BYTES,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_MAX_CONCURRENT,
  type Backend,
  type BackendOptions,
} from "./app.ts";
export { createNodeBackend, type NodeBackendOptions } from "./node.ts";
export type { Rasterise, RasteriseOptions, RasterImage } from "./jobs/chart/rasterise.ts";
export { startBackendServer, type BackendServer, type BackendServerOptions } from "./server.ts";
export { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS } from "./server-limits.ts";
export { readBackendConfig, ConfigError, type BackendConfig } from "./config.ts";
export { RETRY_AFTER_SECONDS } from "./job-request.ts";
export { DEFAULT_ATTACHMENT_HOSTS } from "./attachment.ts";
export { defaultJobs } from "./jobs/index.ts";
export { defineJob, DEFAULT_MAX_INPUT_BYTES, type Job, type JobContext, type JobDefinition } from "./jobs/job.ts";
export { CHART_MAX_INPUT_BYTES, LARGEST_CHART_BODY_BYTES } from "./jobs/chart/input.ts";
export type { ChartInput } from "./jobs/chart/input.ts";
export type { ChartJobInput, ChartKind, ChartResult, ChartStats, SkippedRow } from "../shared/jobs/chart.ts";
export type { Point } from "../shared/chart-data/points.ts";
