// GET /applications/{app}/entitlements with the bot token: Discord's List Entitlements over the entitlements the
// emulator keeps (the playground's test purchases), with its filters, defaults and limits.
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  type DiscordEmulator,
} from "../../support/discord-emulator.ts";

const BOT = { Authorization: "Bot test-bot-token" };
const path = (query = "") => `/applications/${DEFAULT_APPLICATION_ID}/entitlements${query}`;

function withEntitlements(): DiscordEmulator {
  const emulator = createDiscordEmulator();
  const base = { application_id: DEFAULT_APPLICATION_ID, type: 4, deleted: false, starts_at: null, ends_at: null };
  emulator.state.entitlements.push(
    { ...base, id: "1000000000000000030", sku_id: "500", user_id: "u1" },
    { ...base, id: "1000000000000000010", sku_id: "500", guild_id: "g1" },
    { ...base, id: "1000000000000000020", sku_id: "600", user_id: "u1", deleted: true },
    { ...base, id: "1000000000000000040", sku_id: "600", user_id: "u2", ends_at: "2000-01-01T00:00:00.000Z" },
  );
  return emulator;
}

const ids = (json: Array<{ id: string }>) => json.map((e) => e.id.slice(-2));

describe("GET /applications/{app}/entitlements", () => {
  it("needs the bot token and this application's id", async () => {
    const emulator = withEntitlements();
    expect((await callDiscord(emulator, "GET", path())).status).toBe(401);
    expect((await callDiscord(emulator, "GET", "/applications/999/entitlements", undefined, BOT)).json).toMatchObject({
      code: 50001,
    });
  });

  it("lists oldest first, without deleted ones by default, with Discord's fields", async () => {
    const { status, json, headers } = await callDiscord(withEntitlements(), "GET", path(), undefined, BOT);
    expect(status).toBe(200);
    expect(ids(json)).toEqual(["10", "30", "40"]);
    expect(json[0]).toEqual({
      id: "1000000000000000010",
      sku_id: "500",
      application_id: DEFAULT_APPLICATION_ID,
      guild_id: "g1",
      type: 4,
      deleted: false,
      starts_at: null,
      ends_at: null,
    });
    expect(headers.get("x-ratelimit-bucket")).toMatch(/^[0-9a-f]{16}$/);
  });

  it("filters by user, guild, SKUs, ended, deleted, before/after, and limits", async () => {
    const emulator = withEntitlements();
    const list = async (query: string) => ids((await callDiscord(emulator, "GET", path(query), undefined, BOT)).json);
    expect(await list("?user_id=u1")).toEqual(["30"]);
    expect(await list("?user_id=u1&exclude_deleted=false")).toEqual(["20", "30"]);
    expect(await list("?guild_id=g1")).toEqual(["10"]);
    expect(await list("?sku_ids=600,700&exclude_deleted=false")).toEqual(["20", "40"]);
    expect(await list("?exclude_ended=true")).toEqual(["10", "30"]);
    expect(await list("?after=1000000000000000010&limit=1")).toEqual(["30"]);
    expect(await list("?before=1000000000000000030")).toEqual(["10"]);
    expect((await callDiscord(emulator, "GET", path("?limit=101"), undefined, BOT)).json).toMatchObject({
      code: 50035,
    });
  });
});
