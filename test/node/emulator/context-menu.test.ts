// User and message commands (right-click → Apps): the payload builders give `data` the shape Discord sends
// (type 2 or 3, target_id, the target in `resolved`), and the emulator resolves a target from its channel: the
// messages people posted, the bot's messages as they are now, and the server's members.
import { describe, expect, it } from "vitest";
import {
  APP_PERMISSIONS,
  buildMessageCommandInteraction,
  buildUserCommandInteraction,
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  DEFAULT_CHANNEL_ID,
  DEFAULT_USER_ID,
  isSnowflake,
  MEMBER_PERMISSIONS,
  messageCommandData,
  TargetError,
  userCommandData,
} from "../../support/discord-emulator.ts";

const AUTH = { Authorization: "Bot test-token" };
const COMMANDS = `/applications/${DEFAULT_APPLICATION_ID}/commands`;
const message = {
  id: "1200000000000000001",
  type: 0,
  channel_id: "1200000000000000002",
  author: { id: "1200000000000000003", username: "sam" },
  content: "3 5 8 13",
  embeds: [],
  attachments: [],
};

describe("context-menu payload builders", () => {
  it("builds a message command with the whole target message in resolved.messages", () => {
    const i = buildMessageCommandInteraction({ name: "Chart numbers" }, message);
    expect(i.type).toBe(2);
    expect(i.channel_id).toBe(message.channel_id);
    expect(i.data).toEqual({
      id: expect.any(String),
      name: "Chart numbers",
      type: 3,
      target_id: message.id,
      resolved: { messages: { [message.id]: message } },
    });
    expect(isSnowflake(i.data!.id)).toBe(true);
    expect(i.member).toMatchObject({ user: { username: "tester" } });
  });

  it("builds a user command with the user and, in a server, the member (no user, deaf or mute; with permissions)", () => {
    const i = buildUserCommandInteraction(
      { name: "User Info", id: "1300000000000000001", guild_id: "1300000000000000002" },
      { user: { id: "1200000000000000003", username: "sam" }, member: { nick: "Sam" } },
    );
    expect(i.data).toMatchObject({
      id: "1300000000000000001",
      name: "User Info",
      type: 2,
      target_id: "1200000000000000003",
      guild_id: "1300000000000000002",
    });
    const resolved = i.data!.resolved as Record<string, Record<string, Record<string, unknown>>>;
    expect(resolved.users!["1200000000000000003"]).toEqual({
      id: "1200000000000000003",
      username: "sam",
      global_name: null,
      discriminator: "0",
      avatar: null,
      public_flags: 0,
    });
    const member = resolved.members!["1200000000000000003"]!;
    expect(member).toMatchObject({ nick: "Sam", permissions: MEMBER_PERMISSIONS, roles: [] });
    expect([member.user, member.deaf, member.mute]).toEqual([undefined, undefined, undefined]);
  });

  it("leaves the member out of a DM user command", () => {
    const i = buildUserCommandInteraction({ name: "User Info" }, { user: { id: "42" } }, { guildId: null });
    expect(i.guild_id).toBeUndefined();
    expect(i.data!.resolved).toEqual({ users: { "42": expect.objectContaining({ id: "42", username: "user42" }) } });
  });

  it("data builders keep the name as written (spaces, capitals) and need a message id", () => {
    expect(userCommandData({ name: "Wave At Them" }, { user: { id: "7" } })).toMatchObject({
      name: "Wave At Them",
      type: 2,
      target_id: "7",
    });
    expect(messageCommandData({ name: "Chart numbers", id: "9" }, message)).toMatchObject({
      id: "9",
      type: 3,
      target_id: message.id,
    });
    expect(() => messageCommandData({ name: "x" }, { content: "no id" })).toThrow(/needs a string id/);
  });
});

async function withCommands() {
  const emulator = createDiscordEmulator();
  const put = await callDiscord(
    emulator,
    "PUT",
    COMMANDS,
    [
      { name: "info", description: "Slash info" },
      { name: "info", type: 2 },
      { name: "Chart numbers", type: 3 },
    ],
    AUTH,
  );
  expect(put.status).toBe(200);
  const id = (type: number) => emulator.commands().find((c) => c.type === type)!.id;
  return { emulator, id };
}

describe("the emulator's channel", () => {
  it("posts messages as people do and shows them in the feed", () => {
    const emulator = createDiscordEmulator();
    const posted = emulator.postMessage({ content: "3 5 8 13" });
    expect(posted.ok).toBe(true);
    if (!posted.ok) return;
    expect(posted.message).toMatchObject({
      type: 0,
      channel_id: DEFAULT_CHANNEL_ID,
      content: "3 5 8 13",
      author: { id: DEFAULT_USER_ID, global_name: "Tester" },
      embeds: [],
      attachments: [],
      components: [],
    });
    const other = emulator.postMessage({ content: "hi", author: { id: "1400000000000000001", global_name: "Ada" } });
    expect(other.ok && other.message.author).toMatchObject({
      id: "1400000000000000001",
      global_name: "Ada",
      username: "user0001",
    });
    expect(emulator.feed().timeline.map((i) => i.kind === "message" && [i.message.content, i.invocation])).toEqual([
      ["3 5 8 13", null],
      ["hi", null],
    ]);
    expect(emulator.postMessage({ content: "  " })).toMatchObject({ ok: false, status: 400 });
    emulator.reset();
    expect(emulator.feed().timeline).toEqual([]);
  });

  it("attaches uploaded files to a posted message", () => {
    const emulator = createDiscordEmulator();
    const upload = emulator.upload(
      { filename: "data.csv", bytes: new TextEncoder().encode("1,2") },
      "http://discord.test",
    );
    if (!upload.ok) throw new Error(upload.error);
    const posted = emulator.postMessage({ content: "", attachment_ids: [upload.attachment.id] });
    expect(posted.ok && posted.message.attachments).toEqual([upload.attachment]);
    expect(emulator.postMessage({ content: "again", attachment_ids: [upload.attachment.id] })).toMatchObject({
      ok: false,
      status: 404,
    });
  });

  it("lists the context-menu commands apart from the slash commands", async () => {
    const { emulator } = await withCommands();
    const feed = emulator.feed();
    expect(feed.commands.map((c) => c.name)).toEqual(["info"]);
    expect(feed.apps.user.map((c) => c.name)).toEqual(["info"]);
    expect(feed.apps.message.map((c) => c.name)).toEqual(["Chart numbers"]);
  });
});

describe("issueInteraction for user and message commands", () => {
  it("resolves a posted message as the full message object, with the registered command's id", async () => {
    const { emulator, id } = await withCommands();
    const posted = emulator.postMessage({ content: "3 5 8 13" });
    if (!posted.ok) throw new Error(posted.error);
    const i = emulator.issueInteraction({
      type: 2,
      data: { name: "Chart numbers", type: 3, target_id: posted.message.id },
    });
    expect(i.data).toEqual({
      id: id(3),
      name: "Chart numbers",
      type: 3,
      target_id: posted.message.id,
      resolved: { messages: { [posted.message.id as string]: emulator.channelMessage(posted.message.id as string) } },
    });
    expect(emulator.state.interactions.get(i.token)!.invocation).toMatchObject({
      label: "Chart numbers",
      user: "Tester",
    });
  });

  it("resolves the bot's own message as it is now; the reply is a CONTEXT_MENU_COMMAND message (type 23)", async () => {
    const { emulator } = await withCommands();
    const ping = emulator.issueInteraction({ type: 2, data: { name: "info" } });
    expect(
      await emulator.recordInlineResponse(ping.token, {
        type: 4,
        data: { content: "Up for 3 days, 5 hours", embeds: [{ title: "Uptime" }] },
      }),
    ).toEqual({ ok: true });
    const target = emulator.messagesFor(ping.token)[0]!;
    const i = emulator.issueInteraction({ type: 2, data: { name: "Chart numbers", type: 3, target_id: target.id } });
    const resolvedMessage = (i.data!.resolved as { messages: Record<string, Record<string, unknown>> }).messages[
      target.id
    ]!;
    expect(resolvedMessage).toMatchObject({
      id: target.id,
      type: 20,
      content: "Up for 3 days, 5 hours",
      embeds: [{ title: "Uptime" }],
      attachments: [],
      author: { id: DEFAULT_APPLICATION_ID, bot: true },
    });
    expect(await emulator.recordInlineResponse(i.token, { type: 4, data: { content: "charted" } })).toEqual({
      ok: true,
    });
    const reply = emulator.feed().timeline.at(-1)!;
    expect(reply).toMatchObject({
      kind: "message",
      message: { type: 23, content: "charted" },
      invocation: { label: "Chart numbers" },
    });
  });

  it("resolves a member for a user command, matching the command by name and type", async () => {
    const { emulator, id } = await withCommands();
    const i = emulator.issueInteraction({ type: 2, data: { name: "info", type: 2, target_id: DEFAULT_USER_ID } });
    expect(i.data).toMatchObject({
      id: id(2),
      type: 2,
      target_id: DEFAULT_USER_ID,
      resolved: {
        users: { [DEFAULT_USER_ID]: { global_name: "Tester" } },
        members: { [DEFAULT_USER_ID]: { permissions: MEMBER_PERMISSIONS } },
      },
    });
    const bot = emulator.issueInteraction({
      type: 2,
      data: { name: "info", type: 2, target_id: DEFAULT_APPLICATION_ID },
    });
    expect(bot.data!.resolved).toMatchObject({
      users: { [DEFAULT_APPLICATION_ID]: { bot: true } },
      members: { [DEFAULT_APPLICATION_ID]: { permissions: APP_PERMISSIONS } },
    });
    const dm = emulator.issueInteraction({
      type: 2,
      data: { name: "info", type: 2, target_id: DEFAULT_USER_ID },
      guildId: null,
    });
    expect(Object.keys(dm.data!.resolved as object)).toEqual(["users"]);
    const slash = emulator.issueInteraction({ type: 2, data: { name: "info" } });
    expect(slash.data!.id).toBe(id(1));
  });

  it("says in the reply's interaction_metadata who ran the command and on what: target_message_id, target_user", async () => {
    const { emulator } = await withCommands();
    const posted = emulator.postMessage({ content: "3 5 8 13" });
    if (!posted.ok) throw new Error(posted.error);
    const onMessage = emulator.issueInteraction({
      type: 2,
      data: { name: "Chart numbers", type: 3, target_id: posted.message.id },
    });
    expect(await emulator.recordInlineResponse(onMessage.token, { type: 4, data: { content: "charted" } })).toEqual({
      ok: true,
    });
    const original = async (token: string) =>
      (await callDiscord(emulator, "GET", `/webhooks/${DEFAULT_APPLICATION_ID}/${token}/messages/@original`)).json;
    const messageReply = await original(onMessage.token);
    expect(messageReply.interaction_metadata).toEqual({
      id: onMessage.id,
      type: 2,
      user: expect.objectContaining({ id: DEFAULT_USER_ID }),
      authorizing_integration_owners: expect.any(Object),
      target_message_id: posted.message.id,
    });
    expect(messageReply.interaction_metadata).not.toHaveProperty("target_user");

    const onUser = emulator.issueInteraction({ type: 2, data: { name: "info", type: 2, target_id: DEFAULT_USER_ID } });
    expect(await emulator.recordInlineResponse(onUser.token, { type: 4, data: { content: "hi" } })).toEqual({
      ok: true,
    });
    const userReply = await original(onUser.token);
    expect(userReply.interaction_metadata).toMatchObject({
      id: onUser.id,
      type: 2,
      target_user: { id: DEFAULT_USER_ID, global_name: "Tester" },
    });
    expect(userReply.interaction_metadata).not.toHaveProperty("target_message_id");

    const slash = emulator.issueInteraction({ type: 2, data: { name: "info" } });
    expect(await emulator.recordInlineResponse(slash.token, { type: 4, data: { content: "up" } })).toEqual({
      ok: true,
    });
    const slashMeta = (await original(slash.token)).interaction_metadata as Record<string, unknown>;
    expect(slashMeta).toMatchObject({ id: slash.id, type: 2 });
    expect(Object.keys(slashMeta).filter((k) => k.startsWith("target"))).toEqual([]);
  });

  it("keeps a target the caller resolved, and refuses one that is not in the channel", async () => {
    const { emulator } = await withCommands();
    const own = messageCommandData({ name: "Chart numbers" }, message);
    expect(emulator.issueInteraction({ type: 2, data: own }).data!.resolved).toEqual(own.resolved);
    expect(() =>
      emulator.issueInteraction({ type: 2, data: { name: "Chart numbers", type: 3, target_id: "1" } }),
    ).toThrow(TargetError);
    expect(() => emulator.issueInteraction({ type: 2, data: { name: "info", type: 2, target_id: "1" } })).toThrow(
      /no member 1 in the server for info; its members are 1000000000000000003 \(Tester\), 100000000000000001 \(Emulated Bot\)/,
    );
    expect(() => emulator.issueInteraction({ type: 2, data: { name: "info", type: 2 } })).toThrow(/data.target_id/);
  });
});

describe("control routes", () => {
  const control = (emulator: ReturnType<typeof createDiscordEmulator>, method: string, path: string, body?: unknown) =>
    emulator.fetch(
      new Request(`http://127.0.0.1/__emulator${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );

  it("POST /channel/messages posts, GET lists the channel, POST /interactions resolves or 404s", async () => {
    const { emulator } = await withCommands();
    const posted = await control(emulator, "POST", "/channel/messages", { content: "1 2 3" });
    expect(posted.status).toBe(201);
    const message = await posted.json();
    expect(message).toMatchObject({ content: "1 2 3", author: { global_name: "Tester" } });
    expect(await (await control(emulator, "GET", "/channel/messages")).json()).toEqual([message]);
    expect((await control(emulator, "POST", "/channel/messages", { content: 5 })).status).toBe(400);
    expect((await control(emulator, "POST", "/channel/messages", { content: "x", author: { id: "me" } })).status).toBe(
      400,
    );

    const issued = await control(emulator, "POST", "/interactions", {
      type: 2,
      data: { name: "Chart numbers", type: 3, target_id: message.id },
    });
    expect(issued.status).toBe(201);
    expect((await issued.json()).data.resolved.messages[message.id]).toEqual(message);
    const missing = await control(emulator, "POST", "/interactions", {
      type: 2,
      data: { name: "Chart numbers", type: 3, target_id: "1" },
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatch(
      /^emulator\(interactions\): no message 1 in #general for Chart numbers/,
    );
  });
});
