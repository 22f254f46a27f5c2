// Reads the backend's settings from the environment once, at startup, and fails fast with a message that names
// the variable and says how to fix it: a backend that boots with a missing secret would only fail later, on
// every request, with 401s that look like the Worker's fault.

import { DEFAULT_ATTACHMENT_HOSTS, parseAllowedHosts } from "./attachment.ts";
import { DEFAULT_BODY_BUDGET_BYTES, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_CONCURRENT } from "./app.ts";
import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_MAX_CONNECTIONS, DEFAULT_RENDER_TIMEOUT_MS } from "./server-limits.ts";
import { defaultJobs } from "./jobs/index.ts";
import { DEFAULT_RENDER_BUDGET } from "./jobs/chart/render-cost.ts";

export interface BackendConfig {
  port: number;
  host: string;
  relaySecret: string;
  attachmentHosts: string[];
  maxConcurrent: number;
  bodyBudgetBytes: number;
  bodyTimeoutMs: number;
  maxConnections: number;
  headersTimeoutMs: number;
  /** Node render threads; undefined: one per core, at most BACKEND_MAX_CONCURRENT (render-pool.ts). */
  renderThreads: number | undefined;
  /** A render still running after this long is stopped (Node; the backend Worker has cpu_ms). */
  renderTimeoutMs: number;
  /** The most a chart may cost to draw, in ordinary charts (render-cost.ts); both backends. */
  renderBudget: number;
  /** SQLite file shared by every Node instance on the host for replay protection; undefined: this process's memory. */
  replayDb: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function integer(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(
      `backend(config): ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

const largestInputBytes = Math.max(...defaultJobs.map((job) => job.maxInputBytes));

export function readBackendConfig(env: Record<string, string | undefined>): BackendConfig {
  const relaySecret = env.RELAY_SECRET ?? "";
  if (relaySecret.trim() === "") {
    throw new ConfigError(
      "backend(config): RELAY_SECRET is not set — set it to the same value as the Worker's RELAY_SECRET " +
        "(`wrangler secret put RELAY_SECRET`, or .dev.vars locally), e.g. `RELAY_SECRET=… npm run backend`",
    );
  }
  const hostsRaw = env.ATTACHMENT_HOSTS?.trim();
  const attachmentHosts = hostsRaw
    ? hostsRaw
        .split(",")
        .map((host) => host.trim())
        .filter(Boolean)
    : [...DEFAULT_ATTACHMENT_HOSTS];
  try {
    parseAllowedHosts(attachmentHosts);
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : String(error)} (in ATTACHMENT_HOSTS)`);
  }
  return {
    port: integer(env, "PORT", 8788, 0, 65535),
    host: env.HOST?.trim() || "127.0.0.1",
    relaySecret,
    attachmentHosts,
    maxConcurrent: integer(env, "BACKEND_MAX_CONCURRENT", DEFAULT_MAX_CONCURRENT, 1, 1024),
    // The budget must hold at least one body of the largest job, or that job could never be sent.
    bodyBudgetBytes: integer(
      env,
      "BACKEND_BODY_BUDGET_BYTES",
      DEFAULT_BODY_BUDGET_BYTES,
      largestInputBytes,
      1024 * 1024 * 1024,
    ),
    bodyTimeoutMs: integer(env, "BACKEND_BODY_TIMEOUT_MS", DEFAULT_BODY_TIMEOUT_MS, 100, 120_000),
    maxConnections: integer(env, "BACKEND_MAX_CONNECTIONS", DEFAULT_MAX_CONNECTIONS, 16, 1_000_000),
    headersTimeoutMs: integer(env, "BACKEND_HEADERS_TIMEOUT_MS", DEFAULT_HEADERS_TIMEOUT_MS, 100, 120_000),
    // The default depends on the host's cores, which only the Node server reads (render-pool.ts).
    renderThreads: env.BACKEND_RENDER_THREADS?.trim() ? integer(env, "BACKEND_RENDER_THREADS", 1, 1, 256) : undefined,
    // Below the Worker's 20 s relay timeout, so the user reads this refusal rather than "took too long".
    renderTimeoutMs: integer(env, "BACKEND_RENDER_TIMEOUT_MS", DEFAULT_RENDER_TIMEOUT_MS, 100, 15_000),
    renderBudget: integer(env, "BACKEND_RENDER_BUDGET", DEFAULT_RENDER_BUDGET, 1, 100),
    replayDb: env.BACKEND_REPLAY_DB?.trim() || undefined,
  };
}
