// Links a bot sets (link buttons, embed.url, embed.author.url) carry Discord's scheme rules: http(s) only, and
// discord:// too for a button. Discord refuses any other scheme with 400/50035 naming the field
// (URL_TYPE_INVALID_SCHEME), and so does the emulator, so a `javascript:` link never reaches the playground.
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  DEFAULT_CHANNEL_ID,
  type DiscordEmulator,
} from "../../support/discord-emulator.ts";

const EMBED_SCHEMES = "Scheme must be one of ('http', 'https').";
const BUTTON_SCHEMES = "Scheme must be one of ('http', 'https', 'discord').";

async function followUp(body: Record<string, unknown>, emulator: DiscordEmulator = createDiscordEmulator()) {
  const i = emulator.issueInteraction({ type: 2, data: { name: "chart" } });
  // Answered with a message, so the POST below is a follow-up of its own (after a bare type 5 it would become the
  // deferred message itself, which the emulator reports as Discord's follow-up rule).
  await callDiscord(emulator, "POST", `/interactions/${i.id}/${i.token}/callback`, {
    type: 4,
    data: { content: "ok" },
  });
  return callDiscord(emulator, "POST", `/webhooks/${DEFAULT_APPLICATION_ID}/${i.token}`, body);
}

const linkButton = (url: string) => ({ type: 1, components: [{ type: 2, style: 5, label: "Open", url }] });
const refusal = (code: string, message: string) => ({ _errors: [{ code, message }] });

describe("URL schemes Discord refuses", () => {
  it.each([
    ["javascript:alert(document.domain)", "javascript"],
    ["  javascript:alert(1)", "  javascript"],
    ["data:text/html,<script>alert(1)</script>", "data"],
    ["discord://-/channels/1", "discord"],
  ])("embed.url %j: 400/50035, URL_TYPE_INVALID_SCHEME naming scheme %j", async (url, scheme) => {
    const r = await followUp({ embeds: [{ title: "t", url }] });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      code: 50035,
      message: "Invalid Form Body",
      errors: {
        embeds: {
          0: { url: refusal("URL_TYPE_INVALID_SCHEME", `Scheme "${scheme}" is not supported. ${EMBED_SCHEMES}`) },
        },
      },
    });
  });

  it("embed.author.url: the same rule", async () => {
    const r = await followUp({ embeds: [{ author: { name: "a", url: "javascript:alert(1)" } }] });
    expect(r.json).toMatchObject({
      code: 50035,
      errors: {
        embeds: {
          0: {
            author: {
              url: refusal("URL_TYPE_INVALID_SCHEME", `Scheme "javascript" is not supported. ${EMBED_SCHEMES}`),
            },
          },
        },
      },
    });
  });

  it("a link button: javascript: refused, in an action row and as a Components V2 section's accessory", async () => {
    const row = await followUp({ components: [linkButton("javascript:alert(1)")] });
    expect(row.json).toMatchObject({
      code: 50035,
      errors: {
        components: {
          0: {
            components: {
              0: { url: refusal("URL_TYPE_INVALID_SCHEME", `Scheme "javascript" is not supported. ${BUTTON_SCHEMES}`) },
            },
          },
        },
      },
    });
    const section = {
      type: 9,
      components: [{ type: 10, content: "x" }],
      accessory: { type: 2, style: 5, label: "Open", url: "JavaScript:alert(1)" },
    };
    const v2 = await followUp({ flags: 1 << 15, components: [section] });
    expect(v2.json).toMatchObject({
      code: 50035,
      errors: { components: { 0: { accessory: { url: { _errors: [{ code: "URL_TYPE_INVALID_SCHEME" }] } } } } },
    });
  });

  it("a link in a channel message posted with the bot token: the same 50035", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(
      emulator,
      "POST",
      `/channels/${DEFAULT_CHANNEL_ID}/messages`,
      { embeds: [{ title: "t", url: "vbscript:msgbox" }] },
      { Authorization: "Bot test" },
    );
    expect(r.json).toMatchObject({
      code: 50035,
      errors: { embeds: { 0: { url: { _errors: [{ code: "URL_TYPE_INVALID_SCHEME" }] } } } },
    });
  });
});

describe("URLs Discord accepts", () => {
  it("http(s) for embeds and buttons, discord:// for buttons", async () => {
    const r = await followUp({
      embeds: [{ title: "t", url: "https://example.com/a?b=1", author: { name: "a", url: "HTTP://example.com" } }],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 5, label: "Web", url: "https://example.com" },
            { type: 2, style: 5, label: "App", url: "discord://-/channels/1/2" },
          ],
        },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.json.components[0].components[1].url).toBe("discord://-/channels/1/2");
  });
});
