// The backend's public surface; re-exports only.
export { createBackend, DEFAULT_MAX_CONCURRENT, type Backend, type BackendOptions } from "./app.ts";
export { startBackendServer, type BackendServer, type BackendServerOptions } from "./server.ts";
export { readBackendConfig, ConfigError, type BackendConfig } from "./config.ts";
export { MAX_REQUEST_BYTES, RETRY_AFTER_SECONDS } from "./job-request.ts";
export { DEFAULT_ATTACHMENT_HOSTS } from "./attachment.ts";
export { defaultJobs } from "./jobs/index.ts";
export { defineJob, type Job, type JobContext, type JobDefinition } from "./jobs/job.ts";
export type { ChartOutput } from "./jobs/chart/job.ts";
export type { ChartInput } from "./jobs/chart/input.ts";
export type { ChartStats } from "./jobs/chart/stats.ts";
export type { Point } from "../shared/chart-data/points.ts";
