// Helpers for the backend tests: signed relay requests (through the real signing module, so tests exercise what
// the Worker sends), a PNG header reader, and a throwaway HTTP server on 127.0.0.1 for attachment downloads.

import { expect } from "vitest";
import fc from "fast-check";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { relayHeaders } from "../../../src/shared/relay-signature.ts";
import { defineJob, type Job } from "../../../src/backend/index.ts";

export const SECRET = "test-relay-secret";
export const NOW_MS = 1_800_000_000_000;
export const NOW_S = NOW_MS / 1000;

export async function signedJobRequest(
  name: string,
  body: unknown,
  options: { secret?: string; timestamp?: number; base?: string; headers?: Record<string, string> } = {},
): Promise<Request> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers = await relayHeaders(options.secret ?? SECRET, raw, options.timestamp ?? NOW_S);
  return new Request(`${options.base ?? "http://backend.test"}/v1/jobs/${name}`, {
    method: "POST",
    body: raw,
    headers: { ...headers, ...options.headers },
  });
}

export interface ErrorJson {
  error: { code: string; message: string; field?: string; ref?: string };
}

export async function errorOf(response: Response): Promise<ErrorJson["error"]> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as ErrorJson;
  expect(typeof body.error.code).toBe("string");
  expect(typeof body.error.message).toBe("string");
  return body.error;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which must directly follow the 8-byte signature. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe("IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A job that waits until released, for saturation and drain tests. */
export function gatedJob(name = "slow"): { job: Job; started: () => number; releaseAll: () => void } {
  let started = 0;
  let gates: Array<() => void> = [];
  const job = defineJob<unknown, { done: true }>({
    name,
    validate: (input) => input,
    run: () => {
      started++;
      return new Promise((resolve) => gates.push(() => resolve({ done: true })));
    },
  });
  return {
    job,
    started: () => started,
    releaseAll: () => {
      const open = gates;
      gates = [];
      for (const gate of open) gate();
    },
  };
}

export interface LocalServer {
  origin: string;
  host: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1:<free port>; records each request's path and query. */
export async function startLocalServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LocalServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A local server that answers each path in `files` with its text as CSV, and 404 for any other path. */
export function serveCsvFiles(files: Readonly<Record<string, string>>): Promise<LocalServer> {
  return startLocalServer((req, res) => {
    const body = files[(req.url ?? "").split("?")[0] ?? ""];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "text/csv" }).end(body);
  });
}

export function logCollector(): { log: (event: object) => void; events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = [];
  return { log: (event) => events.push(event as Record<string, unknown>), events };
}

/**
 * Any number a chart can hold (src/shared/chart-data/number.ts): 0, or a size from 1e-15 to 1e100, either sign;
 * fast-check favours the bounds.
 */
export const chartableDouble = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-15, max: 1e100, noNaN: true }),
  fc.double({ min: -1e100, max: -1e-15, noNaN: true }),
);
