// POST /__emulator/cron: the emulator runs the Worker's scheduled handler through wrangler dev's /__scheduled
// (here a stand-in Worker that posts a report with the bot token, as the real one does) and answers with what the
// bot posted in #general meanwhile; a Worker without the route, or failing, is a clear error.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CHANNEL_ID,
  generateDevKeyPair,
  startDiscordEmulator,
  TEST_USER_AGENT,
  type RunningEmulator,
} from "../../support/discord-emulator.ts";

let running: RunningEmulator;
let worker: Server;
let seen: string[];
/** What the stand-in answers on /__scheduled: 200 after posting, 500, or (no route) 404. */
let mode: "post" | "fail" | "none";

beforeAll(async () => {
  worker = createServer(async (req, res) => {
    seen.push(req.url ?? "");
    if (mode === "none" || !req.url?.startsWith("/__scheduled")) return res.writeHead(404).end("Not found");
    if (mode === "fail") return res.writeHead(500).end("Error: report(stats): no such table");
    await fetch(`${running.apiBase}/channels/${DEFAULT_CHANNEL_ID}/messages`, {
      method: "POST",
      headers: {
        "User-Agent": TEST_USER_AGENT,
        Authorization: "Bot local-dev-token",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ embeds: [{ title: "Daily report" }] }),
    });
    res.writeHead(200).end("Ran scheduled event");
  });
  await new Promise<void>((r) => worker.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(worker.address() as AddressInfo).port}/interactions`;
  running = await startDiscordEmulator({ worker: { url, privateKeyHex: (await generateDevKeyPair()).privateKeyHex } });
});

afterAll(async () => {
  await running.close();
  worker.closeAllConnections();
  await new Promise((r) => worker.close(r));
});

beforeEach(() => {
  running.emulator.reset();
  seen = [];
});

const cron = async (query = "") => {
  const r = await fetch(`${running.url}/__emulator/cron${query}`, { method: "POST" });
  return { status: r.status, json: await r.json() };
};

describe("POST /__emulator/cron", () => {
  it("calls the Worker's /__scheduled with the daily cron and answers with the messages the bot posted", async () => {
    mode = "post";
    const { status, json } = await cron();
    expect(status).toBe(200);
    expect(seen).toEqual([`/__scheduled?cron=${encodeURIComponent("17 3 * * *").replace(/%20/g, "+")}`]);
    expect(json).toMatchObject({
      ok: true,
      cron: "17 3 * * *",
      messages: [{ channel_id: DEFAULT_CHANNEL_ID, embeds: [{ title: "Daily report" }], author: { bot: true } }],
    });
    expect(running.emulator.feed().timeline).toHaveLength(1);
  });

  it("passes another cron expression through", async () => {
    mode = "post";
    expect((await cron("?cron=*/5+*+*+*+*")).json).toMatchObject({ cron: "*/5 * * * *" });
  });

  it("says to start the Worker with --test-scheduled when it has no /__scheduled, and reports a failing handler", async () => {
    mode = "none";
    expect(await cron()).toEqual({
      status: 502,
      json: {
        error: expect.stringMatching(
          /^emulator\(cron\): the Worker has no \/__scheduled route; start it with wrangler dev --test-scheduled/,
        ),
      },
    });
    mode = "fail";
    expect(await cron()).toEqual({
      status: 502,
      json: { error: expect.stringMatching(/scheduled handler failed \(HTTP 500\): Error: report\(stats\)/) },
    });
  });
});
