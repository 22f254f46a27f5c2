// The playground's control routes over real HTTP: POST /__emulator/send (sign, POST to a Worker, record the
// answer, Discord's failure texts), the feed (timeline merged by message id, log with tokens redacted), the
// change stream (SSE), uploads for ATTACHMENT options, the cross-site guard, and the page's files.
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  generateDevKeyPair,
  startDiscordEmulator,
  TEST_USER_AGENT,
  type DevKeyPair,
  type RunningEmulator,
} from "../../support/discord-emulator.ts";

let keys: DevKeyPair;
let running: RunningEmulator;
let worker: Server;
let workerUrl: string;
/** The last interaction the fake Worker received (after its signature checked out). */
let received: Record<string, any> | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function verify(publicKeyHex: string, signature: string, timestamp: string, body: string): Promise<boolean> {
  const key = await crypto.subtle.importKey("raw", Buffer.from(publicKeyHex, "hex"), { name: "Ed25519" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify(
    { name: "Ed25519" },
    key,
    Buffer.from(signature, "hex"),
    new TextEncoder().encode(timestamp + body),
  );
}

async function editOriginal(token: string, content: string): Promise<void> {
  const r = await fetch(`${running.apiBase}/webhooks/${DEFAULT_APPLICATION_ID}/${token}/messages/@original`, {
    method: "PATCH",
    headers: { "User-Agent": TEST_USER_AGENT, "Content-Type": "application/json" },
    body: JSON.stringify({ content }),
  });
  if (!r.ok) throw new Error(`edit failed: ${r.status} ${await r.text()}`);
}

/** A Worker stand-in: checks Discord's signature, then answers by command name or custom_id. */
async function answer(
  interaction: Record<string, any>,
): Promise<{ status?: number; body?: unknown; after?: () => Promise<void>; lateEnd?: boolean }> {
  const name = interaction.data?.name ?? interaction.data?.custom_id;
  const admin = (BigInt(interaction.member?.permissions ?? "0") & 8n) === 8n;
  switch (name) {
    case "ping":
      return { body: { type: 4, data: { content: "Pong" } } };
    case "whoami":
      return { body: { type: 4, data: { content: admin ? "admin" : "member", flags: 64 } } };
    case "slow":
      await sleep(3_300);
      return { body: { type: 4, data: { content: "late" } } };
    case "empty":
      return { body: { type: 4, data: { content: "" } } };
    case "crash":
      return { status: 500, body: { error: "boom" } };
    case "buttons":
      return {
        body: {
          type: 4,
          data: {
            content: "pick",
            components: [{ type: 1, components: [{ type: 2, style: 1, label: "Go", custom_id: "go" }] }],
          },
        },
      };
    case "go-deferred":
      return { body: { type: 6 }, after: () => editOriginal(interaction.token, "updated later"), lateEnd: true };
    case "go":
      return { body: { type: 7, data: { content: `went (message ${interaction.message?.id})`, components: [] } } };
    case "defer":
      return { body: { type: 5 }, after: () => sleep(50).then(() => editOriginal(interaction.token, "done")) };
    case "defer-race":
      // The edit leaves the Worker the moment it has answered, racing the emulator's record of that answer.
      return { body: { type: 5 }, after: () => editOriginal(interaction.token, "raced"), lateEnd: true };
    case "Sum numbers": {
      // A message command: the target comes whole in data.resolved.messages.
      const target = interaction.data.resolved?.messages?.[interaction.data.target_id];
      const numbers =
        String(target?.content ?? "")
          .match(/\d+/g)
          ?.map(Number) ?? [];
      return numbers.length < 2
        ? { body: { type: 4, data: { content: "Not enough numbers", flags: 64 } } }
        : {
            body: { type: 5 },
            after: () =>
              sleep(50).then(() => editOriginal(interaction.token, `Sum: ${numbers.reduce((a, b) => a + b, 0)}`)),
          };
    }
    case "file": {
      const id = interaction.data.options[0].value;
      return { body: { type: 4, data: { content: interaction.data.resolved?.attachments?.[id]?.url ?? "no file" } } };
    }
    default:
      return { body: { type: 4, data: { content: `unknown ${name}` } } };
  }
}

beforeAll(async () => {
  keys = await generateDevKeyPair();
  worker = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const ok = await verify(
      keys.publicKeyHex,
      String(req.headers["x-signature-ed25519"]),
      String(req.headers["x-signature-timestamp"]),
      raw,
    );
    if (!ok) {
      res.writeHead(401).end("bad signature");
      return;
    }
    received = JSON.parse(raw);
    const { status = 200, body, after, lateEnd } = await answer(received!);
    res.writeHead(status, { "content-type": "application/json" });
    if (lateEnd) {
      // The body is out but the response ends late, so the edit in `after` overtakes the emulator's record of it.
      res.write(JSON.stringify(body));
      if (after) void after();
      setTimeout(() => res.end(), 150);
      return;
    }
    res.end(JSON.stringify(body));
    if (after) void after();
  });
  await new Promise<void>((r) => worker.listen(0, "127.0.0.1", r));
  workerUrl = `http://127.0.0.1:${(worker.address() as AddressInfo).port}/interactions`;
  running = await startDiscordEmulator({ worker: { url: workerUrl, privateKeyHex: keys.privateKeyHex } });
});

afterAll(async () => {
  await running.close();
  worker.closeAllConnections();
  await new Promise((r) => worker.close(r));
});

beforeEach(() => {
  running.emulator.reset({ keepCommands: true });
  received = undefined;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${running.url}/__emulator${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
const send = async (body: unknown) => {
  const r = await post("/send", body);
  return { status: r.status, json: await r.json() };
};
const feed = async () => (await fetch(`${running.url}/__emulator/feed`)).json();

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 3_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(25);
  }
}

describe("POST /__emulator/send", () => {
  it("signs, sends, records the inline answer and reports status and timing", async () => {
    const { status, json } = await send({ type: 2, data: { name: "ping" } });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      interaction: { type: 2, label: "/ping" },
      status: 200,
      body: { type: 4, data: { content: "Pong" } },
      timed_out: false,
    });
    expect(json.ms).toBeGreaterThanOrEqual(0);
    expect(json.error).toBeUndefined();
    expect(received).toMatchObject({ type: 2, id: json.interaction.id, member: { user: { username: "tester" } } });

    const snapshot = await feed();
    expect(snapshot.worker_url).toBe(workerUrl);
    expect(snapshot.timeline).toHaveLength(1);
    expect(snapshot.timeline[0]).toMatchObject({
      kind: "message",
      loading: false,
      ephemeral: false,
      invocation: { label: "/ping", user: "Tester", admin: false },
      message: { content: "Pong" },
    });
    const [entry] = snapshot.log;
    expect(entry).toMatchObject({
      kind: "interaction",
      method: "POST",
      target: workerUrl,
      status: 200,
      label: "/ping",
      request: { token: "[redacted]", type: 2 },
    });
  });

  it("acts in the bot's DM or a group DM, in the user's language, as Discord sends them; the feed says which channel", async () => {
    const dm = await send({ type: 2, data: { name: "ping" }, context: 1, locale: "de" });
    expect(dm.json.error).toBeUndefined();
    expect(received).toMatchObject({
      context: 1,
      locale: "de",
      user: { id: "1000000000000000003" },
      channel: { type: 1 },
      authorizing_integration_owners: { "1": "1000000000000000003" },
    });
    expect(received!.member).toBeUndefined();
    expect(received!.guild_id).toBeUndefined();
    await send({ type: 2, data: { name: "ping" }, context: 2, role: "admin" });
    expect(received).toMatchObject({
      context: 2,
      locale: "en-US",
      channel_id: "1000000000000000011",
      channel: { type: 3 },
      authorizing_integration_owners: { "1": "1000000000000000003" },
    });
    expect(received!.member).toBeUndefined();

    const snapshot = await feed();
    expect(snapshot.places.map((p: { context: number; channel_id: string }) => [p.context, p.channel_id])).toEqual([
      [0, "1000000000000000002"],
      [1, "1000000000000000010"],
      [2, "1000000000000000011"],
    ]);
    expect(snapshot.timeline.map((item: { message: { channel_id: string } }) => item.message.channel_id)).toEqual([
      "1000000000000000010",
      "1000000000000000011",
    ]);
    const posted = await post("/channel/messages", { content: "3 5 8", channel_id: "1000000000000000011" });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ channel_id: "1000000000000000011" });
  });

  it("refuses a context or locale Discord would not send, and a channel the emulator does not have (400)", async () => {
    expect((await send({ type: 2, data: { name: "ping" }, context: 3 })).status).toBe(400);
    expect((await send({ type: 2, data: { name: "ping" }, locale: "german" })).json.error).toMatch(
      /`locale` must be a Discord locale/,
    );
    const posted = await post("/channel/messages", { content: "x", channel_id: "42" });
    expect(posted.status).toBe(400);
    expect((await posted.json()).error).toMatch(/`channel_id` must be one of the emulated channels/);
  });

  it("acts as an admin (ADMINISTRATOR in member.permissions) or a plain member", async () => {
    expect((await send({ type: 2, data: { name: "whoami" }, role: "admin" })).json.body.data.content).toBe("admin");
    expect((await send({ type: 2, data: { name: "whoami" }, role: "member" })).json.body.data.content).toBe("member");
    const timeline = (await feed()).timeline;
    expect(timeline.map((i: any) => [i.invocation.admin, i.ephemeral])).toEqual([
      [true, true],
      [false, true],
    ]);
  });

  it("uses the registered command's id", async () => {
    await fetch(`${running.apiBase}/applications/${DEFAULT_APPLICATION_ID}/commands`, {
      method: "PUT",
      headers: { "User-Agent": TEST_USER_AGENT, "Content-Type": "application/json", Authorization: "Bot x" },
      body: JSON.stringify([{ name: "ping", description: "Ping" }]),
    });
    await send({ type: 2, data: { name: "ping" } });
    expect(received!.data.id).toBe(running.emulator.commands()[0]!.id);
    running.emulator.reset();
  });

  it("says 'The application did not respond' when the Worker misses the 3-second deadline", async () => {
    const { json } = await send({ type: 2, data: { name: "slow" } });
    expect(json).toMatchObject({
      status: null,
      timed_out: true,
      error: "The application did not respond (no answer within 3000 ms)",
    });
    const [failure] = (await feed()).timeline;
    expect(failure).toMatchObject({
      kind: "failure",
      error: json.error,
      invocation: { label: "/slow" },
      message_id: null,
    });
  }, 10_000);

  it("reports an HTTP error and an answer Discord would refuse", async () => {
    expect((await send({ type: 2, data: { name: "crash" } })).json).toMatchObject({
      status: 500,
      error: "The application did not respond (HTTP 500)",
    });
    expect((await send({ type: 2, data: { name: "empty" } })).json.error).toBe(
      "The application did not respond (Discord would refuse the answer: Cannot send an empty message)",
    );
  });

  it("sends a component interaction with the message as it is now; an update edits it in place", async () => {
    const first = await send({ type: 2, data: { name: "buttons" } });
    const [item] = (await feed()).timeline;
    const click = await send({
      type: 3,
      data: { component_type: 2, custom_id: "go" },
      message_id: item.key,
      label: "Go",
    });
    expect(click.json.error).toBeUndefined();
    expect(received!.message).toMatchObject({
      id: item.key,
      content: "pick",
      components: [{ type: 1 }],
      interaction_metadata: { id: first.json.interaction.id },
    });
    const timeline = (await feed()).timeline;
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({
      key: item.key,
      message: { content: `went (message ${item.key})`, components: [] },
      invocation: { label: "/buttons" },
    });
  });

  it("says 'This interaction failed' for a component that gets no answer", async () => {
    await send({ type: 2, data: { name: "buttons" } });
    const [item] = (await feed()).timeline;
    const { json } = await send({ type: 3, data: { component_type: 2, custom_id: "crash" }, message_id: item.key });
    expect(json.error).toBe("This interaction failed (HTTP 500)");
    expect((await feed()).timeline.at(-1)).toMatchObject({ kind: "failure", message_id: item.key });
  });

  it("shows 'thinking…' until the deferred edit lands, even when the edit overtakes the answer", async () => {
    await send({ type: 2, data: { name: "defer" } });
    const before = (await feed()).timeline[0];
    expect(before.loading).toBe(true);
    const after = await waitFor(async () =>
      (await feed()).timeline[0].loading ? undefined : (await feed()).timeline[0],
    );
    expect(after.message.content).toBe("done");

    const raced = await send({ type: 2, data: { name: "defer-race" } });
    expect(raced.json.error).toBeUndefined();
    const last = await waitFor(async () => {
      const item = (await feed()).timeline.at(-1);
      return item.loading ? undefined : item;
    });
    expect(last).toMatchObject({ message: { content: "raced" } });
    expect((await feed()).timeline).toHaveLength(2);
  });

  it("accepts an inline answer reported after the Worker's first edit (interact reports over HTTP)", async () => {
    const payload = running.emulator.issueInteraction({ type: 2, data: { name: "chart" } });
    await editOriginal(payload.token, "early");
    expect(await running.emulator.recordInlineResponse(payload.token, { type: 5 })).toEqual({ ok: true });
    const conversation = running.emulator.conversation(payload.token)!;
    expect(conversation.callbacks).toMatchObject([{ type: 5, via: "inline" }]);
    expect(conversation.messages).toMatchObject([{ content: "early", loading: false }]);
  });

  it("keeps a component's deferred update on its message when the edit overtakes the answer", async () => {
    await send({ type: 2, data: { name: "buttons" } });
    const [item] = (await feed()).timeline;
    expect(
      (await send({ type: 3, data: { component_type: 2, custom_id: "go-deferred" }, message_id: item.key })).json.error,
    ).toBeUndefined();
    const timeline = await waitFor(async () => {
      const t = (await feed()).timeline;
      return t[0].message.content === "updated later" ? t : undefined;
    });
    expect(timeline.map((i: any) => i.key)).toEqual([item.key]);
  });

  it("sends a message command on a posted message: thinking…, then the edit; or the ephemeral explanation", async () => {
    const posted = await post("/channel/messages", { content: "3 5 8 13" });
    expect(posted.status).toBe(201);
    const target = await posted.json();
    const { json } = await send({ type: 2, data: { name: "Sum numbers", type: 3, target_id: target.id } });
    expect(json).toMatchObject({ interaction: { type: 2, label: "Sum numbers" }, status: 200, body: { type: 5 } });
    expect(received).toMatchObject({
      type: 2,
      data: { name: "Sum numbers", type: 3, target_id: target.id, resolved: { messages: { [target.id]: target } } },
    });
    const done = await waitFor(async () => {
      const reply = (await feed()).timeline.at(-1);
      return reply.loading ? undefined : reply;
    });
    expect(done).toMatchObject({
      message: { type: 23, content: "Sum: 29" },
      invocation: { label: "Sum numbers", user: "Tester" },
      edited: false,
    });
    expect((await feed()).timeline.map((i: any) => i.message.content)).toEqual(["3 5 8 13", "Sum: 29"]);

    const words = await (await post("/channel/messages", { content: "no numbers" })).json();
    const explained = await send({ type: 2, data: { name: "Sum numbers", type: 3, target_id: words.id } });
    expect(explained.json.body).toEqual({ type: 4, data: { content: "Not enough numbers", flags: 64 } });
    expect((await feed()).timeline.at(-1)).toMatchObject({ ephemeral: true, invocation: { label: "Sum numbers" } });
    expect((await send({ type: 2, data: { name: "Sum numbers", type: 3, target_id: "1" } })).status).toBe(404);
  });

  it("refuses bad input, an unknown message and a missing Worker", async () => {
    expect((await send({ type: 9 })).status).toBe(400);
    expect((await send({ type: 2, role: "owner" })).json.error).toMatch(/role/);
    expect((await send({ type: 3, data: { custom_id: "go" }, message_id: "1" })).status).toBe(404);
    const bare = createDiscordEmulator();
    const r = await bare.fetch(
      new Request("http://x/__emulator/send", {
        method: "POST",
        body: JSON.stringify({ type: 2, data: { name: "ping" } }),
      }),
    );
    expect(r.status).toBe(409);
    expect((await r.json()).error).toMatch(/^emulator\(send\): no Worker/);
  });

  it("refuses changes requested by another site", async () => {
    const r = await post("/send", { type: 2, data: { name: "ping" } }, { origin: "http://evil.example" });
    expect(r.status).toBe(403);
    expect(received).toBeUndefined();
    expect((await post("/send", { type: 2, data: { name: "ping" } }, { origin: running.url })).status).toBe(200);
  });
});

describe("uploads", () => {
  it("stores a file, serves it, and resolves it for an ATTACHMENT option", async () => {
    const r = await fetch(`${running.url}/__emulator/uploads?filename=data.csv`, {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: "1\n2\n3\n",
    });
    expect(r.status).toBe(201);
    const attachment = await r.json();
    expect(attachment).toMatchObject({ filename: "data.csv", size: 6, content_type: "text/csv" });
    expect(attachment.url).toMatch(new RegExp(`^${running.url}/attachments/\\d+/${attachment.id}/data.csv$`));
    expect(await (await fetch(attachment.url)).text()).toBe("1\n2\n3\n");

    const { json } = await send({
      type: 2,
      data: { name: "file", options: [{ type: 11, name: "file", value: attachment.id }] },
    });
    expect(json.body.data.content).toBe(attachment.url);
    expect(received!.data.resolved.attachments[attachment.id]).toMatchObject({
      id: attachment.id,
      filename: "data.csv",
      url: attachment.url,
    });
    expect((await feed()).timeline[0].invocation.label).toBe("/file file:data.csv");
  });

  it("resolves a modal submit's upload and entity selects in data.resolved, as Discord does", async () => {
    const r = await fetch(`${running.url}/__emulator/uploads?filename=shot.png`, {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: new Uint8Array([137, 80, 78, 71]),
    });
    const upload = await r.json();
    const label = (id: number, component: Record<string, unknown>) => ({ type: 18, id, component });
    await send({
      type: 5,
      data: {
        custom_id: "form:v1",
        components: [
          label(1, { type: 19, id: 2, custom_id: "shot", values: [upload.id] }),
          label(3, { type: 5, id: 4, custom_id: "who", values: ["1000000000000000003", "999"] }),
          label(5, { type: 6, id: 6, custom_id: "role", values: ["1000000000000000001"] }),
          label(7, { type: 8, id: 8, custom_id: "where", values: ["1000000000000000002"] }),
          label(9, { type: 21, id: 10, custom_id: "kind", value: "bug" }),
        ],
      },
    });
    expect(received!.type).toBe(5);
    const resolved = received!.data.resolved;
    expect(resolved.attachments[upload.id]).toMatchObject({
      id: upload.id,
      filename: "shot.png",
      content_type: "image/png",
      url: upload.url,
    });
    expect(resolved.users["1000000000000000003"]).toMatchObject({ id: "1000000000000000003", username: "tester" });
    expect(resolved.members["1000000000000000003"]).toMatchObject({ roles: [] });
    expect(resolved.users["999"]).toBeUndefined();
    expect(resolved.roles["1000000000000000001"]).toMatchObject({ name: "@everyone" });
    expect(resolved.channels["1000000000000000002"]).toMatchObject({ name: "general", type: 0 });
    expect(received!.data.components[4]).toEqual(label(9, { type: 21, id: 10, custom_id: "kind", value: "bug" }));
  });

  it("accepts a multipart form and refuses files over Discord's limit", async () => {
    const form = new FormData();
    form.set("file", new Blob(["a,b"], { type: "" }), "x.csv");
    const multipart = await fetch(`${running.url}/__emulator/uploads`, { method: "POST", body: form });
    expect(await multipart.json()).toMatchObject({ filename: "x.csv", content_type: "text/csv" });
    const big = await fetch(`${running.url}/__emulator/uploads?filename=big.bin`, {
      method: "POST",
      body: new Uint8Array(10 * 1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect((await fetch(`${running.url}/__emulator/uploads`, { method: "POST", body: "x" })).status).toBe(400);
  });
});

describe("GET /__emulator/events", () => {
  it("streams a change event with the version now and after every change", async () => {
    const abort = new AbortController();
    const r = await fetch(`${running.url}/__emulator/events`, { signal: abort.signal });
    expect(r.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const nextVersion = async () => {
      for (;;) {
        const match = /event: change\ndata: \{"version":(\d+)\}\n\n/.exec(text);
        if (match) {
          text = text.slice(match.index + match[0].length);
          return Number(match[1]);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += value;
      }
    };
    const first = await nextVersion();
    expect(first).toBe(running.emulator.state.version);
    await send({ type: 2, data: { name: "ping" } });
    expect(await nextVersion()).toBeGreaterThan(first);
    abort.abort();
  });

  it("ends open streams when the emulator closes", async () => {
    const other = await startDiscordEmulator();
    const r = await fetch(`${other.url}/__emulator/events`);
    const reader = r.body!.getReader();
    await reader.read();
    await other.close();
    // The stream ends (cleanly, or with the socket closing under it); either way the reader is not left hanging.
    const ended = await (async () => {
      try {
        for (;;) if ((await reader.read()).done) return "done";
      } catch {
        return "closed";
      }
    })();
    expect(["done", "closed"]).toContain(ended);
  });
});

describe("the playground page", () => {
  it("serves the page and its scripts as JavaScript that Node can parse", async () => {
    const page = await fetch(`${running.url}/`);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script type="module" src="/playground/main.ts">');

    const dir = join(import.meta.dirname, "../../../src/emulator/playground");
    const scratch = mkdtempSync(join(tmpdir(), "playground-js-"));
    try {
      for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
        const r = await fetch(`${running.url}/playground/${name}`);
        expect(r.status, name).toBe(200);
        expect(r.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
        const file = join(scratch, name.replace(/\.ts$/, ".mjs"));
        writeFileSync(file, await r.text());
        execFileSync(process.execPath, ["--check", file]);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    expect((await fetch(`${running.url}/playground/style.css`)).headers.get("content-type")).toMatch(/^text\/css/);
  });

  it("serves nothing outside the playground folder", async () => {
    for (const path of ["/playground/%2e%2e%2fapp.ts", "/playground/missing.ts", "/playground/.env"]) {
      expect((await fetch(`${running.url}${path}`)).status, path).toBe(404);
    }
  });

  it("says where the page lives when the core runs without the Node adapter", async () => {
    const r = await createDiscordEmulator().fetch(new Request("http://x/"));
    expect(r.status).toBe(404);
    expect(await r.text()).toMatch(/^emulator\(playground\): the playground page is served by the Node adapter/);
  });
});
