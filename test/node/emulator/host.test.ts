// DNS rebinding: a web page whose name now resolves to 127.0.0.1 reaches the emulator from the developer's
// browser, but its requests still carry that name as Host. The real server (startDiscordEmulator) must refuse
// every route for a non-loopback Host and keep answering 127.0.0.1, localhost and [::1] on any port.
import { request, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isLoopbackHost, isLoopbackHostname } from "../../../src/emulator/loopback.ts";
import {
  DEFAULT_APPLICATION_ID,
  startDiscordEmulator,
  TEST_USER_AGENT,
  type RunningEmulator,
} from "../../support/discord-emulator.ts";

const APP = DEFAULT_APPLICATION_ID;
let running: RunningEmulator;
let port: number;
/** An uploaded file's path, /attachments/<message>/<attachment>/a.txt. */
let attachmentPath: string;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP/1.1 request to the emulator's socket with the Host header given; `headersOnly` for the event stream. */
function send(
  path: string,
  host: string,
  options: { headers?: Record<string, string>; headersOnly?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, method: "GET", agent: false, headers: { ...options.headers, host } },
      (res) => {
        if (options.headersOnly) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
          res.destroy();
          return;
        }
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Raw bytes on the socket, for what node:http will not send (no Host, an absolute request target). */
function sendRaw(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(`${head}\r\nConnection: close\r\n\r\n`));
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (text += chunk));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

const api = { "user-agent": TEST_USER_AGENT, authorization: "Bot test" };
/** Each route family the server exposes: the REST API, files, the control surface, the page, its assets and its event stream. */
const routes = () => [
  { name: "GET /__emulator/calls", path: "/__emulator/calls" },
  { name: "GET /api/v10/applications/:app/commands", path: `/api/v10/applications/${APP}/commands`, headers: api },
  { name: "GET /attachments/…", path: attachmentPath },
  { name: "GET / (the playground)", path: "/" },
  { name: "GET /playground/main.ts", path: "/playground/main.ts" },
];
/** The event stream never ends when it is served, so only its status and headers are read. */
const events = { name: "GET /__emulator/events", path: "/__emulator/events", headersOnly: true };

beforeAll(async () => {
  running = await startDiscordEmulator({ port: 0 });
  port = Number(new URL(running.url).port);
});
afterAll(() => running.close());
beforeEach(async () => {
  running.emulator.reset();
  const form = new FormData();
  form.set("payload_json", JSON.stringify({ content: "x" }));
  form.set("files[0]", new Blob(["hello"], { type: "text/plain" }), "a.txt");
  const r = await fetch(`${running.apiBase}/webhooks/${APP}/t/messages/@original`, {
    method: "PATCH",
    headers: { "User-Agent": TEST_USER_AGENT },
    body: form,
  });
  attachmentPath = new URL((await r.json()).attachments[0].url).pathname;
  // Who reads the recorded calls can read their tokens: the setup's own call is the one a forged Host must not see.
  expect(running.emulator.calls()).toHaveLength(1);
});

describe("the emulator's server refuses a non-loopback Host", () => {
  for (const forged of [
    "evil.example",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "app.localhost",
    "evil.example:80",
  ]) {
    it(`refuses every route for Host ${forged}, before any route runs`, async () => {
      const host = forged.includes(":") ? forged : `${forged}:${port}`;
      for (const route of routes()) {
        const r = await send(route.path, host, route);
        expect(r.status, route.name).toBe(421);
        expect(r.headers["content-type"], route.name).toMatch(/^application\/json/);
        expect(JSON.parse(r.body).message, route.name).toMatch(/127\.0\.0\.1, localhost or \[::1\]/);
        expect(r.body, route.name).not.toContain("hello");
      }
      const stream = await send(events.path, host, events);
      expect(stream.status).toBe(421);
      expect(stream.headers["content-type"]).not.toMatch(/event-stream/);
      // The API call was refused before the pipeline recorded it.
      expect(running.emulator.calls()).toHaveLength(1);
    });
  }

  it("names the Host it refused", async () => {
    const r = await send("/__emulator/calls", `evil.example:${port}`);
    expect(JSON.parse(r.body)).toEqual({
      code: 0,
      message: `emulator(host): refused a request with Host "evil.example:${port}"; the emulator only answers requests addressed to 127.0.0.1, localhost or [::1] (any port), so a web page cannot read it through DNS rebinding`,
    });
  });

  it("refuses a request without a Host header", async () => {
    const raw = await sendRaw("GET /__emulator/calls HTTP/1.0");
    expect(raw).toMatch(/^HTTP\/1\.1 421 /);
    expect(raw).toContain("no Host header");
  });

  it("refuses an absolute request target for a rebound name, whatever the Host header says", async () => {
    const raw = await sendRaw(`GET http://evil.example:${port}/__emulator/calls HTTP/1.1\r\nHost: 127.0.0.1:${port}`);
    expect(raw).toMatch(/^HTTP\/1\.1 421 /);
    expect(raw).not.toContain("/webhooks/");
  });
});

describe("the emulator's server answers loopback Hosts", () => {
  for (const name of ["127.0.0.1", "localhost", "LocalHost", "localhost.", "[::1]"]) {
    it(`answers every route for Host ${name}:PORT`, async () => {
      for (const route of routes()) {
        const r = await send(route.path, `${name}:${port}`, route);
        expect(r.status, route.name).toBe(200);
      }
      const stream = await send(events.path, `${name}:${port}`, events);
      expect(stream.status).toBe(200);
      expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
      const calls = JSON.parse((await send("/__emulator/calls", `${name}:${port}`)).body);
      expect(calls.map((c: { path: string }) => c.path)).toEqual([
        `/api/v10/webhooks/${APP}/t/messages/@original`,
        `/api/v10/applications/${APP}/commands`,
      ]);
      expect((await send(attachmentPath, `${name}:${port}`)).body).toBe("hello");
    });
  }

  it("answers a loopback Host on another port (a proxy or a forwarded port)", async () => {
    expect((await send("/__emulator/health", "localhost:1")).status).toBe(200);
    expect((await send("/__emulator/health", "127.0.0.1")).status).toBe(200);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1:8790", true],
    ["127.0.0.1", true],
    ["localhost:8790", true],
    ["LOCALHOST:8790", true],
    ["localhost.:8790", true],
    ["[::1]:8790", true],
    ["[0:0:0:0:0:0:0:1]:8790", true],
    [null, false],
    ["", false],
    ["evil.example:8790", false],
    ["localhost.evil.example", false],
    ["evil.localhost", false],
    ["127.0.0.1.evil.example", false],
    ["127.0.0.1@evil.example", false],
    ["evil.example@127.0.0.1", false],
    ["127.0.0.1/x", false],
    ["127.0.0.1:8790:1", false],
    ["[::1", false],
    ["::1", false],
    ["127.0.0.2", false],
    ["0.0.0.0", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it("shares its hostnames with the control surface's Origin check (isLoopbackHostname)", () => {
    expect(["127.0.0.1", "localhost", "localhost.", "[::1]"].every(isLoopbackHostname)).toBe(true);
    expect(["discord.test", "localhost.evil.example", "127.0.0.2"].some(isLoopbackHostname)).toBe(false);
  });
});
