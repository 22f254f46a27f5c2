// Typed bot-token calls (src/worker/kit/discord/bot-routes.ts) against the Discord emulator, in workerd: each reaches the
// route discord-api-types' Routes names, with its body, and Discord's (emulated) state shows the effect. They share
// the client's rate limits: a 429 on one is waited out like any other bot-token call.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createDiscordEmulator,
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  BOT_DM_CHANNEL_ID,
  fault,
  type DiscordEmulator,
} from "../../src/emulator/core.ts";
import { surfaceStore } from "../../src/emulator/routes/bot-surface.ts";
import { emojiStore } from "../../src/emulator/routes/emojis.ts";
import { DiscordBotClient } from "../../src/worker/kit/discord/bot-rest.ts";
import * as routes from "../../src/worker/kit/discord/bot-routes.ts";
import { createRateLimits } from "../../src/worker/kit/discord/rate-limits.ts";

const APP = "100000000000000001";
let discord: DiscordEmulator;
let bot: DiscordBotClient;
let waits: number[];

beforeEach(() => {
  discord = createDiscordEmulator({
    botToken: "test-bot-token",
    skus: [{ id: "1000000000000000500", name: "Credits" }],
  });
  waits = [];
  bot = new DiscordBotClient({
    apiBase: "https://discord.test/api/v10",
    botToken: "test-bot-token",
    limits: createRateLimits(),
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => discord.fetch(new Request(input, init))) as typeof fetch,
    sleep: async (ms) => void waits.push(ms),
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

const calls = () => discord.calls().map((c) => `${c.method} ${c.path.replace("/api/v10", "")} ${c.status}`);

describe("typed bot-token calls", () => {
  it("edit, pin, react to, thread and delete a channel message", async () => {
    const message = await bot.createMessage(DEFAULT_CHANNEL_ID, { content: "first" });
    const edited = await routes.editMessage(bot, DEFAULT_CHANNEL_ID, message.id, { content: "second" });
    expect(edited.content).toBe("second");
    await routes.pinMessage(bot, DEFAULT_CHANNEL_ID, message.id);
    await routes.addReaction(bot, DEFAULT_CHANNEL_ID, message.id, "🔥");
    expect(surfaceStore(discord.state).pins.has(message.id)).toBe(true);
    expect([...surfaceStore(discord.state).reactions.get(message.id)!]).toEqual(["🔥"]);
    await routes.deleteOwnReaction(bot, DEFAULT_CHANNEL_ID, message.id, "🔥");
    await routes.unpinMessage(bot, DEFAULT_CHANNEL_ID, message.id);
    const thread = await routes.startThreadFromMessage(bot, DEFAULT_CHANNEL_ID, message.id, { name: "talk" });
    expect(thread).toMatchObject({ type: 11, name: "talk", parent_id: DEFAULT_CHANNEL_ID });
    expect((await routes.startThread(bot, DEFAULT_CHANNEL_ID, { name: "new", type: 11 })).type).toBe(11);
    await routes.deleteMessage(bot, DEFAULT_CHANNEL_ID, message.id);
    expect(discord.channelMessage(message.id)).toBeNull();
    const encoded = encodeURIComponent("🔥");
    expect(calls()).toEqual([
      `POST /channels/${DEFAULT_CHANNEL_ID}/messages 200`,
      `PATCH /channels/${DEFAULT_CHANNEL_ID}/messages/${message.id} 200`,
      `PUT /channels/${DEFAULT_CHANNEL_ID}/messages/pins/${message.id} 204`,
      `PUT /channels/${DEFAULT_CHANNEL_ID}/messages/${message.id}/reactions/${encoded}/@me 204`,
      `DELETE /channels/${DEFAULT_CHANNEL_ID}/messages/${message.id}/reactions/${encoded}/@me 204`,
      `DELETE /channels/${DEFAULT_CHANNEL_ID}/messages/pins/${message.id} 204`,
      `POST /channels/${DEFAULT_CHANNEL_ID}/messages/${message.id}/threads 201`,
      `POST /channels/${DEFAULT_CHANNEL_ID}/threads 201`,
      `DELETE /channels/${DEFAULT_CHANNEL_ID}/messages/${message.id} 204`,
    ]);
    // A non-message body is sent as it is: no allowed_mentions added to a thread's or a DM's body.
    expect(discord.calls({ method: "POST" }).find((c) => c.path.endsWith("/threads"))!.body).toEqual({
      json: { name: "talk" },
    });
  });

  it("open a DM, and manage a member's roles", async () => {
    expect(await routes.createDM(bot, DEFAULT_USER_ID)).toMatchObject({ id: BOT_DM_CHANNEL_ID, type: 1 });
    await routes.addMemberRole(bot, DEFAULT_GUILD_ID, DEFAULT_USER_ID, "700000000000000007");
    expect((await routes.getMember(bot, DEFAULT_GUILD_ID, DEFAULT_USER_ID)).roles).toEqual(["700000000000000007"]);
    await routes.removeMemberRole(bot, DEFAULT_GUILD_ID, DEFAULT_USER_ID, "700000000000000007");
    expect((await routes.getMember(bot, DEFAULT_GUILD_ID, DEFAULT_USER_ID)).roles).toEqual([]);
  });

  it("list and overwrite application commands, create, list and delete emojis", async () => {
    const put = await routes.overwriteCommands(bot, APP, [{ name: "ping", description: "Ping", type: 1 }]);
    expect(put.map((c) => c.name)).toEqual(["ping"]);
    expect((await routes.listCommands(bot, APP)).map((c) => c.name)).toEqual(["ping"]);
    const emoji = await routes.createEmoji(bot, APP, { name: "dot", image: "data:image/png;base64,iVBORw0KGgo=" });
    expect((await routes.listEmojis(bot, APP)).items.map((e) => e.name)).toEqual(["dot"]);
    await routes.deleteEmoji(bot, APP, emoji.id);
    expect(emojiStore(discord.state).size).toBe(0);
  });

  it("create, consume and delete a test entitlement; list SKUs and a SKU's subscriptions", async () => {
    const created = await routes.createTestEntitlement(bot, APP, {
      sku_id: "1000000000000000500",
      owner_id: DEFAULT_USER_ID,
      owner_type: 2,
    });
    await routes.consumeEntitlement(bot, APP, created.id!);
    expect(discord.state.entitlements[0]).toMatchObject({ id: created.id, consumed: true });
    await routes.deleteTestEntitlement(bot, APP, created.id!);
    expect(discord.state.entitlements[0]!.deleted).toBe(true);
    expect((await routes.listSkus(bot, APP)).map((s) => s.name)).toEqual(["Credits"]);
    expect(await routes.listSubscriptions(bot, "1000000000000000500", { user_id: DEFAULT_USER_ID })).toEqual([]);
  });

  it("share the client's rate limits: a 429 is waited out and retried", async () => {
    discord.faults.push(fault.rateLimited({ method: "PUT", path: "/pins/" }, { retryAfter: 0.25 }));
    const message = await bot.createMessage(DEFAULT_CHANNEL_ID, { content: "pin me" });
    await routes.pinMessage(bot, DEFAULT_CHANNEL_ID, message.id);
    expect(waits).toContain(250);
    expect(calls().filter((c) => c.startsWith("PUT"))).toEqual([
      `PUT /channels/${DEFAULT_CHANNEL_ID}/messages/pins/${message.id} 429`,
      `PUT /channels/${DEFAULT_CHANNEL_ID}/messages/pins/${message.id} 204`,
    ]);
  });
});
