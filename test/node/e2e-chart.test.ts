// End to end on loopback: the Worker under wrangler dev, the real backend (ECharts + resvg) and the Discord
// emulator, all started by the same code as `npm start`. /chart goes from a signed interaction to the final edit.
// One list, two backends: the Node server, and the backend Worker under its own wrangler dev (`--backend worker`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendInteraction, type InteractionPayload } from "../../src/emulator/index.ts";
import type { Stack } from "../../scripts/lib/stack.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

let local: TestStack;
let stack: Stack;
let output: string[];

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

async function chart(values: string, kind = "line") {
  const payload = stack.emulator.emulator.issueInteraction({
    type: 2,
    data: {
      id: "1",
      name: "chart",
      type: 1,
      options: [
        { type: 3, name: "values", value: values },
        { type: 3, name: "kind", value: kind },
      ],
    },
  } as never) as InteractionPayload;
  const sent = await sendInteraction(`${stack.workerUrl}/interactions`, payload, stack.config.keyPair.privateKeyHex, {
    emulator: stack.emulator.emulator,
  });
  return { payload, sent, token: String(payload.token) };
}

async function finalMessage(token: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [message] = stack.emulator.emulator.messagesFor(token);
    if (message && !message.loading) return message;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no final edit within ${timeoutMs} ms\n${output.slice(-30).join("\n")}`);
}

describe.each(["node", "worker"] as const)("/chart end to end with the %s backend", (backend) => {
  beforeAll(async () => {
    local = await startTestStack(`e2e-chart-${backend}`, { backend });
    ({ stack, output } = local);
    expect(stack.backend.kind).toBe(backend);
  }, 90_000);

  afterAll(async () => {
    await local?.stop();
  });
  it("acknowledges at once and ends in one edit carrying a real PNG", async () => {
    const { sent, token } = await chart("3,5,2,8,13,21", "bar");
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ type: 5 });
    expect(sent.timedOut).toBe(false);
    const message = await finalMessage(token);
    expect(message.edits).toBe(1);
    expect(message.embeds).toHaveLength(1);
    expect(message.attachments).toHaveLength(1);
    const file = stack.emulator.emulator.file(message.attachments[0]!.id)!;
    expect([...file.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(file.bytes.byteLength).toBeGreaterThan(5_000);
    const patches = stack.emulator.emulator
      .calls({ method: "PATCH" })
      .filter((c) => c.path.includes("/messages/@original"));
    expect(patches.filter((c) => c.status === 200)).toHaveLength(1);
  }, 60_000);

  it("still delivers when Discord answers 429 first", async () => {
    stack.emulator.emulator.faults.push({
      match: { method: "PATCH" },
      times: 1,
      respond: { status: 429, json: { message: "You are being rate limited.", retry_after: 0.2, global: false } },
    });
    const { token } = await chart("1,2,3");
    const message = await finalMessage(token);
    expect(message.attachments).toHaveLength(1);
    const mine = stack.emulator.emulator
      .calls({ method: "PATCH" })
      .filter((c) => c.path.includes("/messages/@original"))
      .slice(-2);
    expect(mine.map((c) => c.status)).toEqual([429, 200]);
  }, 60_000);

  it("ends with a readable error edit when the backend is down", async () => {
    await stack.backend.close();
    // Values not charted before: a chart in the Worker's cache would not need the backend.
    const { sent, token } = await chart("7,1,9");
    expect(sent.body).toEqual({ type: 5 });
    const message = await finalMessage(token);
    expect(message.content).toMatch(/backend is unreachable.*reference `[0-9a-f]{8}`/);
    expect(message.attachments).toHaveLength(0);
  }, 60_000);
});
