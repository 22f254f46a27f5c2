// `npm run register` end to end: the real script as a child process against the emulator on an ephemeral port,
// plus the pure parts (dotenv parsing, drift detection) in-process.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseDotenv } from "../../scripts/lib/dotenv.ts";
import { loadDefinitions } from "../../scripts/lib/definitions.ts";
import { diffCommands, formatDrift, readConfig, USER_AGENT } from "../../scripts/lib/register-core.ts";
import { fault, startDiscordEmulator, type RunningEmulator } from "../support/discord-emulator.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const SCRIPT = join(ROOT, "scripts/register.ts");
const APP = "100000000000000001";
const GUILD = "222222222222222222";
const TOKEN = "test-bot-token";

let running: RunningEmulator;
let cwd: string; // an empty directory: no developer .dev.vars leaks into the tests

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], vars: Record<string, string>, dir = cwd): Promise<Run> {
  // Only what the script needs: a developer's DISCORD_* variables must not reach it.
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", WRANGLER_SEND_METRICS: "false", ...vars };
  return new Promise((done) => {
    execFile(NODE, [SCRIPT, ...args], { cwd: dir, env, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const vars = (extra: Record<string, string> = {}) => ({
  DISCORD_APPLICATION_ID: APP,
  DISCORD_TOKEN: TOKEN,
  DISCORD_API_BASE: running.apiBase,
  ...extra,
});

let definitions: Array<{ name: string; description?: string; type?: number }>;

beforeAll(async () => {
  running = await startDiscordEmulator({ applicationId: APP, botToken: TOKEN });
  cwd = mkdtempSync(join(tmpdir(), "register-test-"));
  const dry = await run(["--dry-run"], {});
  expect(dry.code).toBe(0);
  definitions = commandJson(dry.stdout);
});

/** --dry-run prints the command JSON first, then `register:` lines for the rest. */
const commandJson = (stdout: string) => JSON.parse(stdout.slice(0, stdout.indexOf("\nregister:")));
afterAll(async () => {
  await running.close();
  rmSync(cwd, { recursive: true, force: true });
});
beforeEach(() => running.emulator.reset());

describe("loading the module list", () => {
  // The Worker leaves the run-time module checks to its tooling (src/worker/kit/dispatch/module-checks.ts): the loader
  // that register, interact and npm start share is where a bad module must stop, named.
  it("refuses a module the dispatcher could not serve, naming it", async () => {
    const index = join(cwd, "index.mjs");
    writeFileSync(
      index,
      `export const commands = [{ definition: { name: "wave", description: "Wave", integration_types: [0], contexts: [0] }, command() {}, autoComplete() {} }];`,
    );
    await expect(loadDefinitions(new URL(`file://${index}`))).rejects.toThrow(
      /^definitions: registry: the module for "wave": exports `autoComplete`, which nothing calls/,
    );
  });

  it("refuses a module file beside the list that the list does not hold, naming the file and the line to add", async () => {
    const dir = mkdtempSync(join(cwd, "commands-"));
    const module = `export const definition = { name: "remind", description: "Remind me", integration_types: [0], contexts: [0] };\nexport function command() {}\n`;
    writeFileSync(join(dir, "ping.mjs"), module.replace(/remind/g, "ping"));
    writeFileSync(join(dir, "remind-me.mjs"), module);
    writeFileSync(join(dir, "helpers.mjs"), "export const notACommand = 1;\n");
    writeFileSync(join(dir, "index.mjs"), `import * as ping from "./ping.mjs";\nexport const commands = [ping];\n`);
    const relativeDir = relative(ROOT, dir);
    await expect(loadDefinitions(new URL(`file://${join(dir, "index.mjs")}`))).rejects.toThrow(
      `definitions: ${relativeDir}/remind-me.mjs defines the command /remind, but ${relativeDir}/index.mjs does not list it, so Discord never sees it: add \`import * as remindMe from "./remind-me.mjs";\` and put \`remindMe\` in listModules(…)`,
    );
  });

  it("loads the shipped list", async () => {
    expect((await loadDefinitions()).map((d) => d.name)).toEqual(definitions.map((d) => d.name));
  });
});

describe("npm run register", () => {
  it("--dry-run prints the command JSON and the metadata records, needs no variables and calls nothing", async () => {
    const r = await run(["--dry-run"], {});
    expect(r.code).toBe(0);
    expect(Array.isArray(commandJson(r.stdout))).toBe(true);
    expect(r.stdout).toContain(
      'register: would PUT 1 role connection metadata record: charts_drawn (integer ≥): "Charts drawn"',
    );
    expect(definitions.length).toBeGreaterThan(0);
    for (const d of definitions) expect(typeof d.name).toBe("string");
    expect(running.emulator.calls()).toEqual([]);
  });

  it("bulk-overwrites global commands with the bot token and the DiscordBot User-Agent", async () => {
    const r = await run([], vars());
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const names = definitions.map((d) => ((d.type ?? 1) === 1 ? `/${d.name}` : `${d.name} (message command)`));
    expect(r.stdout).toContain(
      `registered ${definitions.length} commands globally for application ${APP}: ${names.join(", ")}`,
    );
    const [call] = running.emulator.calls();
    expect(call).toMatchObject({
      method: "PUT",
      path: `/api/v10/applications/${APP}/commands`,
      status: 200,
      body: { json: definitions },
    });
    expect(call!.headers["user-agent"]).toBe(USER_AGENT);
    expect(call!.headers["user-agent"]).toBe(
      "DiscordBot (https://github.com/edge-discord-bot/edge-discord-bot, 0.1.0)",
    );
    expect(call!.headers.authorization).toBe("Bot [redacted]"); // and the emulator only accepts Bot test-bot-token
    expect(running.emulator.commands().map((c) => c.name)).toEqual(definitions.map((d) => d.name));
    // Then the Linked Roles metadata, a bulk overwrite as well (the emulator checks it against Discord's description).
    const metadata = running.emulator.calls()[1]!;
    expect(metadata).toMatchObject({
      method: "PUT",
      path: `/api/v10/applications/${APP}/role-connections/metadata`,
      status: 200,
      body: { json: [{ type: 2, key: "charts_drawn", name: "Charts drawn" }] },
    });
    expect(r.stdout).toContain(
      `register: role connection metadata: 1 record for application ${APP}: charts_drawn (integer ≥): "Charts drawn"`,
    );
  });

  it("refuses metadata that breaks Discord's limits before sending anything", async () => {
    const { loadRoleConnectionMetadata } = await import("../../scripts/lib/role-connection-metadata.ts");
    const record = { type: 2 as const, key: "charts_drawn", name: "Charts drawn", description: "Charts drawn" };
    const six = Array.from({ length: 6 }, (_, i) => ({ ...record, key: `key_${i}` }));
    expect(() => loadRoleConnectionMetadata(six)).toThrow(/6 records; Discord accepts at most 5/);
    expect(() => loadRoleConnectionMetadata([{ ...record, key: "Bad Key" }])).toThrow(
      /record 1 \("Bad Key"\): the key must be/,
    );
  });

  it("uses the guild route when DISCORD_GUILD_ID is set", async () => {
    const r = await run([], vars({ DISCORD_GUILD_ID: GUILD }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`in guild ${GUILD}`);
    expect(running.emulator.calls()[0]!.path).toBe(`/api/v10/applications/${APP}/guilds/${GUILD}/commands`);
    expect(running.emulator.commands(GUILD)).toHaveLength(definitions.length);
    expect(running.emulator.commands()).toEqual([]);
  });

  it("reads .dev.vars from the working directory; the environment wins, even when empty", async () => {
    const dir = mkdtempSync(join(tmpdir(), "register-devvars-"));
    try {
      writeFileSync(
        join(dir, ".dev.vars"),
        [
          "# local settings",
          `DISCORD_APPLICATION_ID=${APP}`,
          `DISCORD_TOKEN="wrong-token"`,
          `DISCORD_GUILD_ID=${GUILD}`,
          `DISCORD_API_BASE=${running.apiBase} # the emulator`,
        ].join("\n"),
      );
      const r = await run([], { DISCORD_TOKEN: TOKEN, DISCORD_GUILD_ID: "" }, dir);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("globally");
      const fromFileOnly = await run([], {}, dir);
      expect(fromFileOnly.code).toBe(1);
      expect(fromFileOnly.stderr).toContain("DISCORD_TOKEN was rejected");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names every missing variable", async () => {
    const r = await run([], { DISCORD_API_BASE: running.apiBase });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "register: missing DISCORD_APPLICATION_ID and DISCORD_TOKEN: set them in .dev.vars (see .dev.vars.example) or the environment",
    );
    const one = await run([], { DISCORD_APPLICATION_ID: APP });
    expect(one.stderr).toContain("missing DISCORD_TOKEN: set it in .dev.vars");
    expect(running.emulator.calls()).toEqual([]);
  });

  it("rejects a malformed application id before calling Discord", async () => {
    const r = await run([], vars({ DISCORD_APPLICATION_ID: "my-app" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("DISCORD_APPLICATION_ID must be a numeric snowflake id");
  });

  it("401: tells the developer to reset the bot token", async () => {
    const r = await run([], vars({ DISCORD_TOKEN: "stale-token" }));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "register: DISCORD_TOKEN was rejected (401 Unauthorized) — reset the bot token in the Developer Portal (Bot → Reset Token) and update .dev.vars / env",
    );
  });

  it("403: points at the application id and the applications.commands scope", async () => {
    const global = await run([], vars({ DISCORD_APPLICATION_ID: "999999999999999999" }));
    expect(global.code).toBe(1);
    expect(global.stderr).toContain("register: Discord refused access (403 Missing Access, code 50001)");
    expect(global.stderr).toContain("DISCORD_APPLICATION_ID");
    running.emulator.faults.push({ respond: { status: 403, json: { message: "Missing Access", code: 50001 } } });
    const guild = await run([], vars({ DISCORD_GUILD_ID: GUILD }));
    expect(guild.stderr).toContain(`installed in guild ${GUILD} with the applications.commands scope`);
  });

  it("429: prints retry_after", async () => {
    running.emulator.faults.push(fault.rateLimited({ method: "PUT" }, { retryAfter: 3.5 }));
    const r = await run([], vars());
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("register: rate limited by Discord (429) — retry after 3.5 s");
  });

  it("400: prints Discord's errors, naming the command", async () => {
    running.emulator.faults.push({
      respond: {
        status: 400,
        json: {
          code: 50035,
          message: "Invalid Form Body",
          errors: {
            "0": {
              name: { _errors: [{ code: "APPLICATION_COMMAND_INVALID_NAME", message: "Command name is invalid" }] },
            },
          },
        },
      },
    });
    const r = await run([], vars());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("register: Discord rejected the command list (400 Invalid Form Body, code 50035):");
    expect(r.stderr).toContain(
      `0.name: Command name is invalid (APPLICATION_COMMAND_INVALID_NAME) in /${definitions[0]!.name}`,
    );
  });

  it("reports a network failure without a stack trace", async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const base = `http://127.0.0.1:${port}/api/v10`;
    const r = await run([], vars({ DISCORD_API_BASE: base }));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `register: could not reach ${base} (ECONNREFUSED); check your network connection and DISCORD_API_BASE`,
    );
  });

  it("--check: exit 0 when in sync", async () => {
    expect((await run([], vars())).code).toBe(0);
    const r = await run(["--check"], vars());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${definitions.length} commands in sync globally`);
    expect(r.stdout).toContain("register: role connection metadata in sync (charts_drawn");
    expect(running.emulator.calls().slice(-2)).toMatchObject([
      { method: "GET", path: `/api/v10/applications/${APP}/commands`, query: { with_localizations: "true" } },
      { method: "GET", path: `/api/v10/applications/${APP}/role-connections/metadata` },
    ]);
  });

  it("--check: sees a localization, install type or context changed on Discord's side", async () => {
    expect((await run([], vars())).code).toBe(0);
    const ping = running.emulator.commands().find((c) => c.name === "ping")!;
    const patch = await fetch(`${running.apiBase}/applications/${APP}/commands/${ping.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bot ${TOKEN}`, "User-Agent": USER_AGENT, "Content-Type": "application/json" },
      body: JSON.stringify({ name_localizations: { de: "pingen" }, integration_types: [0], contexts: [0] }),
    });
    expect(patch.status).toBe(200);
    const r = await run(["--check"], vars());
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("~ /ping:");
    expect(r.stdout).toContain('name_localizations: registered {"de":"pingen"}, local {"de":"ping","fr":"ping"}');
    expect(r.stdout).toContain("integration_types: registered [0], local [0,1]");
    expect(r.stdout).toContain("contexts: registered [0], local [0,1,2]");
  });

  it("--check: prints the drift and exits 1", async () => {
    const [first, ...rest] = definitions;
    const drifted = [
      { ...first!, description: "An old description" },
      ...rest.slice(1),
      { name: "legacy", description: "Removed long ago" },
    ];
    const put = await fetch(`${running.apiBase}/applications/${APP}/guilds/${GUILD}/commands`, {
      method: "PUT",
      headers: { Authorization: `Bot ${TOKEN}`, "User-Agent": USER_AGENT, "Content-Type": "application/json" },
      body: JSON.stringify(drifted),
    });
    expect(put.status).toBe(200);
    const r = await run(["--check"], vars({ DISCORD_GUILD_ID: GUILD }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`~ /${first!.name}:`);
    expect(r.stdout).toContain(
      `description: registered "An old description", local ${JSON.stringify(first!.description)}`,
    );
    if (rest.length > 0) expect(r.stdout).toContain(`+ /${rest[0]!.name}: defined locally, not registered`);
    expect(r.stdout).toContain("- /legacy: registered, not defined locally");
    expect(r.stdout).toContain("run `npm run register`");
  });

  it("rejects unknown arguments", async () => {
    const r = await run(["--force"], vars());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("register: unknown argument --force");
  });
});

describe("dotenv parsing", () => {
  it("reads dotenv syntax", () => {
    const text = [
      "# comment",
      "PLAIN=value",
      "export EXPORTED=yes",
      "SPACED = padded  ",
      "INLINE=abc # trailing comment",
      "HASH=a#b",
      "SINGLE='literal \\n $x # not a comment'",
      'DOUBLE="line1\\nline2 \\"q\\""',
      'MULTI="first',
      'second"',
      "EMPTY=",
      "not a line",
    ].join("\r\n");
    expect(parseDotenv(text)).toEqual({
      PLAIN: "value",
      EXPORTED: "yes",
      SPACED: "padded",
      INLINE: "abc",
      HASH: "a#b",
      SINGLE: "literal \\n $x # not a comment",
      DOUBLE: 'line1\nline2 "q"',
      MULTI: "first\nsecond",
      EMPTY: "",
    });
  });
});

describe("configuration and drift", () => {
  it("treats empty values as unset and defaults DISCORD_API_BASE", () => {
    const r = readConfig({ DISCORD_APPLICATION_ID: APP, DISCORD_TOKEN: "t", DISCORD_GUILD_ID: "" });
    expect(r).toEqual({
      ok: true,
      config: { apiBase: "https://discord.com/api/v10", applicationId: APP, token: "t", guildId: undefined },
    });
  });

  it("ignores what Discord adds: ids, versions, the requester's *_localized, required:false, null defaults", () => {
    const local = [
      {
        name: "chart",
        description: "Draw",
        integration_types: [1, 0],
        options: [{ type: 3, name: "values", description: "v", required: false }],
      },
    ];
    const registered = [
      {
        id: "1",
        application_id: APP,
        version: "2",
        type: 1,
        name: "chart",
        description: "Draw",
        default_member_permissions: null,
        contexts: null,
        integration_types: [0, 1],
        nsfw: false,
        name_localizations: null,
        description_localizations: {},
        name_localized: "Zeichnen",
        options: [
          {
            type: 3,
            name: "values",
            description: "v",
            name_localizations: null,
            description_localizations: null,
            description_localized: "w",
          },
        ],
      },
    ];
    expect(diffCommands(local, registered)).toEqual([]);
  });

  it("reports drift in every field it sends: install types, contexts, localizations, permissions, nsfw", () => {
    const local = {
      name: "chart",
      description: "Draw",
      integration_types: [0, 1],
      contexts: [0, 1, 2],
      default_member_permissions: "8",
      nsfw: false,
      name_localizations: { de: "diagramm", fr: "graphique" },
      description_localizations: { de: "Zeichnen", fr: "Tracer" },
      options: [{ type: 3, name: "values", description: "v", name_localizations: { de: "werte" } }],
    };
    const registered = { ...local, type: 1 };
    expect(diffCommands([local], [registered])).toEqual([]);
    const cases: Array<[string, Record<string, unknown>]> = [
      ["integration_types", { integration_types: [0] }],
      ["contexts", { contexts: [0] }],
      ["name_localizations", { name_localizations: { de: "diagramm" } }],
      ["description_localizations", { description_localizations: { de: "Zeichnen", fr: "Dessiner" } }],
      ["default_member_permissions", { default_member_permissions: null }],
      ["nsfw", { nsfw: true }],
      ["options", { options: [{ type: 3, name: "values", description: "v", name_localizations: { de: "zahlen" } }] }],
    ];
    for (const [field, change] of cases) {
      const drift = diffCommands([local], [{ ...registered, ...change }]);
      expect(
        drift.map((d) => d.kind === "changed" && d.fields.map((f) => f.field)),
        field,
      ).toEqual([[field]]);
      expect(formatDrift(drift)[1], field).toContain(`${field}: registered `);
    }
  });

  it("in a guild, leaves out install types and contexts: Discord keeps them for global commands only", () => {
    const local = [{ name: "ping", description: "p", integration_types: [0, 1], contexts: [0, 1, 2] }];
    expect(diffCommands(local, [{ type: 1, name: "ping", description: "p" }], "guild")).toEqual([]);
    expect(diffCommands(local, [{ type: 1, name: "ping", description: "p" }], "global")).toHaveLength(1);
  });

  it("reports changed options, permissions and contexts", () => {
    const local = [
      {
        name: "admin",
        description: "d",
        default_member_permissions: "8",
        contexts: [0],
        options: [{ type: 4, name: "n", description: "n", required: true }],
      },
    ];
    const registered = [
      {
        type: 1,
        name: "admin",
        description: "d",
        default_member_permissions: null,
        contexts: [0, 1],
        options: [{ type: 4, name: "n", description: "n" }],
      },
    ];
    const drift = diffCommands(local, registered);
    expect(drift).toHaveLength(1);
    expect(drift[0]).toMatchObject({ kind: "changed", command: "/admin" });
    expect((drift[0] as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toEqual([
      "options",
      "default_member_permissions",
      "contexts",
    ]);
    expect(formatDrift(drift)[0]).toBe("  ~ /admin:");
  });

  it("tells commands of different types apart", () => {
    const drift = diffCommands([{ name: "Info", type: 2 }], [{ name: "Info", type: 3, description: "" }]);
    expect(drift.map((d) => `${d.kind} ${d.command}`)).toEqual([
      "missing Info (user command)",
      "extra Info (message command)",
    ]);
  });
});
