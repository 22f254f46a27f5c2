// Issue 19, item 1: the Node server draws charts on render threads, never on the event loop that answers requests.
// Before, one chart whose header cell was 120 KB held the loop for 7 s and a GET /health sent meanwhile failed. The
// server here runs its real render pool with a test entry module for the threads (test/support/gated-render-
// thread.ts) that holds each render at a gate, as a long render holds its thread, then draws it for real: so the
// test knows a render is in progress without timing anything, and sees what the server does meanwhile.

import { afterEach, describe, expect, it, vi } from "vitest";
import { startBackendServer, type BackendServer } from "../../../src/backend/index.ts";
import { SECRET, errorOf, logCollector, pngSize, signedJobRequest } from "./support.ts";

const GATED_THREAD = new URL("../../support/gated-render-thread.ts", import.meta.url);

function gate() {
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(shared);
  return {
    workerData: { gate: shared },
    /** Renders that have reached the gate so far. */
    reached: () => Atomics.load(cells, 0),
    open() {
      Atomics.store(cells, 1, 1);
      Atomics.notify(cells, 1);
    },
    runaway: (on: boolean) => Atomics.store(cells, 2, on ? 1 : 0),
  };
}

let server: BackendServer | undefined;
let opened: ReturnType<typeof gate> | undefined;
afterEach(async () => {
  opened?.open();
  await server?.close();
  server = undefined;
});

async function start(options: { renderThreads: number; renderTimeoutMs?: number }) {
  opened = gate();
  const logs = logCollector();
  server = await startBackendServer({
    relaySecret: SECRET,
    log: logs.log,
    renderThread: { script: GATED_THREAD, workerData: opened.workerData },
    ...options,
  });
  return { server, gate: opened, logs };
}

const chartRequest = (base: string, id: string) =>
  signedJobRequest(
    "chart",
    { id, input: { title: "Gated", values: "1, 4, 2, 8" } },
    { base, timestamp: Math.floor(Date.now() / 1000) },
  );

describe("Node server: renders off the event loop (issue 19)", () => {
  it("answers GET /health while a render is in progress", async () => {
    const { server, gate } = await start({ renderThreads: 1 });
    let answered = false;
    const job = fetch(await chartRequest(server.url, "health-1")).then((response) => {
      answered = true;
      return response;
    });
    await vi.waitFor(() => expect(gate.reached()).toBe(1), { timeout: 20_000 });

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", in_flight: 1 });
    expect(answered).toBe(false); // the render is still held at the gate

    gate.open();
    const response = await job;
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as { result: { png: string } };
    expect(pngSize(new Uint8Array(Buffer.from(result.png, "base64")))).toEqual({ width: 800, height: 450 });
  });

  it("stops a runaway render at the time limit (422 render_timeout, not retriable) and draws the next chart on a fresh thread", async () => {
    // The limit leaves a real (cold) render on a loaded machine ample room; the runaway never ends, whatever the limit.
    const { server, gate, logs } = await start({ renderThreads: 1, renderTimeoutMs: 4_000 });
    gate.runaway(true);
    const stopped = await fetch(await chartRequest(server.url, "runaway-1"));
    expect(stopped.status).toBe(422);
    expect(await errorOf(stopped)).toMatchObject({
      code: "render_timeout",
      retriable: false,
      message:
        "This chart took longer than 4 s to draw, so the backend stopped it. Try fewer rows, shorter labels or a shorter title.",
    });
    expect(logs.events).toContainEqual(
      expect.objectContaining({ event: "thread_stopped", pool: "render", reason: "timeout" }),
    );

    gate.runaway(false);
    gate.open();
    const next = await fetch(await chartRequest(server.url, "runaway-2"));
    expect(next.status).toBe(200);
    expect(gate.reached()).toBe(2);
  });

  it("answers 503 + Retry-After when every render thread is busy and the waiting line is full, and forgets that request's signature", async () => {
    const { server, gate } = await start({ renderThreads: 1 });
    const first = fetch(await chartRequest(server.url, "busy-1"));
    await vi.waitFor(() => expect(gate.reached()).toBe(1), { timeout: 20_000 });
    const second = fetch(await chartRequest(server.url, "busy-2")); // waits for the one thread
    await vi.waitFor(() => expect(server.backend.inFlight()).toBe(2));

    const thirdRequest = await chartRequest(server.url, "busy-3");
    const third = await fetch(thirdRequest.clone());
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("2");
    expect(await errorOf(third)).toMatchObject({
      code: "saturated",
      message: "all 1 render threads are busy; retry after 2 s",
    });

    gate.open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    // Refused as busy, so the same signed request may come again (no 409 replay).
    expect((await fetch(thirdRequest)).status).toBe(200);
  });
});
