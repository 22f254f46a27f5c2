// Channel messages a bot posts with its bot token (the daily report): auth, bodies, files, the per-channel
// rate-limit headers, scripted 429s (per route, global, shared) and the message showing in the playground's channel.
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_CHANNEL_ID,
  fault,
  multipart,
} from "../../support/discord-emulator.ts";

const BOT = { Authorization: "Bot test-bot-token" };
const messages = `/channels/${DEFAULT_CHANNEL_ID}/messages`;

describe("POST /channels/{id}/messages", () => {
  it("needs the bot token: 401 without it, or with a wrong one when the emulator knows the token", async () => {
    const emulator = createDiscordEmulator();
    expect((await callDiscord(emulator, "POST", messages, { content: "x" })).status).toBe(401);
    expect((await callDiscord(emulator, "POST", messages, { content: "x" }, BOT)).status).toBe(200);
    const strict = createDiscordEmulator({ botToken: "right" });
    expect((await callDiscord(strict, "POST", messages, { content: "x" }, BOT)).status).toBe(401);
    expect((await callDiscord(strict, "POST", messages, { content: "x" }, { Authorization: "Bot right" })).status).toBe(
      200,
    );
  });

  it("posts as the bot into the playground's channel, with embeds, and the message can be read back", async () => {
    const emulator = createDiscordEmulator();
    const posted = await callDiscord(
      emulator,
      "POST",
      messages,
      { content: "Daily report", embeds: [{ title: "Today" }] },
      BOT,
    );
    expect(posted.json).toMatchObject({
      channel_id: DEFAULT_CHANNEL_ID,
      content: "Daily report",
      embeds: [{ title: "Today" }],
      author: { id: emulator.state.applicationId, bot: true },
    });
    const timeline = emulator.feed().timeline;
    expect(timeline).toEqual([
      expect.objectContaining({
        kind: "message",
        key: posted.json.id,
        message: expect.objectContaining({ author: expect.objectContaining({ bot: true }) }),
      }),
    ]);
    const read = await callDiscord(emulator, "GET", `${messages}/${posted.json.id}`, undefined, BOT);
    expect(read.json).toMatchObject({ id: posted.json.id, content: "Daily report" });
  });

  it("stores a multipart PNG as an attachment served under /attachments", async () => {
    const emulator = createDiscordEmulator();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const form = multipart({ content: "chart", attachments: [{ id: "0", filename: "traffic.png" }] }, [
      { n: 0, filename: "traffic.png", contentType: "image/png", bytes: png },
    ]);
    const posted = await callDiscord(emulator, "POST", messages, form, BOT);
    expect(posted.status).toBe(200);
    const [attachment] = posted.json.attachments;
    expect(attachment).toMatchObject({ filename: "traffic.png", size: 4, content_type: "image/png" });
    expect(emulator.file(attachment.id)?.bytes).toEqual(png);
    const served = await emulator.fetch(new Request(attachment.url));
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it("refuses what Discord refuses: an unknown channel, an empty message, an ephemeral flag, an over-long content", async () => {
    const emulator = createDiscordEmulator();
    expect(
      (await callDiscord(emulator, "POST", "/channels/300000000000000003/messages", { content: "x" }, BOT)).json,
    ).toMatchObject({ code: 10003, message: "Unknown Channel" });
    expect((await callDiscord(emulator, "POST", messages, {}, BOT)).json).toMatchObject({ code: 50006 });
    expect((await callDiscord(emulator, "POST", messages, { content: "x", flags: 64 }, BOT)).json).toMatchObject({
      code: 50035,
    });
    expect((await callDiscord(emulator, "POST", messages, { content: "x".repeat(2001) }, BOT)).json).toMatchObject({
      code: 50035,
    });
    expect(emulator.state.posts).toHaveLength(0);
  });

  it("sends per-channel rate-limit headers: one bucket hash, a remaining count per channel, reset after the window", async () => {
    let now = 1_000_000;
    const emulator = createDiscordEmulator({ now: () => now });
    const remaining: string[] = [];
    const hashes = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const r = await callDiscord(emulator, "POST", messages, { content: `m${i}` }, BOT);
      remaining.push(r.headers.get("x-ratelimit-remaining")!);
      hashes.add(r.headers.get("x-ratelimit-bucket")!);
      expect(r.headers.get("x-ratelimit-limit")).toBe("5");
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
    expect(hashes.size).toBe(1);
    const read = await callDiscord(emulator, "GET", `${messages}/${emulator.state.posts[0]!.id}`, undefined, BOT);
    expect(read.headers.get("x-ratelimit-bucket")).not.toBe([...hashes][0]);
    now += 5_000;
    const after = await callDiscord(emulator, "POST", messages, { content: "later" }, BOT);
    expect(after.headers.get("x-ratelimit-remaining")).toBe("4");
    expect(after.headers.get("x-ratelimit-reset-after")).toBe("5.000");
  });

  it("answers scripted 429s: per route (scope user), global (X-RateLimit-Global and global: true), shared", async () => {
    const emulator = createDiscordEmulator();
    emulator.faults.push(fault.rateLimited({ method: "POST", path: "/channels/" }, { retryAfter: 1.5 }));
    emulator.faults.push(fault.rateLimited({ method: "POST", path: "/channels/" }, { retryAfter: 3, global: true }));
    emulator.faults.push(fault.rateLimited({ method: "POST", path: "/channels/" }, { retryAfter: 0.5, shared: true }));
    const route = await callDiscord(emulator, "POST", messages, { content: "x" }, BOT);
    expect(route.status).toBe(429);
    expect(route.json).toEqual({ message: "You are being rate limited.", retry_after: 1.5, global: false });
    expect(route.headers.get("x-ratelimit-scope")).toBe("user");
    expect(route.headers.get("x-ratelimit-global")).toBeNull();
    const global = await callDiscord(emulator, "POST", messages, { content: "x" }, BOT);
    expect(global.json).toMatchObject({ retry_after: 3, global: true });
    expect(global.headers.get("x-ratelimit-global")).toBe("true");
    expect(global.headers.get("x-ratelimit-scope")).toBe("global");
    expect(global.headers.get("retry-after")).toBe("3");
    const shared = await callDiscord(emulator, "POST", messages, { content: "x" }, BOT);
    expect(shared.headers.get("x-ratelimit-scope")).toBe("shared");
    expect((await callDiscord(emulator, "POST", messages, { content: "x" }, BOT)).status).toBe(200);
    expect(emulator.state.posts).toHaveLength(1);
  });
});
