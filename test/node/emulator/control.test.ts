// The HTTP control surface under /__emulator, used by tests that cannot hold the emulator object (Worker tests
// in workerd, the end-to-end test, the playground), served over real HTTP by startDiscordEmulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_APPLICATION_ID,
  startDiscordEmulator,
  TEST_USER_AGENT,
  type RunningEmulator,
} from "../../support/discord-emulator.ts";

const APP = DEFAULT_APPLICATION_ID;
let running: RunningEmulator;

beforeAll(async () => {
  running = await startDiscordEmulator({ port: 0, host: "127.0.0.1" });
});
afterAll(() => running.close());
beforeEach(() => running.emulator.reset());

const control = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${running.url}/__emulator${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
};
const discord = (method: string, path: string, body?: unknown) =>
  fetch(`${running.apiBase}${path}`, {
    method,
    headers: { "User-Agent": TEST_USER_AGENT, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("startDiscordEmulator", () => {
  it("listens on an ephemeral 127.0.0.1 port and reports url and apiBase", () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.apiBase).toBe(`${running.url}/api/v10`);
  });

  it("builds attachment URLs on the address the client used", async () => {
    const form = new FormData();
    form.set("payload_json", JSON.stringify({ content: "x" }));
    form.set("files[0]", new Blob(["hello"], { type: "text/plain" }), "a.txt");
    const r = await fetch(`${running.apiBase}/webhooks/${APP}/t/messages/@original`, {
      method: "PATCH",
      headers: { "User-Agent": TEST_USER_AGENT },
      body: form,
    });
    const message = await r.json();
    expect(message.attachments[0].url.startsWith(`${running.url}/attachments/`)).toBe(true);
    const file = await fetch(message.attachments[0].url);
    expect(file.headers.get("content-type")).toBe("text/plain");
    expect(await file.text()).toBe("hello");
  });
});

describe("/__emulator routes", () => {
  it("GET /health", async () => {
    expect((await control("GET", "/health")).json).toEqual({
      ok: true,
      application_id: APP,
      strict_tokens: false,
      worker_logs: false,
    });
  });

  it("POST /interactions issues a registered interaction; GET /messages?token= returns its conversation", async () => {
    const issued = await control("POST", "/interactions", { type: 2, data: { name: "chart" } });
    expect(issued.status).toBe(201);
    const { id, token } = issued.json;
    await discord("POST", `/interactions/${id}/${token}/callback`, { type: 5 });
    await discord("PATCH", `/webhooks/${APP}/${token}/messages/@original`, { content: "done" });
    const conversation = await control("GET", `/messages?token=${encodeURIComponent(token)}`);
    expect(conversation.json).toMatchObject({
      token,
      interaction_id: id,
      interaction_type: 2,
      acknowledged: true,
      callbacks: [{ type: 5, via: "callback" }],
      messages: [{ role: "original", content: "done", edits: 1, loading: false }],
    });
    expect((await control("GET", "/messages?token=unknown")).status).toBe(404);
    expect((await control("GET", "/messages")).json).toHaveLength(1);
  });

  it("POST /interactions/{token}/response records an inline answer", async () => {
    const { json: i } = await control("POST", "/interactions", { type: 2, data: { name: "ping" } });
    expect(
      (await control("POST", `/interactions/${i.token}/response`, { type: 4, data: { content: "pong" } })).status,
    ).toBe(204);
    const r = await discord("GET", `/webhooks/${APP}/${i.token}/messages/@original`);
    expect((await r.json()).content).toBe("pong");
    const again = await control("POST", `/interactions/${i.token}/response`, { type: 4, data: { content: "twice" } });
    expect(again).toMatchObject({ status: 400, json: { code: 40060 } });
  });

  it("GET /calls lists and filters; DELETE /calls clears calls, faults and conversations but keeps commands", async () => {
    await discord("PATCH", `/webhooks/${APP}/t/messages/@original`, { content: "a" });
    await discord("POST", `/webhooks/${APP}/t`, { content: "b" });
    expect((await control("GET", "/calls")).json).toHaveLength(2);
    expect((await control("GET", "/calls?method=POST")).json).toMatchObject([
      { method: "POST", status: 200, body: { json: { content: "b" } } },
    ]);
    expect((await control("GET", "/calls?path=@original")).json).toHaveLength(1);
    running.emulator.state.commands.global.push({
      id: "1",
      application_id: APP,
      version: "1",
      type: 1,
      name: "ping",
      description: "p",
    });
    await control("POST", "/faults", { respond: { status: 500 } });
    expect((await control("DELETE", "/calls")).status).toBe(204);
    expect((await control("GET", "/calls")).json).toEqual([]);
    expect((await control("GET", "/faults")).json).toEqual([]);
    expect((await control("GET", "/messages?token=t")).status).toBe(404);
    expect((await control("GET", "/commands")).json).toMatchObject([{ name: "ping" }]);
  });

  it("POST /reset clears calls, faults, conversations and commands", async () => {
    await discord("PATCH", `/webhooks/${APP}/t/messages/@original`, { content: "a" });
    running.emulator.state.commands.global.push({
      id: "1",
      application_id: APP,
      version: "1",
      type: 1,
      name: "ping",
      description: "p",
    });
    await control("POST", "/faults", { respond: { status: 500 } });
    expect((await control("POST", "/reset")).status).toBe(204);
    expect((await control("GET", "/calls")).json).toEqual([]);
    expect((await control("GET", "/faults")).json).toEqual([]);
    expect((await control("GET", "/messages")).json).toEqual([]);
    expect((await control("GET", "/commands")).json).toEqual([]);
  });

  it("PATCH /config switches strict token mode", async () => {
    expect((await control("PATCH", "/config", { strictTokens: true })).json).toMatchObject({ strict_tokens: true });
    expect((await discord("PATCH", `/webhooks/${APP}/unknown/messages/@original`, { content: "a" })).status).toBe(404);
    await control("PATCH", "/config", { strictTokens: false });
    expect((await discord("PATCH", `/webhooks/${APP}/unknown/messages/@original`, { content: "a" })).status).toBe(200);
  });

  it("GET /commands shows registered commands without a bot token", async () => {
    await fetch(`${running.apiBase}/applications/${APP}/commands`, {
      method: "PUT",
      headers: { "User-Agent": TEST_USER_AGENT, "Content-Type": "application/json", Authorization: "Bot t" },
      body: JSON.stringify([{ name: "ping", description: "p" }]),
    });
    expect((await control("GET", "/commands")).json).toMatchObject([{ name: "ping" }]);
  });

  it("unknown control routes answer a namespaced 404", async () => {
    expect((await control("GET", "/nope")).json.error).toMatch(/^emulator\(control\)/);
  });
});
