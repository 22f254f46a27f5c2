// The relay's faults end to end, with each real backend: the Worker under wrangler dev, the Discord emulator, and
// the real backend (the Node server of `npm run backend`, or the backend Worker under its own wrangler dev) behind a
// small proxy on the port the Worker relays to. One test file per backend (test/node/e2e-faults-node.test.ts,
// e2e-faults-worker.test.ts), so that the two run at the same time. Whatever the backend does, the user must end with one
// readable error edit (never "thinking…" forever, never "The application did not respond"), and the Worker must
// log one line with the outcome.
//
// How each fault is made, honestly:
// - hanging: the real backend process group is frozen with SIGSTOP (wrangler and its workerd for the backend
//   Worker), so the kernel still accepts the connection and the request is sent, and nothing answers. The Worker's
//   relay timeout (20 s, RELAY_TIMEOUT_MS in src/worker/kit/relay/client.ts, not configurable, so this test waits it
//   out) must end it. SIGCONT before teardown.
// - 500: the backend answers 500 only for a bug (app.ts and job-request.ts turn any exception into a JSON 500),
//   and no input the Worker sends reaches one, so there is no real code path to take. A fault-injecting proxy in
//   front of the real backend answers instead: once with the backend's own error shape (errorResponse), once
//   with the plain-text 500 a reverse proxy in front of a self-hosted backend would send.
//
// The stack is the one `npm start` starts (test-stack.ts); its backend is stopped and a backend process of the
// same kind, with the same secret, takes over behind the proxy on the same port, so the Worker's BACKEND_URL
// (fixed when wrangler dev starts) now reaches the proxy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendInteraction, type InteractionPayload } from "../../src/emulator/index.ts";
import { errorResponse, HttpError } from "../../src/backend/errors.ts";
import type { Stack } from "../../scripts/lib/stack.ts";
import { startBackendProcess, type BackendProcess } from "./backend-process.ts";
import { startFaultProxy, type FaultProxy } from "./fault-proxy.ts";
import { startTestStack, type TestStack } from "./test-stack.ts";

export function relayFaultsEndToEnd(kind: "node" | "worker"): void {
  /** Cloudflare cancels waitUntil work ≈ 30 s after the response: the error edit must come before. */
  const WAIT_UNTIL_LIMIT_MS = 30_000;

  let local: TestStack | undefined;
  let stack: Stack;
  let output: string[];
  let backend: BackendProcess | undefined;
  let proxy: FaultProxy | undefined;
  // Each chart distinct: a chart in the Worker's cache would not need the backend.
  let nextValue = 100;

  async function chart() {
    const n = nextValue++;
    const values = [n, 7, 3, 11].join(",");
    const payload = stack.emulator.emulator.issueInteraction({
      type: 2,
      // Each from its own user: the per-user limit on heavy commands (5 a minute) is not what this file tests.
      user: { id: `2000000000000000${n}` },
      data: { id: "1", name: "chart", type: 1, options: [{ type: 3, name: "values", value: values }] },
    } as never) as InteractionPayload;
    const sentAt = Date.now();
    const sent = await sendInteraction(`${stack.workerUrl}/interactions`, payload, stack.config.keyPair.privateKeyHex, {
      emulator: stack.emulator.emulator,
    });
    return { payload, sent, sentAt, token: String(payload.token), id: String(payload.id) };
  }

  async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 45_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${what} within ${timeoutMs} ms\n${output.slice(-40).join("\n")}`);
  }

  function finalMessage(token: string) {
    return eventually("final edit", () => {
      const [message] = stack.emulator.emulator.messagesFor(token);
      return message && !message.loading ? { message, at: Date.now() } : undefined;
    });
  }

  /** The Worker's `deferred` log lines for one interaction (JSON lines in wrangler dev's output). */
  function deferredLines(interactionId: string): Array<Record<string, unknown>> {
    return (
      output
        .filter((line) => line.startsWith("[worker] ") && line.includes('"event":"deferred"'))
        // console.error lines come wrapped in colour codes: the JSON is from the first { to the last }.
        .map((line) => JSON.parse(line.slice(line.indexOf("{"), line.lastIndexOf("}") + 1)) as Record<string, unknown>)
        .filter((line) => line.interaction_id === interactionId)
    );
  }

  async function oneDeferredLine(interactionId: string) {
    await eventually("deferred log line", () => (deferredLines(interactionId).length > 0 ? true : undefined));
    const lines = deferredLines(interactionId);
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  /** The answer every fault must end in: acknowledged at once, then one edit that says what happened. */
  async function expectOneErrorEdit(token: string, sent: Awaited<ReturnType<typeof chart>>["sent"], text: RegExp) {
    expect(sent.status).toBe(200);
    expect(sent.timedOut).toBe(false);
    expect(sent.body).toEqual({ type: 5 });
    const { message, at } = await finalMessage(token);
    expect(message.edits).toBe(1);
    expect(message.content).toMatch(text);
    expect(message.content).toMatch(/\(reference `[0-9a-f]{8}`\)$/);
    expect(message.attachments).toHaveLength(0);
    expect(message.embeds).toHaveLength(0);
    return { message, at };
  }

  describe(`relay faults end to end with the real ${kind} backend`, () => {
    beforeAll(async () => {
      local = await startTestStack(`e2e-faults-${kind}`, { backend: kind });
      ({ stack, output } = local);
      expect(stack.backend.kind).toBe(kind);
      const port = Number(new URL(stack.backend.url).port);
      const attachmentHosts = [new URL(stack.emulatorUrl).host];
      backend = await startBackendProcess(kind, {
        relaySecret: stack.config.relaySecret,
        attachmentHosts,
        dir: local.dir,
        log: (line) => output.push(`[backend] ${line}`),
      });
      await stack.backend.close();
      proxy = await startFaultProxy(port, backend.url);
    }, 150_000);

    afterAll(async () => {
      backend?.resume();
      await proxy?.close();
      await backend?.stop();
      await local?.stop();
      backend = proxy = local = undefined;
    }, 60_000);

    it("charts through the proxy while the backend is healthy (the path the faults below break)", async () => {
      const { sent, token, id } = await chart();
      expect(sent.body).toEqual({ type: 5 });
      const { message } = await finalMessage(token);
      expect(message.attachments.map((a) => a.filename)).toEqual(["chart.png"]);
      expect(proxy!.received).toContain("POST /v1/jobs/chart");
      expect(await oneDeferredLine(id)).toMatchObject({ outcome: "ok", job: "render" });
    }, 60_000);

    it("ends a hanging backend with the timeout message once the relay timeout passes", async () => {
      backend!.pause();
      try {
        const { sent, sentAt, token, id } = await chart();
        const { at } = await expectOneErrorEdit(token, sent, /^⚠️ The backend took too long, so I stopped waiting\./);
        const line = await oneDeferredLine(id);
        expect(line).toMatchObject({ outcome: "task_error", job: "render", level: "error" });
        const timeoutS = Number(/^relay\(chart\): no answer within (\d+) s$/.exec(String(line.error))?.[1]);
        expect(timeoutS).toBeGreaterThan(0);
        // Not before the relay timeout (the backend was waited for), and in time for the edit to be delivered.
        expect(at - sentAt).toBeGreaterThanOrEqual(timeoutS * 1000);
        expect(at - sentAt).toBeLessThan(WAIT_UNTIL_LIMIT_MS);
        expect(line.total_ms).toBeLessThan(WAIT_UNTIL_LIMIT_MS);
      } finally {
        backend!.resume();
      }
    }, 60_000);

    it("charts again once the backend resumes", async () => {
      const { token } = await chart();
      const { message } = await finalMessage(token);
      expect(message.attachments.map((a) => a.filename)).toEqual(["chart.png"]);
    }, 60_000);

    it.each([
      ["the backend's JSON error", "application/json; charset=utf-8", "internal_error"],
      ["a reverse proxy's plain-text page", "text/plain", "502 upstream failed"],
    ])(
      "ends a 500 (%s) with the backend-failed message at once",
      async (_, contentType, detail) => {
        const body = contentType.startsWith("application/json")
          ? await errorResponse(
              new HttpError(500, "internal_error", "unexpected backend error; quote ref 00000000", { ref: "00000000" }),
            ).text()
          : `Internal Server Error: ${detail}`;
        proxy!.mode = { fail: { status: 500, contentType, body } };
        try {
          const { sent, sentAt, token, id } = await chart();
          const { at } = await expectOneErrorEdit(
            token,
            sent,
            /^⚠️ The backend failed while working on this\. Please try again; if it keeps happening, tell the bot's operator\./,
          );
          // What the backend said stays in the operator's log, not in the user's message.
          const line = await oneDeferredLine(id);
          expect(line).toMatchObject({ outcome: "task_error", job: "render", level: "error" });
          expect(String(line.error)).toMatch(/^relay\(chart\): 500 /);
          expect(String(line.error)).toContain(
            contentType.startsWith("application/json") ? "unexpected backend error" : detail,
          );
          // A 500 is final: no retry, no waiting for the relay timeout.
          expect(at - sentAt).toBeLessThan(10_000);
        } finally {
          proxy!.mode = "pass";
        }
      },
      60_000,
    );
  });
}
