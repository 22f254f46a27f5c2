// Command registration routes: bot auth, Discord's validation of definitions, and bulk-overwrite semantics.
import { describe, expect, it } from "vitest";
import { callDiscord, createDiscordEmulator, DEFAULT_APPLICATION_ID } from "../../support/discord-emulator.ts";
import { takeSpecViolations } from "../../support/spec.ts";

const APP = DEFAULT_APPLICATION_ID;
const AUTH = { Authorization: "Bot test-token" };
const GLOBAL = `/applications/${APP}/commands`;
const GUILD = `/applications/${APP}/guilds/222222222222222222/commands`;

const ping = { name: "ping", description: "Check the bot" };
const chart = {
  name: "chart",
  description: "Draw a chart",
  options: [{ type: 3, name: "values", description: "Numbers", required: true }],
};

describe("command routes", () => {
  it("bulk PUT stores the list with ids, application_id and version; GET returns it", async () => {
    const emulator = createDiscordEmulator();
    const put = await callDiscord(emulator, "PUT", GLOBAL, [ping, chart], AUTH);
    expect(put.status).toBe(200);
    expect(put.json).toHaveLength(2);
    for (const c of put.json) {
      expect(c.id).toMatch(/^\d{17,20}$/);
      expect(c.version).toMatch(/^\d+$/);
      expect(c.application_id).toBe(APP);
      expect(c.type).toBe(1);
    }
    expect(put.json[1]).toMatchObject({
      name: "chart",
      options: chart.options,
      default_member_permissions: null,
      integration_types: [0],
    });
    expect((await callDiscord(emulator, "GET", `${GLOBAL}?with_localizations=true`, undefined, AUTH)).json).toEqual(
      put.json,
    );
    expect(emulator.commands()).toEqual(put.json);
  });

  it("keeps install types, contexts and localizations, and lists the dictionaries only with with_localizations=true", async () => {
    const emulator = createDiscordEmulator();
    const localized = {
      ...ping,
      name_localizations: { de: "pingen", fr: "ping" },
      description_localizations: { de: "Prüfen" },
      integration_types: [0, 1],
      contexts: [0, 1, 2],
    };
    const menu = {
      name: "Chart numbers",
      type: 3,
      name_localizations: { de: "Zahlen als Diagramm" },
      integration_types: [1],
      contexts: [2],
    };
    const put = await callDiscord(emulator, "PUT", GLOBAL, [localized, menu], AUTH);
    expect(put.json[0]).toMatchObject({
      name_localizations: localized.name_localizations,
      description_localizations: localized.description_localizations,
      integration_types: [0, 1],
      contexts: [0, 1, 2],
    });
    expect(put.json[1]).toMatchObject({
      name_localizations: menu.name_localizations,
      integration_types: [1],
      contexts: [2],
    });
    expect((await callDiscord(emulator, "GET", `${GLOBAL}?with_localizations=true`, undefined, AUTH)).json).toEqual(
      put.json,
    );
    const plain = (await callDiscord(emulator, "GET", GLOBAL, undefined, AUTH)).json;
    expect(plain[0]).not.toHaveProperty("name_localizations");
    expect(plain[0]).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    // A guild command has no install types or contexts on Discord: they apply to global commands only.
    const guild = await callDiscord(emulator, "PUT", GUILD, [localized], AUTH);
    expect(guild.json[0]).not.toHaveProperty("integration_types");
    expect(guild.json[0]).not.toHaveProperty("contexts");
  });

  it.each([
    [
      "an upper-case localized slash name",
      { ...ping, name_localizations: { de: "Pingen" } },
      "0.name_localizations.de",
      "APPLICATION_COMMAND_INVALID_NAME",
    ],
    [
      "a locale Discord does not have",
      { ...ping, name_localizations: { xx: "ping" } },
      "0.name_localizations.xx",
      "LOCALE_INVALID",
    ],
    [
      "a localized description on a message command",
      { name: "Quote", type: 3, description_localizations: { de: "Zitat" } },
      "0.description_localizations",
      "APPLICATION_COMMAND_DESCRIPTION_INVALID",
    ],
  ])("refuses %s (400, naming the field)", async (_what, command, path, code) => {
    const r = await callDiscord(createDiscordEmulator(), "PUT", GLOBAL, [command], AUTH);
    expect(r.status).toBe(400);
    const node = path.split(".").reduce((n: Record<string, any>, key) => n[key], r.json.errors);
    expect(node._errors[0].code).toBe(code);
  });

  it("a bulk overwrite keeps ids of surviving commands, bumps versions of changed ones, deletes the rest", async () => {
    const emulator = createDiscordEmulator();
    const first = (await callDiscord(emulator, "PUT", GLOBAL, [ping, chart], AUTH)).json;
    const second = (await callDiscord(emulator, "PUT", GLOBAL, [ping, { ...chart, description: "Draw it" }], AUTH))
      .json;
    expect(second[0]).toMatchObject({ id: first[0].id, version: first[0].version });
    expect(second[1].id).toBe(first[1].id);
    expect(second[1].version).not.toBe(first[1].version);
    const third = (await callDiscord(emulator, "PUT", GLOBAL, [ping], AUTH)).json;
    expect(third.map((c: { name: string }) => c.name)).toEqual(["ping"]);
  });

  it("guild commands are stored per guild, apart from global ones", async () => {
    const emulator = createDiscordEmulator();
    await callDiscord(emulator, "PUT", GUILD, [chart], AUTH);
    const got = await callDiscord(emulator, "GET", GUILD, undefined, AUTH);
    expect(got.json).toMatchObject([{ name: "chart", guild_id: "222222222222222222" }]);
    expect((await callDiscord(emulator, "GET", GLOBAL, undefined, AUTH)).json).toEqual([]);
    expect(emulator.commands("222222222222222222")).toHaveLength(1);
  });

  it("POST upserts by name: 201 when new, 200 when replaced; per-id GET/PATCH/DELETE work", async () => {
    const emulator = createDiscordEmulator();
    const created = await callDiscord(emulator, "POST", GLOBAL, ping, AUTH);
    expect(created.status).toBe(201);
    const replaced = await callDiscord(emulator, "POST", GLOBAL, { ...ping, description: "Pong?" }, AUTH);
    expect(replaced.status).toBe(200);
    expect(replaced.json.id).toBe(created.json.id);
    const id = created.json.id;
    expect((await callDiscord(emulator, "GET", `${GLOBAL}/${id}`, undefined, AUTH)).json.description).toBe("Pong?");
    expect(
      (await callDiscord(emulator, "PATCH", `${GLOBAL}/${id}`, { description: "Edited" }, AUTH)).json.description,
    ).toBe("Edited");
    expect((await callDiscord(emulator, "DELETE", `${GLOBAL}/${id}`, undefined, AUTH)).status).toBe(204);
    expect((await callDiscord(emulator, "GET", `${GLOBAL}/${id}`, undefined, AUTH)).json.code).toBe(10063);
  });

  it("401 without a Bot token, or with the wrong one when the emulator knows the token", async () => {
    const emulator = createDiscordEmulator({ botToken: "right" });
    expect((await callDiscord(emulator, "PUT", GLOBAL, [ping])).json).toEqual({
      message: "401: Unauthorized",
      code: 0,
    });
    expect((await callDiscord(emulator, "PUT", GLOBAL, [ping], { Authorization: "Bot wrong" })).status).toBe(401);
    expect((await callDiscord(emulator, "PUT", GLOBAL, [ping], { Authorization: "Bot right" })).status).toBe(200);
  });

  it("403 Missing Access for another application's commands", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(emulator, "PUT", "/applications/999999999999999999/commands", [ping], AUTH);
    expect(r).toMatchObject({ status: 403, json: { code: 50001, message: "Missing Access" } });
  });

  it.each([
    ["uppercase name", [{ name: "Ping", description: "d" }], "0.name"],
    ["name over 32", [{ name: "a".repeat(33), description: "d" }], "0.name"],
    ["missing description", [{ name: "ping" }], "0.description"],
    ["description over 100", [{ name: "ping", description: "d".repeat(101) }], "0.description"],
    ["description on a user command", [{ name: "Info", type: 2, description: "no" }], "0.description"],
    [
      "options on a message command",
      [{ name: "Chart numbers", type: 3, options: [{ type: 3, name: "a", description: "a" }] }],
      "0.options",
    ],
    ["message command name over 32", [{ name: "Chart ".repeat(6), type: 3 }], "0.name"],
    ["duplicate names", [ping, ping], "1.name"],
    [
      "required after optional",
      [
        {
          name: "x",
          description: "d",
          options: [
            { type: 3, name: "a", description: "a" },
            { type: 3, name: "b", description: "b", required: true },
          ],
        },
      ],
      "0.options.1.required",
    ],
    [
      "choices with autocomplete",
      [
        {
          name: "x",
          description: "d",
          options: [{ type: 3, name: "a", description: "a", autocomplete: true, choices: [] }],
        },
      ],
      "0.options.0.autocomplete",
    ],
    [
      "permissions not a bitfield",
      [{ name: "x", description: "d", default_member_permissions: "administrator" }],
      "0.default_member_permissions",
    ],
  ])("400 Invalid Form Body for %s", async (_, body, path) => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(emulator, "PUT", GLOBAL, body, AUTH);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 50035, message: "Invalid Form Body" });
    let node = r.json.errors;
    for (const key of path.split(".")) node = node?.[key];
    expect(node?._errors?.[0]?.code).toBeTypeOf("string");
    // Where Discord's API description already refuses the body, the emulator says so, at the same field.
    for (const refused of takeSpecViolations())
      expect(refused.path.replace(/^\[(\d+)\]/, "$1").replace(/\[(\d+)\]/g, ".$1")).toBe(path);
  });

  it("400 when the body is not an array", async () => {
    const emulator = createDiscordEmulator();
    expect((await callDiscord(emulator, "PUT", GLOBAL, ping, AUTH)).json.code).toBe(50035);
    expect(takeSpecViolations().map((v) => v.schema)).toEqual(["ApplicationCommandUpdateRequest[]"]);
  });

  it("takes default_member_permissions as the integer Discord's description asks for, and answers with a string", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(
      emulator,
      "PUT",
      GLOBAL,
      [{ name: "x", description: "d", default_member_permissions: 8 }],
      AUTH,
    );
    expect(r.status).toBe(200);
    expect(r.json[0].default_member_permissions).toBe("8");
  });

  it("accepts user and message commands with no description", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(
      emulator,
      "PUT",
      GLOBAL,
      [
        { name: "User Info", type: 2 },
        { name: "Chart this", type: 3 },
      ],
      AUTH,
    );
    expect(r.status).toBe(200);
    expect(r.json.map((c: { description: string }) => c.description)).toEqual(["", ""]);
  });

  it("lets context-menu names have spaces and capitals, and share a name with a slash command of another type", async () => {
    const emulator = createDiscordEmulator();
    const numbers = { name: "Chart numbers", type: 3, integration_types: [0, 1], contexts: [0, 1, 2] };
    const r = await callDiscord(
      emulator,
      "PUT",
      GLOBAL,
      [chart, numbers, { name: "chart", type: 3 }, { name: "Über Info", type: 2 }],
      AUTH,
    );
    expect(r.status).toBe(200);
    expect(r.json.map((c: { type: number; name: string }) => `${c.type}:${c.name}`)).toEqual([
      "1:chart",
      "3:Chart numbers",
      "3:chart",
      "2:Über Info",
    ]);
    expect(r.json[1]).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2], description: "" });
  });
});
