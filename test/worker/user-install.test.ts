// User-installable commands end to end in workerd: the interaction's context fields parsed once at the boundary,
// /ping, /chart and `Chart numbers` in the bot's DM and in a group DM the bot is not in (user install only), the
// 5-follow-up limit Discord sets for such interactions, and the install fields every listed command declares.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import { commands } from "../../src/worker/app/commands/index.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { ContextType, isUserInstallOnly, parseInteraction } from "../../src/worker/kit/dispatch/interaction.ts";
import { createRegistry, listModules, RegistryError } from "../../src/worker/kit/dispatch/registry.ts";
import { checkModule, checkModules } from "../../src/worker/kit/dispatch/module-checks.ts";
import { defineModule, type CommandModule } from "../../src/worker/kit/dispatch/types.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, interaction, signedRequest } from "../support/interactions.worker.ts";
import { resetUsage } from "../support/usage.worker.ts";
import { readUsage } from "../../src/worker/kit/analytics/read-usage.ts";

const USER = { id: "400000000000000004", username: "tester", global_name: "Tester" };
const FRIEND = { id: "400000000000000009", username: "friend" };

/** Where an interaction came from, as Discord sends it (no member outside servers; `user` instead). */
const places = {
  /** The bot's DM, the app installed by the user. */
  botDm: {
    member: null,
    guild_id: undefined,
    user: USER,
    context: 1,
    channel: { id: "300000000000000007", type: 1 },
    channel_id: "300000000000000007",
    authorizing_integration_owners: { "1": USER.id },
    app_permissions: "562949953601536",
  },
  /** A group DM the bot is not in: only a user install reaches it. */
  groupDm: {
    member: null,
    guild_id: undefined,
    user: USER,
    context: 2,
    channel: { id: "300000000000000008", type: 3, recipients: [FRIEND] },
    channel_id: "300000000000000008",
    authorizing_integration_owners: { "1": USER.id },
    app_permissions: "562949953601536",
  },
} as const;

const encode = (payload: unknown) => new TextEncoder().encode(JSON.stringify(payload));
let discord: DiscordEmulator;

beforeEach(async () => {
  discord = createDiscordEmulator();
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: scriptedBackend().handler });
  await env.DB!.exec("DELETE FROM deferred_jobs;");
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

async function run(
  payload: Record<string, unknown>,
  workerEnv: Record<string, unknown> = {
    ...env,
    HEAVY_LIMITER: undefined,
    BACKEND_URL,
    RELAY_SECRET: TEST_RELAY_SECRET,
  },
) {
  const ctx = createExecutionContext();
  const response = await worker.fetch((await signedRequest(JSON.stringify(payload))) as never, workerEnv as never, ctx);
  const body = (await response.clone().json()) as { type: number; data?: Record<string, any> };
  await discord.recordInlineResponse(String(payload.token), body);
  await waitOnExecutionContext(ctx);
  return body;
}

describe("the interaction's context, parsed at the boundary", () => {
  it("reads a server interaction: context 0, the server's install, member.user, both locales, app permissions", () => {
    const parsed = parseInteraction(
      encode(
        command("ping", undefined, {
          context: 0,
          guild_locale: "fr",
          locale: "de",
          app_permissions: "2048",
          authorizing_integration_owners: { "0": "200000000000000002" },
        }),
      ),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { interaction: i } = parsed;
    expect([i.context, i.locale, i.guildLocale, i.appPermissions, i.user?.id]).toEqual([
      ContextType.Guild,
      "de",
      "fr",
      2048n,
      "400000000000000004",
    ]);
    expect(i.authorizingIntegrationOwners).toEqual({ guildInstall: "200000000000000002", userInstall: null });
    expect(isUserInstallOnly(i)).toBe(false);
  });

  it("reads a group DM: context 2, `user` instead of member, the user's install only, typed entitlements", () => {
    const entitlement = {
      id: "900000000000000001",
      sku_id: "900000000000000002",
      application_id: "100000000000000001",
      user_id: USER.id,
      type: 8,
      deleted: false,
      consumed: false,
      ends_at: null,
    };
    const parsed = parseInteraction(
      encode(command("ping", undefined, { ...places.groupDm, entitlements: [entitlement, { bogus: true }] })),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const { interaction: i } = parsed;
    expect([i.context, i.guildId, i.guildLocale, i.memberPermissions, i.user]).toEqual([
      ContextType.PrivateChannel,
      null,
      null,
      null,
      { id: USER.id, username: "tester" },
    ]);
    expect(i.authorizingIntegrationOwners).toEqual({ guildInstall: null, userInstall: USER.id });
    expect(isUserInstallOnly(i)).toBe(true);
    expect(i.entitlements).toEqual([
      {
        id: entitlement.id,
        skuId: entitlement.sku_id,
        type: 8,
        userId: USER.id,
        guildId: null,
        startsAt: null,
        endsAt: null,
        consumed: false,
        deleted: false,
      },
    ]);
  });

  it("leaves what Discord did not send empty (unknown context values, malformed owners), and a PING untouched", () => {
    const odd = parseInteraction(
      encode(
        command("ping", undefined, { context: 7, authorizing_integration_owners: { "0": 5 }, app_permissions: "lots" }),
      ),
    );
    if (!odd.ok) throw new Error(odd.message);
    expect([
      odd.interaction.context,
      odd.interaction.appPermissions,
      odd.interaction.authorizingIntegrationOwners,
    ]).toEqual([null, null, { guildInstall: null, userInstall: null }]);
    const ping = parseInteraction(
      encode({
        id: "1",
        type: 1,
        application_id: "1",
        token: "t",
        context: 0,
        authorizing_integration_owners: { "0": "1" },
      }),
    );
    if (!ping.ok) throw new Error(ping.message);
    expect([
      ping.interaction.context,
      ping.interaction.authorizingIntegrationOwners,
      ping.interaction.entitlements,
    ]).toEqual([null, { guildInstall: null, userInstall: null }, []]);
  });
});

describe("commands in the bot's DM and in a group DM", () => {
  it.each(Object.entries(places))(
    "/help in %s lists only what Discord offers there: no /admin",
    async (_where, place) => {
      const body = await run(command("help", undefined, place));
      const texts = JSON.stringify(body.data?.components);
      expect(texts).toContain("/ping`");
      expect(texts).toContain("/chart`");
      expect(texts).not.toContain("/admin`");
      const inServer = await run(command("help"));
      expect(JSON.stringify(inServer.data?.components)).toContain("/admin`");
    },
  );

  it.each(Object.entries(places))("/ping answers in %s", async (_where, place) => {
    const body = await run(command("ping", undefined, place));
    expect(body).toMatchObject({ type: 4, data: { content: expect.stringMatching(/^🏓 Pong!/) } });
  });

  it.each(Object.entries(places))(
    "/chart renders in %s: deferred, relayed, one final edit with the PNG; recorded with no server",
    async (_where, place) => {
      const payload = command("chart", [{ type: 3, name: "values", value: "3,5,8" }], place);
      const since = Date.now();
      await resetUsage();
      expect(await run(payload)).toEqual({ type: 5 });
      const edits = discord.calls({ method: "PATCH" });
      expect(edits).toHaveLength(1);
      expect(discord.messagesFor(String(payload.token))[0]).toMatchObject({
        loading: false,
        attachments: [expect.objectContaining({ filename: expect.stringMatching(/\.png$/) })],
      });
      // Counted by the usage counters (issue 24; the interactions table is no longer written): one more /chart.
      const counted = await readUsage(env.USAGE, since, Date.now() + 60_000);
      expect(counted.filter((row) => row.route === "/chart").reduce((sum, row) => sum + row.n, 0)).toBe(1);
    },
  );

  it("limits /chart per user in a group DM (the limiter keys on `user`, there is no member)", async () => {
    const keys: string[] = [];
    const limiter = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: false }) };
    const body = await run(command("chart", [{ type: 3, name: "values", value: "3,5,8" }], places.groupDm), {
      ...env,
      HEAVY_LIMITER: limiter,
      BACKEND_URL,
      RELAY_SECRET: TEST_RELAY_SECRET,
    });
    expect(keys).toEqual([USER.id]);
    expect(body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringContaining("faster than I can keep up") },
    });
  });

  it("runs `Chart numbers` on a message in a group DM", async () => {
    const message = {
      id: "700000000000000007",
      channel_id: places.groupDm.channel_id,
      content: "3 5 8 13",
      author: FRIEND,
      attachments: [],
      embeds: [],
    };
    const payload = interaction({
      type: 2,
      data: {
        id: "500000000000000006",
        name: "Chart numbers",
        type: 3,
        target_id: message.id,
        resolved: { messages: { [message.id]: message } },
      },
      ...places.groupDm,
    });
    expect(await run(payload)).toEqual({ type: 5 });
    expect(discord.messagesFor(String(payload.token))[0]).toMatchObject({
      loading: false,
      attachments: [expect.objectContaining({ filename: expect.stringMatching(/\.png$/) })],
    });
  });
});

describe("Discord's follow-up limit for user-installed apps", () => {
  /** A job that tries to send `count` follow-ups, then returns its final message. */
  const chatty = (count: number) =>
    createRegistry([
      defineModule({
        definition: { name: "chatty", description: "many follow-ups" },
        jobs: {
          talk: job<null>(async (_input, task) => {
            for (let i = 1; i <= count; i++) await task.followUp(`message ${i}`);
            return { data: { content: "all said" } };
          }),
        },
        command: ({ defer }) => defer("talk", null),
      }),
    ]);

  async function send(registry: ReturnType<typeof chatty>, payload: Record<string, unknown>) {
    const ctx = createExecutionContext();
    const response = await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      { ...env, HEAVY_LIMITER: undefined } as never,
      ctx,
      registry,
    );
    await waitOnExecutionContext(ctx);
    return response.json();
  }
  const followUps = (token: string) => discord.calls({ method: "POST" }).filter((c) => c.path.endsWith(token));

  it("refuses the 6th follow-up where only the user's install authorised it, and still makes the final edit (a readable error)", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const payload = command("chatty", undefined, places.groupDm);
    expect(await send(chatty(6), payload)).toEqual({ type: 5 });
    expect(followUps(String(payload.token))).toHaveLength(5);
    const edits = discord.calls({ method: "PATCH" });
    expect(edits).toHaveLength(1);
    expect((edits[0]!.body as { json: { content: string } }).json.content).toMatch(/reference `[0-9a-z-]+`/i);
    const logged = [...errors.mock.calls, ...logs.mock.calls].map((c) => JSON.stringify(c));
    expect(logged.join("\n")).toContain("follow-up 6 refused: Discord allows 5 per interaction");
  });

  it("allows exactly 5 there, and more where a server's install authorised the interaction too", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const five = command("chatty", undefined, places.botDm);
    await send(chatty(5), five);
    expect(followUps(String(five.token))).toHaveLength(5);
    expect((discord.calls({ method: "PATCH" })[0]!.body as { json: { content: string } }).json.content).toBe(
      "all said",
    );
    const both = command("chatty", undefined, {
      authorizing_integration_owners: { "0": "200000000000000002", "1": USER.id },
    });
    await send(chatty(7), both);
    expect(followUps(String(both.token))).toHaveLength(7);
  });
});

describe("install fields and localizations of every listed command", () => {
  const byName = (name: string) =>
    commands.find((m) => m.definition.name === name)!.definition as unknown as Record<string, unknown>;

  it("offers /ping, /help, /chart and Chart numbers to server and user installs in every context; /admin to servers only", () => {
    for (const name of ["ping", "help", "chart", "Chart numbers"]) {
      expect(byName(name).integration_types, name).toEqual(expect.arrayContaining([0, 1]));
      expect(byName(name).contexts, name).toEqual(expect.arrayContaining([0, 1, 2]));
    }
    expect([byName("admin").integration_types, byName("admin").contexts]).toEqual([[0], [0]]);
    for (const module of commands)
      expect(Object.keys(module.definition), module.definition.name).toEqual(
        expect.arrayContaining(["integration_types", "contexts"]),
      );
  });

  it("names every command in German and French, and describes every slash command in both (context menus have names only)", () => {
    for (const { definition } of commands) {
      const d = definition as unknown as {
        name: string;
        type?: number;
        name_localizations?: Record<string, string>;
        description_localizations?: Record<string, string>;
      };
      expect(Object.keys(d.name_localizations ?? {}), d.name).toEqual(expect.arrayContaining(["de", "fr"]));
      if ((d.type ?? 1) === 1)
        expect(Object.keys(d.description_localizations ?? {}), d.name).toEqual(expect.arrayContaining(["de", "fr"]));
      else expect(d.description_localizations, d.name).toBeUndefined();
    }
  });

  it("refuses, naming the module, a listed command without integration_types or contexts, and a localized name Discord would refuse", () => {
    const base = {
      definition: { name: "plain", description: "x", integration_types: [0, 1], contexts: [0, 1, 2] },
      command: () => ({ type: 4, data: { content: "x" } }),
    } as unknown as CommandModule;
    expect(() => checkModules(listModules(base as never))).not.toThrow();
    const without = {
      ...base,
      definition: { name: "plain", description: "x", contexts: [0] },
    } as unknown as CommandModule;
    expect(() => checkModules(listModules(without as never))).toThrow(
      /the module for "plain": definition.integration_types must list/,
    );
    const wrong = { ...base, definition: { ...base.definition, contexts: [0, 3] } } as unknown as CommandModule;
    expect(() => checkModules(listModules(wrong as never))).toThrow(RegistryError);
    const capital = {
      ...base,
      definition: { ...base.definition, name_localizations: { de: "Hilfe" } },
    } as unknown as CommandModule;
    expect(() => checkModule(capital)).toThrow(/name_localizations.de "Hilfe" must be 1 to 32 characters, lower-case/);
    const menu = {
      ...base,
      definition: { name: "Menu it", type: 3, description_localizations: { de: "nein" } },
    } as unknown as CommandModule;
    expect(() => checkModule(menu)).toThrow(/no description_localizations/);
  });
});
