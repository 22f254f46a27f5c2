// `register` says that global commands take a while to show up only when it registered them with Discord itself: the
// local emulator (npm start, or DISCORD_API_BASE pointed at it) shows them at once, and saying otherwise misleads.
import { afterEach, expect, it, vi } from "vitest";
import { register } from "../../scripts/lib/register-core.ts";

const HINT =
  "register: global commands can take a while to show up; set DISCORD_GUILD_ID for instant updates while developing";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Registers /ping at `apiBase`, answered by a stand-in so nothing leaves the machine; returns what it printed. */
async function registerAt(apiBase: string, guildId?: string): Promise<string[]> {
  const lines: string[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async () =>
    Response.json([{ id: "1", name: "ping", description: "Ping" }]),
  );
  const code = await register(
    { apiBase, applicationId: "100000000000000001", token: "t", ...(guildId ? { guildId } : {}) },
    [{ name: "ping", description: "Ping" }],
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
  );
  expect(code).toBe(0);
  return lines;
}

it("says global commands take a while only when it registered them with Discord", async () => {
  expect(await registerAt("https://discord.com/api/v10")).toContain(HINT);
  expect(await registerAt("http://127.0.0.1:8790/api/v10")).not.toContain(HINT);
  expect((await registerAt("http://127.0.0.1:8790/api/v10")).join("\n")).toContain("registered 1 command globally");
  expect(await registerAt("https://discord.com/api/v10", "222222222222222222")).not.toContain(HINT);
});
