// The backend's bounds on unauthenticated work (issue: 150 sockets declaring 2 MiB and holding back their last
// 64 KiB took it from 192 to 498 MiB). A body can only be authenticated once it is read, so reading is bounded:
// a per-job size cap, one byte budget shared by all reads in progress (the oldest read is evicted when a new one
// does not fit), a body deadline, and on the Node server header/request timeouts and a connection cap.
// The fetch-handler half runs without sockets; the server half uses raw TCP sockets, as an attacker would.

import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  CHART_MAX_INPUT_BYTES,
  createNodeBackend,
  defineJob,
  startBackendServer,
  type BackendServer,
} from "../../../src/backend/index.ts";
import { relayHeaders } from "../../../src/shared/relay-signature.ts";
import { NOW_MS, NOW_S, SECRET, errorOf, logCollector, signedJobRequest } from "./support.ts";

const KiB = 1024;
const echoJob = defineJob<unknown, { ok: true }>({
  name: "echo",
  validate: (input) => input,
  run: async () => ({ ok: true }),
});

/** A signed request whose body stream sends `sent` bytes and then stalls until `finish()` (or forever). */
async function stalledRequest(declared: number, sent: number, job = "chart") {
  const headers = await relayHeaders(SECRET, "x".repeat(declared), NOW_S);
  let pulls = 0;
  let finish: () => void = () => undefined;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(sent).fill(0x78));
      pulls++;
      finish = () => {
        controller.enqueue(new Uint8Array(declared - sent).fill(0x78));
        controller.close();
      };
    },
    cancel() {
      cancelled = true;
    },
  });
  const request = new Request(`http://backend.test/v1/jobs/${job}`, {
    method: "POST",
    headers: { ...headers, "content-length": String(declared) },
    body: stream,
    duplex: "half",
  } as RequestInit);
  return { request, finish: () => finish(), pulls: () => pulls, cancelled: () => cancelled };
}

describe("body cap per job (413 before reading)", () => {
  it("a job's own maxInputBytes caps its body; the default is 64 KiB", async () => {
    const backend = createNodeBackend({
      relaySecret: SECRET,
      now: () => NOW_MS,
      log: logCollector().log,
      jobs: [echoJob],
    });
    const big = JSON.stringify({ id: "1", input: { pad: "x".repeat(65 * KiB) } });
    const response = await backend.fetch(await signedJobRequest("echo", big));
    expect(response.status).toBe(413);
    expect((await errorOf(response)).message).toMatch(/64\.0 KiB limit for this job/);
    const small = await backend.fetch(
      await signedJobRequest("echo", { id: "1", input: { pad: "x".repeat(60 * KiB) } }),
    );
    expect(small.status).toBe(200);
  });

  it("an unknown job name is read under the largest cap and answered 404 only after the MAC", async () => {
    const backend = createNodeBackend({ relaySecret: SECRET, now: () => NOW_MS, log: logCollector().log });
    const over = await backend.fetch(
      await signedJobRequest("nope", VALID_BODY, { headers: { "content-length": String(CHART_MAX_INPUT_BYTES + 1) } }),
    );
    expect(over.status).toBe(413);
    const unsigned = await backend.fetch(await signedJobRequest("nope", VALID_BODY, { secret: "wrong" }));
    expect(unsigned.status).toBe(401); // no list of jobs for an anonymous sender
    const signed = await backend.fetch(await signedJobRequest("nope", VALID_BODY));
    expect(signed.status).toBe(404);
  });

  it("refuses a declared oversize body without reading a byte of it", async () => {
    const backend = createNodeBackend({ relaySecret: SECRET, now: () => NOW_MS, log: logCollector().log });
    const stalled = await stalledRequest(CHART_MAX_INPUT_BYTES + 1, 16);
    const response = await backend.fetch(stalled.request);
    expect(response.status).toBe(413);
    expect(backend.bodyBytesReserved()).toBe(0);
  });

  it("refuses a budget smaller than the largest job's cap when the backend is created", () => {
    expect(() => createNodeBackend({ relaySecret: SECRET, bodyBudgetBytes: CHART_MAX_INPUT_BYTES - 1 })).toThrow(
      /backend\(config\): bodyBudgetBytes is 4194303; it must be at least 4194304/,
    );
  });
});

const VALID_BODY = { id: "1", input: { values: "1, 2, 3" } };

describe("body budget (503 body_evicted) and body deadline (408)", () => {
  it("reserves each read's declared length and evicts the oldest read when a new one does not fit", async () => {
    const backend = createNodeBackend({
      relaySecret: SECRET,
      now: () => NOW_MS,
      log: logCollector().log,
      bodyBudgetBytes: CHART_MAX_INPUT_BYTES,
    });
    const first = await stalledRequest(3 * 1024 * KiB, 64 * KiB);
    const firstResponse = backend.fetch(first.request);
    await vi.waitFor(() => expect(backend.bodyBytesReserved()).toBe(3 * 1024 * KiB));

    const second = await stalledRequest(2 * 1024 * KiB, 64 * KiB);
    const secondResponse = backend.fetch(second.request);

    const evicted = await firstResponse;
    expect(evicted.status).toBe(503);
    expect(evicted.headers.get("retry-after")).toBe("2");
    expect(evicted.headers.get("connection")).toBe("close");
    expect((await errorOf(evicted)).code).toBe("body_evicted");
    expect(first.cancelled()).toBe(true); // its source is cancelled, not drained
    expect(backend.bodyBytesReserved()).toBe(2 * 1024 * KiB);

    second.finish(); // the survivor completes: its MAC holds, and only then is it found not to be JSON
    expect((await secondResponse).status).toBe(400);
    expect(backend.bodyBytesReserved()).toBe(0);
  });

  it("a legitimate signed job succeeds while stalled reads fill the budget", async () => {
    // An echo job with the chart job's cap: the point is the budget, not rendering (which is slow on a busy machine).
    const bigEcho = defineJob<unknown, { ok: true }>({
      name: "echo",
      maxInputBytes: CHART_MAX_INPUT_BYTES,
      validate: (input) => input,
      run: async () => ({ ok: true }),
    });
    // No body deadline in the way: on a busy machine the stalled reads could reach the default 10 s (408) before
    // the signed job arrives, and this test is about the budget.
    const backend = createNodeBackend({
      relaySecret: SECRET,
      now: () => NOW_MS,
      log: logCollector().log,
      bodyBudgetBytes: CHART_MAX_INPUT_BYTES,
      bodyTimeoutMs: 600_000,
      jobs: [bigEcho],
    });
    const stalled = await Promise.all(Array.from({ length: 8 }, () => stalledRequest(512 * KiB, 64 * KiB, "echo")));
    const pending = stalled.map((entry) => backend.fetch(entry.request));
    await vi.waitFor(() => expect(backend.bodyBytesReserved()).toBe(8 * 512 * KiB));

    const raw = JSON.stringify(VALID_BODY);
    const legit = await backend.fetch(
      await signedJobRequest("echo", raw, { headers: { "content-length": String(raw.length) } }),
    );
    expect(legit.status).toBe(200);
    // It needed room, so exactly one stalled read gave way: the oldest reservation. Which request that is depends
    // on when each one's header check finished (asynchronous, so not always the order they were sent in).
    await vi.waitFor(() => expect(stalled.filter((entry) => entry.cancelled())).toHaveLength(1));
    const evicted = stalled.findIndex((entry) => entry.cancelled());
    expect((await pending[evicted]!).status).toBe(503);
    for (const entry of stalled) if (!entry.cancelled()) entry.finish();
    await Promise.all(pending);
    expect(backend.bodyBytesReserved()).toBe(0);
  });

  it("a body still arriving after bodyTimeoutMs is refused with 408 and its reservation returned", async () => {
    const backend = createNodeBackend({
      relaySecret: SECRET,
      now: () => NOW_MS,
      log: logCollector().log,
      bodyTimeoutMs: 50,
    });
    const stalled = await stalledRequest(100 * KiB, 10 * KiB);
    const response = await backend.fetch(stalled.request);
    expect(response.status).toBe(408);
    expect(response.headers.get("connection")).toBe("close");
    expect((await errorOf(response)).code).toBe("body_timeout");
    expect(stalled.cancelled()).toBe(true);
    expect(backend.bodyBytesReserved()).toBe(0);
  });

  it("a body without Content-Length reserves the job's cap while it is read", async () => {
    const backend = createNodeBackend({ relaySecret: SECRET, now: () => NOW_MS, log: logCollector().log });
    let release: () => void = () => undefined;
    const raw = JSON.stringify(VALID_BODY);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        release = () => {
          controller.enqueue(new TextEncoder().encode(raw));
          controller.close();
        };
      },
    });
    const request = new Request("http://backend.test/v1/jobs/chart", {
      method: "POST",
      headers: await relayHeaders(SECRET, raw, NOW_S),
      body: stream,
      duplex: "half",
    } as RequestInit);
    const pending = backend.fetch(request);
    await vi.waitFor(() => expect(backend.bodyBytesReserved()).toBe(CHART_MAX_INPUT_BYTES));
    release();
    expect((await pending).status).toBe(200);
    expect(backend.bodyBytesReserved()).toBe(0);
  });
});

// ---- over TCP ----

const servers: BackendServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(options: Parameters<typeof startBackendServer>[0] = { relaySecret: SECRET }) {
  const started = await startBackendServer({ log: logCollector().log, ...options });
  servers.push(started);
  return started;
}

interface RawConnection {
  socket: Socket;
  /** Everything received so far. */
  received: () => string;
  closed: Promise<void>;
}

function open(url: string, first: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(first);
      resolve({ socket, received: () => received, closed });
    });
    sockets.push(socket);
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", () => undefined); // a reset is one of the outcomes under test
    const closed = new Promise<void>((done) => socket.on("close", () => done()));
    socket.once("error", reject);
  });
}

function postHead(path: string, contentLength: number, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${contentLength}\r\n${lines.join("")}\r\n`;
}

describe("the Node server's connection limits", () => {
  it("closes a connection that has not finished its headers within headersTimeoutMs", async () => {
    const backend = await server({ relaySecret: SECRET, headersTimeoutMs: 200 });
    const connection = await open(backend.url, "POST /v1/jobs/chart HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await connection.closed; // Node answers 408 and closes; without the limit this would hang for 60 s
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("answers a body that stops arriving with 408 body_timeout and closes the connection", async () => {
    const backend = await server({ relaySecret: SECRET, bodyTimeoutMs: 200 });
    const headers = await relayHeaders(SECRET, "{}");
    const connection = await open(backend.url, postHead("/v1/jobs/chart", 10 * KiB, headers) + "x".repeat(KiB));
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(connection.received()).toContain('"code":"body_timeout"');
  });

  it("evicted stalled uploads are told 503 and closed, and a signed job still succeeds", async () => {
    const backend = await server({ relaySecret: SECRET, bodyBudgetBytes: CHART_MAX_INPUT_BYTES });
    const headers = await relayHeaders(SECRET, "{}");
    const stalled: RawConnection[] = [];
    for (let i = 0; i < 6; i++) {
      stalled.push(await open(backend.url, postHead("/v1/jobs/chart", 1024 * KiB, headers) + "x".repeat(16 * KiB)));
      await vi.waitFor(() =>
        expect(backend.backend.bodyBytesReserved()).toBeGreaterThanOrEqual(Math.min(i + 1, 4) * 1024 * KiB),
      );
    }
    // 4 MiB of budget holds four of the 1 MiB reads: the first two were evicted and their sockets closed.
    await Promise.all(stalled.slice(0, 2).map((connection) => connection.closed));
    for (const connection of stalled.slice(0, 2)) {
      expect(connection.received()).toMatch(/^HTTP\/1\.1 503/);
      expect(connection.received()).toContain('"code":"body_evicted"');
    }
    const body = JSON.stringify(VALID_BODY);
    const legit = await fetch(`${backend.url}/v1/jobs/chart`, {
      method: "POST",
      body,
      headers: await relayHeaders(SECRET, body),
    });
    expect(legit.status).toBe(200);
  });

  it("closes connections beyond maxConnections at once", async () => {
    const backend = await server({ relaySecret: SECRET, maxConnections: 16 });
    const held: RawConnection[] = [];
    for (let i = 0; i < 16; i++) held.push(await open(backend.url, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    const extra = await open(backend.url, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await extra.closed;
    expect(extra.received()).toBe(""); // dropped, never answered
    for (const connection of held) expect(connection.socket.destroyed).toBe(false);
  });
});
