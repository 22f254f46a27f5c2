// The backend over real HTTP: in-process with startBackendServer (port 0), and as `node src/backend/server.ts`
// in a child process for configuration errors and graceful shutdown on SIGTERM.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ConfigError, readBackendConfig, startBackendServer } from "../../../src/backend/index.ts";
import { relayHeaders } from "../../../src/shared/relay-signature.ts";
import { SECRET, gatedJob, logCollector, signedJobRequest, startLocalServer } from "./support.ts";

const SERVER_ENTRY = fileURLToPath(new URL("../../../src/backend/server.ts", import.meta.url));

describe("startBackendServer", () => {
  it("serves the backend on an ephemeral port", async () => {
    const server = await startBackendServer({ relaySecret: SECRET, log: logCollector().log });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", in_flight: 0 });

      const body = JSON.stringify({ id: "5", input: { values: "1,2,3" } });
      const response = await fetch(`${server.url}/v1/jobs/chart`, {
        method: "POST",
        body,
        headers: await relayHeaders(SECRET, body),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { result: { stats: { count: number } } }).result.stats.count).toBe(3);
    } finally {
      await server.close();
    }
  });

  it("rejects when the port is taken", async () => {
    const first = await startBackendServer({ relaySecret: SECRET, log: logCollector().log });
    try {
      const port = Number(new URL(first.url).port);
      await expect(startBackendServer({ relaySecret: SECRET, port, log: logCollector().log })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });

  it("drains on close: running jobs finish and are answered, new jobs are refused, then it stops", async () => {
    const gate = gatedJob();
    const server = await startBackendServer({ relaySecret: SECRET, jobs: [gate.job], log: logCollector().log });
    const request = await signedJobRequest(
      "slow",
      { id: "1", input: {} },
      { base: server.url, timestamp: Math.floor(Date.now() / 1000) },
    );
    const inFlight = fetch(request);
    await vi.waitFor(() => expect(server.backend.inFlight()).toBe(1));

    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false); // still waiting for the job

    // The backend itself refuses new work while draining (a keep-alive connection could still deliver some).
    const late = await server.backend.fetch(
      await signedJobRequest("slow", { id: "2", input: {} }, { timestamp: Math.floor(Date.now() / 1000) }),
    );
    expect(late.status).toBe(503);
    expect(late.headers.get("retry-after")).toBe("2");
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe("shutting_down");
    // And the socket no longer accepts connections.
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();

    gate.releaseAll();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "1", result: { done: true } });
    await closing;
    expect(closed).toBe(true);
    expect(server.backend.inFlight()).toBe(0);
  });
});

describe("readBackendConfig", () => {
  it("fails fast, naming RELAY_SECRET, when it is missing or blank", () => {
    for (const env of [{}, { RELAY_SECRET: "  " }]) {
      expect(() => readBackendConfig(env)).toThrow(ConfigError);
      expect(() => readBackendConfig(env)).toThrow(/^backend\(config\): RELAY_SECRET is not set — /);
    }
  });

  it("applies defaults", () => {
    expect(readBackendConfig({ RELAY_SECRET: "s" })).toEqual({
      port: 8788,
      host: "127.0.0.1",
      relaySecret: "s",
      attachmentHosts: ["cdn.discordapp.com", "media.discordapp.net"],
      maxConcurrent: 4,
      bodyBudgetBytes: 8 * 1024 * 1024,
      bodyTimeoutMs: 10_000,
      maxConnections: 4_096,
      headersTimeoutMs: 10_000,
      renderThreads: undefined,
      renderTimeoutMs: 5_000,
      renderBudget: 10,
    });
  });

  it("reads every variable", () => {
    expect(
      readBackendConfig({
        RELAY_SECRET: "s",
        PORT: "9000",
        HOST: "0.0.0.0",
        ATTACHMENT_HOSTS: " a.example , 127.0.0.1:8080 ",
        BACKEND_MAX_CONCURRENT: "8",
        BACKEND_BODY_BUDGET_BYTES: "16777216",
        BACKEND_BODY_TIMEOUT_MS: "2500",
        BACKEND_MAX_CONNECTIONS: "2000",
        BACKEND_HEADERS_TIMEOUT_MS: "3000",
        BACKEND_RENDER_THREADS: "3",
        BACKEND_RENDER_TIMEOUT_MS: "2000",
        BACKEND_RENDER_BUDGET: "4",
      }),
    ).toEqual({
      port: 9000,
      host: "0.0.0.0",
      relaySecret: "s",
      attachmentHosts: ["a.example", "127.0.0.1:8080"],
      maxConcurrent: 8,
      bodyBudgetBytes: 16 * 1024 * 1024,
      bodyTimeoutMs: 2500,
      maxConnections: 2000,
      headersTimeoutMs: 3000,
      renderThreads: 3,
      renderTimeoutMs: 2000,
      renderBudget: 4,
    });
  });

  it.each([
    [{ PORT: "http" }, /PORT must be an integer from 0 to 65535, got "http"/],
    [{ PORT: "70000" }, /PORT must be an integer/],
    [{ BACKEND_MAX_CONCURRENT: "0" }, /BACKEND_MAX_CONCURRENT must be an integer from 1/],
    [{ BACKEND_MAX_CONCURRENT: "2.5" }, /BACKEND_MAX_CONCURRENT must be an integer/],
    // The budget must hold one body of the largest job (the chart job's 4 MiB), or that job could never arrive.
    [{ BACKEND_BODY_BUDGET_BYTES: "1048576" }, /BACKEND_BODY_BUDGET_BYTES must be an integer from 4194304/],
    [{ BACKEND_BODY_TIMEOUT_MS: "10" }, /BACKEND_BODY_TIMEOUT_MS must be an integer from 100/],
    [{ BACKEND_MAX_CONNECTIONS: "1" }, /BACKEND_MAX_CONNECTIONS must be an integer from 16/],
    [{ BACKEND_HEADERS_TIMEOUT_MS: "600000" }, /BACKEND_HEADERS_TIMEOUT_MS must be an integer from 100 to 120000/],
    [{ BACKEND_RENDER_THREADS: "0" }, /BACKEND_RENDER_THREADS must be an integer from 1 to 256/],
    // Above the Worker's 20 s relay timeout the user would read "took too long" instead of why.
    [{ BACKEND_RENDER_TIMEOUT_MS: "20000" }, /BACKEND_RENDER_TIMEOUT_MS must be an integer from 100 to 15000/],
    [{ BACKEND_RENDER_BUDGET: "0" }, /BACKEND_RENDER_BUDGET must be an integer from 1 to 100/],
    [{ ATTACHMENT_HOSTS: "https://cdn.discordapp.com" }, /is not host\[:port\].*\(in ATTACHMENT_HOSTS\)/],
  ])("rejects %j", (env, message) => {
    expect(() => readBackendConfig({ RELAY_SECRET: "s", ...env })).toThrow(message);
  });
});

describe("npm run backend (node src/backend/server.ts)", () => {
  const children: ChildProcessWithoutNullStreams[] = [];

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  function start(env: Record<string, string>) {
    const child = spawn(process.execPath, [SERVER_ENTRY], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    return {
      child,
      exited,
      stdout: () => stdout,
      stderr: () => stderr,
      lines: () =>
        stdout
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  }

  it("exits 1 with a clear message when RELAY_SECRET is not set", async () => {
    const proc = start({});
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toMatch(/^backend\(config\): RELAY_SECRET is not set — /);
  });

  it("finishes an in-flight job on SIGTERM, then exits 0 with one log line", async () => {
    // The job's attachment download hangs until we answer it, so the job is in flight when SIGTERM arrives.
    let answer: (() => void) | undefined;
    const cdn = await startLocalServer((_req, res) => {
      answer = () => res.writeHead(200, { "content-type": "text/csv" }).end("a,1\nb,2\n");
    });
    try {
      const proc = start({ RELAY_SECRET: SECRET, PORT: "0", ATTACHMENT_HOSTS: cdn.host });
      await vi.waitFor(() => expect(proc.lines().some((line) => line.event === "backend_started")).toBe(true), {
        timeout: 10_000,
      });
      const url = String(proc.lines().find((line) => line.event === "backend_started")?.url);

      const body = JSON.stringify({ id: "99", input: { file: { url: `${cdn.origin}/data.csv?hm=token` } } });
      const inFlight = fetch(`${url}/v1/jobs/chart`, {
        method: "POST",
        body,
        headers: await relayHeaders(SECRET, body),
      });
      await vi.waitFor(() => expect(answer).toBeDefined(), { timeout: 10_000 });

      proc.child.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(proc.child.exitCode).toBeNull(); // waiting for the job

      answer?.();
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await proc.exited).toBe(0);
      const stopped = proc.lines().filter((line) => line.event === "backend_stopped");
      expect(stopped).toHaveLength(1);
      expect(stopped[0]).toMatchObject({ signal: "SIGTERM", drained_jobs: 1 });
      expect(proc.stdout()).not.toContain("token");
      expect(proc.stdout()).not.toContain(SECRET);
    } finally {
      await cdn.close();
    }
  });
});
