// Application emojis: `npm run register` syncs src/worker/app/emojis/ to the emulated Discord (create the missing,
// replace the changed, never touch one a person uploaded), --dry-run says what it would do, and the emulator serves
// the images as Discord's CDN does. The real script runs as a child process against the emulator on a port.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadLocalEmojis } from "../../scripts/lib/emoji-sync.ts";
import { emojiStore, seedForeignEmoji } from "../../src/emulator/routes/emojis.ts";
import { markdown } from "../../src/emulator/playground/markdown.ts";
import { startDiscordEmulator, type RunningEmulator } from "../support/discord-emulator.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const SCRIPT = join(ROOT, "scripts/register.ts");
const APP = "100000000000000001";
const TOKEN = "test-bot-token";
const CHART_PNG = new Uint8Array(readFileSync(join(ROOT, "src/worker/app/emojis/chart.png")));

let running: RunningEmulator;
let cwd: string;

function run(args: string[], withToken = true): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    WRANGLER_SEND_METRICS: "false",
    DISCORD_APPLICATION_ID: APP,
    DISCORD_API_BASE: running.apiBase,
    ...(withToken ? { DISCORD_TOKEN: TOKEN } : {}),
  };
  return new Promise((done) => {
    execFile(NODE, [SCRIPT, ...args], { cwd, env, timeout: 20_000 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const emojis = () => [...emojiStore(running.emulator.state).values()];
const changes = () =>
  running.emulator
    .calls()
    .filter((c) => c.path.includes("/emojis") && c.method !== "GET")
    .map((c) => `${c.method} ${c.status}`);

beforeAll(async () => {
  running = await startDiscordEmulator({ applicationId: APP, botToken: TOKEN });
  cwd = mkdtempSync(join(tmpdir(), "emoji-sync-test-"));
});
afterAll(async () => {
  await running.close();
  rmSync(cwd, { recursive: true, force: true });
});
beforeEach(() => running.emulator.reset());

describe("the declared emojis", () => {
  it("are read with their files and checked as Discord checks them", () => {
    expect(loadLocalEmojis().map((e) => [e.name, e.file, e.contentType])).toEqual([
      ["chart", "chart.png", "image/png"],
    ]);
    expect(() => loadLocalEmojis({ x: "chart.png" })).toThrow(
      'register: emoji "x" (chart.png): the name must be 2-32 letters, digits or _',
    );
    expect(() => loadLocalEmojis({ logo: "logo.svg" })).toThrow("must be a PNG, GIF or WebP file");
    expect(() => loadLocalEmojis({ logo: "missing.png" })).toThrow("no such file in src/worker/app/emojis/");
  });
});

describe("npm run register: the emoji sync", () => {
  it("creates the missing emoji, prints EMOJI_IDS, and the emulator serves its image", async () => {
    const r = await run([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  + chart: create");
    const [chart] = emojis();
    expect(chart).toMatchObject({ name: "chart", animated: false, user: { id: APP } });
    expect(r.stdout).toContain(`register: EMOJI_IDS=chart:${chart!.id}`);
    const image = await fetch(`${running.url}/emojis/${chart!.id}.png`);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(CHART_PNG);
  });

  it("keeps an unchanged emoji and replaces one whose file changed", async () => {
    expect((await run([])).code).toBe(0);
    const first = emojis()[0]!.id;
    running.emulator.state.calls.length = 0;
    const again = await run([]);
    expect(again.stdout).toContain("  = chart: unchanged");
    expect(changes()).toEqual([]);
    emojis()[0]!.bytes = new Uint8Array([1, 2, 3]); // Discord's copy differs from the file now
    const replaced = await run([]);
    expect(replaced.stdout).toContain("  ~ chart: replace (the file changed)");
    expect(changes()).toEqual(["DELETE 204", "POST 201"]);
    expect(emojis()).toHaveLength(1);
    expect(emojis()[0]!.id).not.toBe(first);
    expect(emojis()[0]!.bytes).toEqual(CHART_PNG);
  });

  it("never deletes or replaces an emoji a person uploaded, and leaves undeclared ones alone", async () => {
    const foreign = seedForeignEmoji(running.emulator.state, "chart", new Uint8Array([9, 9, 9]));
    seedForeignEmoji(running.emulator.state, "logo", new Uint8Array([7]));
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("  ! chart: left alone (uploaded by app-owner, not by the bot)");
    expect(r.stdout).toContain("(on Discord, not declared, left alone: logo)");
    expect(r.stdout).toContain(`EMOJI_IDS=chart:${foreign.id}`);
    expect(changes()).toEqual([]);
    expect(
      emojis()
        .map((e) => e.name)
        .sort(),
    ).toEqual(["chart", "logo"]);
  });

  it("--dry-run says what it would do and changes nothing; without a token it lists the files", async () => {
    const planned = await run(["--dry-run"]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("register: emojis (dry run: nothing sent):");
    expect(planned.stdout).toContain("  + chart: create");
    expect(running.emulator.calls().every((c) => c.method === "GET")).toBe(true);
    expect(emojis()).toEqual([]);
    const offline = await run(["--dry-run"], false);
    expect(offline.stdout).toContain(
      "register: would sync 1 emoji: chart (chart.png) (set DISCORD_TOKEN to compare with Discord's)",
    );
  });
});

describe("the playground", () => {
  it("draws <:name:id> with the emulator's image, and <a:name:id> as a GIF", () => {
    expect(markdown("up <:chart:123456789012345678>", { now: 0 }, { inline: true })).toBe(
      'up <img class="md-emoji" src="/emojis/123456789012345678.png" alt=":chart:" title=":chart:">',
    );
    expect(markdown("<a:party:1>", { now: 0 }, { inline: true })).toContain('src="/emojis/1.gif"');
  });
});
