// The smaller items of issue 25: `file_types` on File Upload components and ATTACHMENT options (checked, ≤ 10), the
// permission bits Discord added known by name, a channel's nullable `application_id`, and an interaction type the
// platform does not know answered with a sentence and a log line instead of a 400.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fileUpload } from "../../src/worker/kit/discord/modal-inputs.ts";
import { hasPermission, Permission } from "../../src/worker/kit/discord/permissions.ts";
import { resolveOption } from "../../src/worker/kit/dispatch/resolved.ts";
import { checkModule } from "../../src/worker/kit/dispatch/module-checks.ts";
import { definition as chartDefinition } from "../../src/worker/app/commands/chart.ts";
import { callDiscord, createDiscordEmulator } from "../support/discord-emulator.ts";
import { command, interaction, sendOk } from "../support/interactions.worker.ts";

afterEach(() => vi.restoreAllMocks());

describe("file_types", () => {
  it("goes on a File Upload component, and /feedback's screenshot takes images only", async () => {
    expect(fileUpload({ fileTypes: [".csv", "image"] })).toMatchObject({ type: 19, file_types: [".csv", "image"] });
    const body = await sendOk(command("feedback"));
    expect(body.type).toBe(9);
    const upload = (body.data!.components as Array<{ component?: { type: number; file_types?: string[] } }>)
      .map((c) => c.component)
      .find((c) => c?.type === 19);
    expect(upload!.file_types).toEqual(["image"]);
  });

  it("refuses more than 10 entries, or one that is neither a group nor an extension", () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `.x${i}` as const);
    expect(() => fileUpload({ fileTypes: eleven })).toThrow(
      "components(fileUpload): file_types must list 1 to 10 groups or extensions, got 11",
    );
    expect(() => fileUpload({ fileTypes: ["pdf" as never] })).toThrow(
      /entry "pdf" must be image, video, audio or an extension/,
    );
  });

  it("is checked on ATTACHMENT options when a module is listed, naming the option", () => {
    const definition = {
      name: "up",
      description: "Upload",
      integration_types: [0],
      contexts: [0],
      options: [
        { type: 11, name: "doc", description: "A file", file_types: Array.from({ length: 11 }, (_, i) => `.x${i}`) },
      ],
    };
    expect(() => checkModule({ definition, command: () => ({ type: 4, data: { content: "ok" } }) } as never)).toThrow(
      'registry: the module for "up": definition.options["doc"]: file_types must list 1 to 10 groups or extensions, got 11',
    );
  });

  it("is registered with /chart's file option and accepted by Discord's API description", async () => {
    const emulator = createDiscordEmulator();
    const put = await callDiscord(emulator, "PUT", "/applications/100000000000000001/commands", [chartDefinition], {
      Authorization: "Bot test-bot-token",
    });
    expect(put.status).toBe(200);
    expect(put.json[0].options.find((o: { name: string }) => o.name === "file").file_types).toEqual([".csv", ".txt"]);
  });
});

describe("permission bits by name", () => {
  it("knows CREATE_GUILD_EXPRESSIONS, CREATE_EVENTS, PIN_MESSAGES and BYPASS_SLOWMODE at their bits", () => {
    expect([
      Permission.CreateGuildExpressions,
      Permission.CreateEvents,
      Permission.PinMessages,
      Permission.BypassSlowmode,
    ]).toEqual([1n << 43n, 1n << 44n, 1n << 51n, 1n << 52n]);
    const pinOnly = BigInt("2251799813685248"); // 1 << 51, as Discord sends it: a decimal string past 2^53's precision range
    expect(hasPermission(pinOnly, "PinMessages")).toBe(true);
    expect(hasPermission(pinOnly, "BypassSlowmode")).toBe(false);
    expect(hasPermission(Permission.Administrator, "BypassSlowmode")).toBe(true);
    expect(hasPermission(null, "PinMessages")).toBe(false);
  });
});

describe("channel.application_id", () => {
  it("may be null or absent; a group DM made by an app names it", () => {
    const resolved = {
      channels: {
        "1": { id: "1", type: 0, name: "general", application_id: null },
        "2": { id: "2", type: 3, name: "group", application_id: "777" },
        "3": { id: "3", type: 0 },
      },
    };
    expect(resolveOption(resolved, 7, "1")).toEqual({ id: "1", name: "general", type: 0, applicationId: null });
    expect(resolveOption(resolved, 7, "2")).toMatchObject({ applicationId: "777" });
    expect(resolveOption(resolved, 7, "3")).toMatchObject({ applicationId: null });
  });
});

describe("an interaction type the platform does not know", () => {
  it("gets an ephemeral sentence in the user's language and one log line, not a 400", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));
    const payload = interaction({ type: 42, locale: "de" });
    const body = await sendOk(payload);
    expect(body).toEqual({
      type: 4,
      data: { content: "Diese Art von Interaktion unterstützt die App noch nicht; es ist nichts passiert.", flags: 64 },
    });
    expect(lines.map((l) => JSON.parse(l))).toContainEqual({
      event: "interaction.unknown_type",
      interaction_id: payload.id,
      type: 42,
      level: "warn",
    });
  });
});
