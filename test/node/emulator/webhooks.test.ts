// Interaction responses and follow-ups: the routes the Worker uses after answering, with Discord's rules on
// acknowledgement, deadlines and token lifetime.
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  type DiscordEmulator,
} from "../../support/discord-emulator.ts";
import { takeSpecViolations } from "../../support/spec.ts";

const APP = DEFAULT_APPLICATION_ID;

function setup(options: Parameters<typeof createDiscordEmulator>[0] = {}) {
  let clock = 1_800_000_000_000;
  const emulator = createDiscordEmulator({ now: () => clock, ...options });
  return { emulator, advance: (ms: number) => (clock += ms) };
}

const original = (token: string) => `/webhooks/${APP}/${token}/messages/@original`;
const callback = (id: string, token: string, query = "") => `/interactions/${id}/${token}/callback${query}`;

async function deferred(emulator: DiscordEmulator, flags?: number) {
  const i = emulator.issueInteraction({ type: 2, data: { name: "chart" } });
  const r = await callDiscord(emulator, "POST", callback(i.id, i.token), {
    type: 5,
    ...(flags ? { data: { flags } } : {}),
  });
  expect(r.status).toBe(204);
  return i;
}

describe("interaction callback", () => {
  it("stores a type-4 reply as the original message; with_response returns Discord's callback shape", async () => {
    const { emulator } = setup();
    const i = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    const r = await callDiscord(emulator, "POST", callback(i.id, i.token, "?with_response=true"), {
      type: 4,
      data: { content: "pong", flags: 64 },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      interaction: { id: i.id, type: 2, response_message_loading: false, response_message_ephemeral: true },
      resource: { type: 4, message: { content: "pong", flags: 64, author: { bot: true } } },
    });
    expect(r.json.interaction.response_message_id).toBe(r.json.resource.message.id);
    const got = await callDiscord(emulator, "GET", original(i.token));
    expect(got.json).toMatchObject({
      id: r.json.resource.message.id,
      content: "pong",
      type: 20,
      interaction_metadata: { id: i.id },
    });
  });

  it("rejects a second acknowledgement with 40060", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    const again = await callDiscord(emulator, "POST", callback(i.id, i.token), { type: 4, data: { content: "late" } });
    expect(again).toMatchObject({ status: 400, json: { code: 40060 } });
  });

  it("rejects a callback after the 3 s deadline with 404 Unknown interaction (10062)", async () => {
    const { emulator, advance } = setup();
    const i = emulator.issueInteraction({ type: 2, data: { name: "slow" } });
    advance(3_001);
    const r = await callDiscord(emulator, "POST", callback(i.id, i.token), { type: 5 });
    expect(r).toMatchObject({ status: 404, json: { code: 10062, message: "Unknown interaction" } });
  });

  it("rejects response types that do not suit the interaction", async () => {
    const { emulator } = setup();
    const command = emulator.issueInteraction({ type: 2, data: { name: "x" } });
    expect(
      (await callDiscord(emulator, "POST", callback(command.id, command.token), { type: 7, data: { content: "x" } }))
        .json.code,
    ).toBe(50035);
    const autocomplete = emulator.issueInteraction({ type: 4, data: { name: "help" } });
    expect(
      (await callDiscord(emulator, "POST", callback(autocomplete.id, autocomplete.token), { type: 5 })).status,
    ).toBe(400);
    const ok = await callDiscord(emulator, "POST", callback(autocomplete.id, autocomplete.token), {
      type: 8,
      data: { choices: [{ name: "ping", value: "ping" }] },
    });
    expect(ok.status).toBe(204);
  });

  it("allows only EPHEMERAL on a deferral and keeps the deferred message ephemeral", async () => {
    const { emulator } = setup();
    const bad = emulator.issueInteraction({ type: 2, data: { name: "x" } });
    expect(
      (await callDiscord(emulator, "POST", callback(bad.id, bad.token), { type: 5, data: { flags: 4 } })).status,
    ).toBe(400);
    const i = await deferred(emulator, 64);
    const edited = await callDiscord(emulator, "PATCH", original(i.token), { content: "done", flags: 0 });
    expect(edited.json.flags & 64).toBe(64);
  });

  it("validates modal and autocomplete data", async () => {
    const { emulator } = setup();
    const a = emulator.issueInteraction({ type: 4, data: { name: "help" } });
    const many = Array.from({ length: 26 }, (_, n) => ({ name: `c${n}`, value: `${n}` }));
    expect(
      (await callDiscord(emulator, "POST", callback(a.id, a.token), { type: 8, data: { choices: many } })).json.code,
    ).toBe(50035);
    const c = emulator.issueInteraction({ type: 2, data: { name: "form" } });
    const modal = { custom_id: "x".repeat(101), title: "t", components: [{ type: 18 }] };
    expect(
      (await callDiscord(emulator, "POST", callback(c.id, c.token), { type: 9, data: modal })).json.errors.data
        .custom_id,
    ).toBeDefined();
    // Both bodies are ones Discord's API description refuses too.
    expect(takeSpecViolations().map((v) => v.schema)).toEqual([
      "ApplicationCommandAutocompleteCallbackRequest",
      "ModalInteractionCallbackRequest",
    ]);
  });

  it("type 7 on a component edits the message the button was on; PATCH @original then edits it again", async () => {
    const { emulator } = setup();
    const message = { id: "900000000000000001", content: "page 1", components: [], embeds: [] };
    const click = emulator.issueInteraction({ type: 3, data: { custom_id: "page:2" }, message });
    expect(
      (await callDiscord(emulator, "POST", callback(click.id, click.token), { type: 7, data: { content: "page 2" } }))
        .status,
    ).toBe(204);
    const patched = await callDiscord(emulator, "PATCH", original(click.token), { content: "page 3" });
    expect(patched.json).toMatchObject({ id: "900000000000000001", content: "page 3" });
    expect(emulator.messagesFor(click.token)).toMatchObject([
      { id: "900000000000000001", content: "page 3", edits: 2 },
    ]);
  });
});

describe("@original and follow-ups", () => {
  it("a deferred reply is loading until PATCH @original edits it", async () => {
    const { emulator, advance } = setup();
    const i = await deferred(emulator);
    expect(emulator.messagesFor(i.token)).toMatchObject([{ loading: true, edits: 0 }]);
    advance(1_500);
    const r = await callDiscord(emulator, "PATCH", original(i.token), {
      content: "chart ready",
      embeds: [{ title: "t" }],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ content: "chart ready", embeds: [{ title: "t" }], flags: 0 });
    expect(r.json.edited_timestamp).not.toBeNull();
    const [message] = emulator.messagesFor(i.token);
    expect(message).toMatchObject({ loading: false, edits: 1, content: "chart ready" });
  });

  it("PATCH changes only the fields present", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    await callDiscord(emulator, "PATCH", original(i.token), { content: "a", embeds: [{ title: "keep" }] });
    const r = await callDiscord(emulator, "PATCH", original(i.token), { content: "b" });
    expect(r.json).toMatchObject({ content: "b", embeds: [{ title: "keep" }] });
  });

  it("creates, reads, edits and deletes follow-ups", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    await callDiscord(emulator, "PATCH", original(i.token), { content: "first" });
    const created = await callDiscord(emulator, "POST", `/webhooks/${APP}/${i.token}`, { content: "more", flags: 64 });
    expect(created).toMatchObject({ status: 200, json: { content: "more", flags: 64 } });
    const id = created.json.id;
    expect((await callDiscord(emulator, "GET", `/webhooks/${APP}/${i.token}/messages/${id}`)).json.content).toBe(
      "more",
    );
    expect(
      (await callDiscord(emulator, "PATCH", `/webhooks/${APP}/${i.token}/messages/${id}`, { content: "edited" })).json
        .content,
    ).toBe("edited");
    expect((await callDiscord(emulator, "DELETE", `/webhooks/${APP}/${i.token}/messages/${id}`)).status).toBe(204);
    expect((await callDiscord(emulator, "GET", `/webhooks/${APP}/${i.token}/messages/${id}`)).json.code).toBe(10008);
    expect(emulator.messagesFor(i.token).map((m) => [m.role, m.content, m.deleted])).toEqual([
      ["original", "first", false],
      ["followup", "edited", true],
    ]);
  });

  it("DELETE @original removes it; GET then answers 10008", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    expect((await callDiscord(emulator, "DELETE", original(i.token))).status).toBe(204);
    expect((await callDiscord(emulator, "GET", original(i.token))).json).toEqual({
      message: "Unknown Message",
      code: 10008,
    });
  });

  it("a follow-up after a type-5 defer edits the loading message (Discord's deprecated behaviour)", async () => {
    const events: Record<string, unknown>[] = [];
    const { emulator } = setup({ log: (e) => events.push(e) });
    const i = await deferred(emulator);
    const r = await callDiscord(emulator, "POST", `/webhooks/${APP}/${i.token}`, { content: "via follow-up" });
    expect(r.json.id).toBe(emulator.messagesFor(i.token)[0]!.id);
    expect(emulator.messagesFor(i.token)).toHaveLength(1);
    expect(events.some((e) => e.event === "emulator.deprecated_followup_edit")).toBe(true);
    // Discord accepts it, but it is a bot's mistake: reported, so the suites fail on it (test/support/spec-watch.ts).
    expect(takeSpecViolations().map((v) => v.schema)).toEqual(["discord-rule(follow-up-after-deferral)"]);
    expect(events.find((e) => e.event === "emulator.rule_violation")).toMatchObject({
      rule: "follow-up-after-deferral",
      level: "warn",
    });
  });

  it("an ephemeral follow-up while 'thinking…' shows is shown publicly, as on Discord, and the report says so", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    await callDiscord(emulator, "POST", `/webhooks/${APP}/${i.token}`, { content: "just for you", flags: 64 });
    expect(emulator.messagesFor(i.token)).toEqual([
      expect.objectContaining({ role: "original", content: "just for you", flags: 0 }),
    ]);
    expect(takeSpecViolations().map((v) => v.problem)).toEqual([
      expect.stringMatching(/shown publicly, though it asked to be ephemeral/),
    ]);
  });

  it("rejects an empty message with 50006", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    expect((await callDiscord(emulator, "POST", `/webhooks/${APP}/${i.token}`, { content: "" })).json.code).toBe(50006);
  });

  it("answers 401/50027 once the 15-minute token has expired", async () => {
    const { emulator, advance } = setup();
    const i = await deferred(emulator);
    advance(15 * 60_000 + 1);
    expect((await callDiscord(emulator, "PATCH", original(i.token), { content: "too late" })).json).toMatchObject({
      code: 50027,
    });
  });

  it("answers Unknown Webhook for the wrong application id", async () => {
    const { emulator } = setup();
    const i = await deferred(emulator);
    expect(
      (
        await callDiscord(emulator, "PATCH", `/webhooks/999999999999999999/${i.token}/messages/@original`, {
          content: "x",
        })
      ).json.code,
    ).toBe(10015);
  });
});

describe("token modes", () => {
  it("lax (default): PATCH @original on an unknown token creates the conversation", async () => {
    const { emulator } = setup();
    const r = await callDiscord(emulator, "PATCH", original("made-up-token"), { content: "hi" });
    expect(r.status).toBe(200);
    expect(emulator.messagesFor("made-up-token")).toMatchObject([{ content: "hi", edits: 1 }]);
    // …and a follow-up on another unknown token too.
    expect((await callDiscord(emulator, "POST", `/webhooks/${APP}/other-token`, { content: "x" })).status).toBe(200);
  });

  it("lax: GET @original of an unknown token is still 404 Unknown Webhook", async () => {
    const { emulator } = setup();
    expect((await callDiscord(emulator, "GET", original("nope"))).json).toEqual({
      message: "Unknown Webhook",
      code: 10015,
    });
  });

  it("strict: unknown tokens are 10015, unacknowledged ones too, and unknown callbacks 10062", async () => {
    const { emulator } = setup({ strictTokens: true });
    expect((await callDiscord(emulator, "PATCH", original("made-up"), { content: "x" })).json.code).toBe(10015);
    expect((await callDiscord(emulator, "POST", callback("1", "made-up"), { type: 5 })).json.code).toBe(10062);
    const i = emulator.issueInteraction({ type: 2, data: { name: "x" } });
    expect((await callDiscord(emulator, "PATCH", original(i.token), { content: "before ack" })).json.code).toBe(10015);
    expect((await callDiscord(emulator, "POST", callback(i.id, i.token), { type: 5 })).status).toBe(204);
    expect((await callDiscord(emulator, "PATCH", original(i.token), { content: "after ack" })).status).toBe(200);
  });

  it("lax: a callback for an unknown token is stored under that token", async () => {
    const { emulator } = setup();
    expect(
      (await callDiscord(emulator, "POST", callback("123", "own-token"), { type: 4, data: { content: "hi" } })).status,
    ).toBe(204);
    expect(emulator.conversation("own-token")).toMatchObject({
      interaction_id: "123",
      callbacks: [{ type: 4, via: "callback" }],
      messages: [{ content: "hi" }],
    });
  });
});

describe("user-installed apps", () => {
  const followUp = (emulator: DiscordEmulator, token: string, n: number) =>
    callDiscord(emulator, "POST", `/webhooks/${APP}/${token}`, { content: `follow-up ${n}` });

  it("allow 5 follow-ups where only the user's install authorised the interaction; the 6th gets 40094", async () => {
    const { emulator } = setup();
    const i = emulator.issueInteraction({ type: 2, data: { name: "ping" }, context: 2 });
    expect(i.authorizing_integration_owners).toEqual({ "1": i.user!.id });
    expect(
      (await callDiscord(emulator, "POST", callback(i.id, i.token), { type: 4, data: { content: "pong" } })).status,
    ).toBe(204);
    for (let n = 1; n <= 5; n++) expect((await followUp(emulator, i.token, n)).status, `follow-up ${n}`).toBe(200);
    expect(await followUp(emulator, i.token, 6)).toMatchObject({
      status: 400,
      json: { code: 40094, message: "This interaction has hit the maximum number of follow up messages" },
    });
    expect(emulator.conversation(i.token)!.messages).toHaveLength(6);
  });

  it("have no such limit where a server's install authorised it", async () => {
    const { emulator } = setup();
    const i = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    await callDiscord(emulator, "POST", callback(i.id, i.token), { type: 4, data: { content: "pong" } });
    for (let n = 1; n <= 6; n++) expect((await followUp(emulator, i.token, n)).status).toBe(200);
  });
});
