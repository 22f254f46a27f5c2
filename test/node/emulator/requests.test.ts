// Request hygiene the emulator enforces (User-Agent, Content-Type, message limits) and the recording of calls,
// so Worker bugs that real Discord would punish fail a test instead.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  IN_PROCESS_ORIGIN,
} from "../../support/discord-emulator.ts";
import { takeSpecViolations } from "../../support/spec.ts";

const APP = DEFAULT_APPLICATION_ID;
const original = (token = "tok") => `/webhooks/${APP}/${token}/messages/@original`;
const row = (...ids: string[]) => ({
  type: 1,
  components: ids.map((id) => ({ type: 2, style: 1, label: "b", custom_id: id })),
});

describe("request hygiene", () => {
  it("requires a DiscordBot User-Agent on every API call", async () => {
    const emulator = createDiscordEmulator();
    for (const agent of [undefined, "node", "undici"]) {
      const r = await emulator.fetch(
        new Request(`${IN_PROCESS_ORIGIN}/api/v10${original()}`, {
          method: "PATCH",
          headers: { "content-type": "application/json", ...(agent ? { "user-agent": agent } : {}) },
          body: JSON.stringify({ content: "x" }),
        }),
      );
      expect(r.status).toBe(400);
      expect((await r.json()).message).toMatch(/User-Agent like "DiscordBot \(/);
    }
  });

  it("requires a JSON or multipart Content-Type on bodies (50035)", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(emulator, "PATCH", original(), undefined, {});
    expect(r.status).toBe(400); // empty body: nothing to send
    const text = await callDiscord(emulator, "PATCH", original(), "ignored", { "Content-Type": "text/plain" });
    expect(text.json).toMatchObject({ code: 50035, errors: { _errors: [{ code: "CONTENT_TYPE_INVALID" }] } });
  });

  it("answers invalid JSON with 50109", async () => {
    const emulator = createDiscordEmulator();
    const r = await emulator.fetch(
      new Request(`${IN_PROCESS_ORIGIN}/api/v10${original()}`, {
        method: "PATCH",
        headers: { "user-agent": "DiscordBot (x, 1)", "content-type": "application/json" },
        body: "{nope",
      }),
    );
    expect(await r.json()).toMatchObject({ code: 50109 });
  });

  it("404s unknown routes, 405s wrong methods, and only speaks v10", async () => {
    const emulator = createDiscordEmulator();
    expect((await callDiscord(emulator, "GET", "/users/@me/guilds")).status).toBe(404);
    expect((await callDiscord(emulator, "PUT", original(), { content: "x" })).status).toBe(405);
    const v9 = await emulator.fetch(
      new Request(`${IN_PROCESS_ORIGIN}/api/v9${original()}`, { headers: { "user-agent": "DiscordBot (x, 1)" } }),
    );
    expect(v9.status).toBe(404);
  });
});

describe("message limits", () => {
  const limitCases: Array<[string, Record<string, unknown>, string]> = [
    ["content over 2000", { content: "x".repeat(2001) }, "content"],
    ["11 embeds", { embeds: Array.from({ length: 11 }, () => ({ title: "t" })) }, "embeds"],
    [
      "embeds summing over 6000",
      { embeds: [{ description: "d".repeat(4000) }, { description: "d".repeat(2001) }] },
      "embeds",
    ],
    ["embed title over 256", { embeds: [{ title: "t".repeat(257) }] }, "embeds.0.title"],
    [
      "field value over 1024",
      { embeds: [{ fields: [{ name: "n", value: "v".repeat(1025) }] }] },
      "embeds.0.fields.0.value",
    ],
    ["6 action rows", { components: [row("a"), row("b"), row("c"), row("d"), row("e"), row("f")] }, "components"],
    ["6 buttons in a row", { components: [row("a", "b", "c", "d", "e", "f")] }, "components.0.components"],
    ["custom_id over 100", { components: [row("x".repeat(101))] }, "components.0.components.0.custom_id"],
    ["duplicate custom_id", { components: [row("same", "same")] }, "components.0.components.1.custom_id"],
    [
      "top-level button without a row",
      { components: [{ type: 2, style: 1, custom_id: "a", label: "b" }] },
      "components.0.type",
    ],
    [
      "content with IS_COMPONENTS_V2",
      { content: "x", flags: 1 << 15, components: [{ type: 10, content: "hi" }] },
      "content",
    ],
  ];

  it.each(limitCases)("400/50035 for %s", async (_, body, path) => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(emulator, "POST", `/webhooks/${APP}/tok`, body);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe(50035);
    let node = r.json.errors;
    for (const key of path.split(".")) node = node?.[key];
    expect(node?._errors).toBeDefined();
    // Where Discord's API description already refuses the body, the emulator says so, at the same field.
    for (const refused of takeSpecViolations()) expect(refused.path.replace(/\[(\d+)\]/g, ".$1")).toBe(path);
  });

  it("accepts bodies right at the limits", async () => {
    const emulator = createDiscordEmulator();
    const body = {
      content: "x".repeat(2000),
      embeds: [
        { title: "t".repeat(256), description: "d".repeat(4096) },
        { description: "d".repeat(6000 - 256 - 4096) },
      ],
      components: [row("a".repeat(100)), row("b"), row("c"), row("d"), row("e", "f", "g", "h", "i")],
    };
    expect((await callDiscord(emulator, "POST", `/webhooks/${APP}/tok`, body)).status).toBe(200);
  });

  it("content length: accepted exactly when ≤ 2000 characters (property)", async () => {
    const emulator = createDiscordEmulator();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2100 }), async (n) => {
        const r = await callDiscord(emulator, "PATCH", original("prop"), { content: "é".repeat(n) });
        const refused = takeSpecViolations().map((v) => v.path);
        return (r.status === 200) === n <= 2000 && refused.length === (n <= 2000 ? 0 : 1);
      }),
      { numRuns: 40 },
    );
  });
});

describe("recording", () => {
  it("records method, path, query, headers with Authorization redacted, body, status and response", async () => {
    const emulator = createDiscordEmulator();
    await callDiscord(
      emulator,
      "PUT",
      `/applications/${APP}/commands?with_localizations=true`,
      [{ name: "ping", description: "p" }],
      { Authorization: "Bot super-secret" },
    );
    const [call] = emulator.calls();
    expect(call).toMatchObject({
      seq: 1,
      method: "PUT",
      path: `/api/v10/applications/${APP}/commands`,
      query: { with_localizations: "true" },
      body: { json: [{ name: "ping", description: "p" }] },
      status: 200,
    });
    expect(call!.headers.authorization).toBe("Bot [redacted]");
    expect(JSON.stringify(emulator.calls())).not.toContain("super-secret");
    expect(call!.response).toMatchObject([{ name: "ping" }]);
    expect(new Date(call!.at).getTime()).toBeGreaterThan(0);
  });

  it("filters calls by method and path (substring or RegExp)", async () => {
    const emulator = createDiscordEmulator();
    await callDiscord(emulator, "PATCH", original("a"), { content: "1" });
    await callDiscord(emulator, "POST", `/webhooks/${APP}/a`, { content: "2" });
    expect(emulator.calls({ method: "patch" })).toHaveLength(1);
    expect(emulator.calls({ path: "@original" })).toHaveLength(1);
    expect(emulator.calls({ path: /\/webhooks\/\d+\/a$/ })).toHaveLength(1);
  });

  it("never logs tokens: log events carry the route template", async () => {
    const events: Record<string, unknown>[] = [];
    const emulator = createDiscordEmulator({ log: (e) => events.push(e) });
    await callDiscord(emulator, "PATCH", original("secret-token-value"), { content: "x" });
    expect(events.find((e) => e.event === "emulator.call")).toMatchObject({
      route: `/webhooks/${APP}/:token/messages/@original`,
      status: 200,
    });
    expect(JSON.stringify(events)).not.toContain("secret-token-value");
  });

  it("reset() clears calls, faults, conversations and commands", async () => {
    const emulator = createDiscordEmulator();
    await callDiscord(emulator, "PATCH", original("a"), { content: "1" });
    await callDiscord(emulator, "PUT", `/applications/${APP}/commands`, [{ name: "ping", description: "p" }], {
      Authorization: "Bot x",
    });
    emulator.faults.push({ respond: { status: 500 } });
    emulator.reset();
    expect(emulator.calls()).toEqual([]);
    expect(emulator.faults).toEqual([]);
    expect(emulator.messagesFor("a")).toEqual([]);
    expect(emulator.commands()).toEqual([]);
  });
});
