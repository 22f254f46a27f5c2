// Activities: an Entry Point command (PRIMARY_ENTRY_POINT, type 4) declared by a test module (the reference bot has
// no Activity), checked, registered and routed to its handler; and answers through Create Interaction Response with
// `with_response=true` (`ctx.withResponse`), which hand the handler the Activity instance or the message Discord
// created, through the Worker's ingress against the emulator, each answer held against Discord's description.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { entryPointCommand, EntryPointHandler, EVERYWHERE } from "../../src/worker/kit/dispatch/definitions.ts";
import { checkModule, checkModules } from "../../src/worker/kit/dispatch/module-checks.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { launchActivity } from "../../src/worker/kit/discord/responses.ts";
import { createInteractionResponse } from "../../src/worker/kit/discord/interaction-callback.ts";
import { callDiscord, createDiscordEmulator } from "../support/discord-emulator.ts";
import { createRegistry, type Registry } from "../../src/worker/kit/dispatch/registry.ts";
import { slashCommand } from "../../src/worker/kit/dispatch/definitions.ts";
import { ephemeral } from "../../src/worker/kit/discord/responses.ts";
import { DiscordRestClient } from "../../src/worker/kit/discord/rest.ts";
import type { CallbackResponse } from "../../src/worker/kit/engine/with-response.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import { checkResponseAgainstSpec } from "../../src/emulator/conformance.ts";
import type { DiscordEmulator } from "../../src/emulator/core.ts";
import { conforming, interaction, signedRequest } from "../support/interactions.worker.ts";
import { routeOutbound } from "../support/outbound.worker.ts";

/** The test module: an Activity's Launch button, answered by the app. */
const launch = defineModule({
  definition: entryPointCommand({
    name: "launch",
    description: "Open the Activity",
    handler: EntryPointHandler.AppHandler,
    ...EVERYWHERE,
  }),
  command: () => launchActivity(),
});

describe("an Entry Point command (type 4)", () => {
  it("registers with its handler, as Discord's API description accepts it", async () => {
    const emulator = createDiscordEmulator();
    const put = await callDiscord(emulator, "PUT", "/applications/100000000000000001/commands", [launch.definition], {
      Authorization: "Bot test-bot-token",
    });
    expect(put.status).toBe(200);
    expect(put.json[0]).toMatchObject({ name: "launch", type: 4, handler: 1 });
  });

  it("is checked: a handler value, no options, a command for APP_HANDLER, one per app", () => {
    expect(() => checkModule(launch)).not.toThrow();
    const discordLaunches = defineModule({
      definition: entryPointCommand({
        name: "play",
        description: "Play",
        handler: EntryPointHandler.DiscordLaunchActivity,
        ...EVERYWHERE,
      }),
    } as never);
    expect(() => checkModule(discordLaunches)).not.toThrow();
    expect(() => checkModule({ definition: { ...launch.definition, handler: 3 } } as never)).toThrow(
      /definition.handler must be 1 .* or 2/,
    );
    expect(() => checkModule({ definition: launch.definition } as never)).toThrow(
      /needs a `command` handler \(handler 1/,
    );
    expect(() => checkModules([launch, discordLaunches] as never)).toThrow(
      "registry: 2 Entry Point commands (launch, play); an app has at most one",
    );
  });
});

describe("with_response=true", () => {
  it("hands back the Activity instance of a LAUNCH_ACTIVITY, or the message a reply created", async () => {
    const emulator = createDiscordEmulator();
    const fetch = (input: RequestInfo | URL, init?: RequestInit) => emulator.fetch(new Request(input, init));
    const options = { apiBase: "http://discord.test/api/v10", fetch: fetch as typeof globalThis.fetch };
    const launched = emulator.issueInteraction({ type: 2, data: { name: "launch", type: 4 } });
    const activity = await createInteractionResponse(options, launched, { type: 12 });
    expect(activity.interaction).toMatchObject({ id: launched.id, type: 2 });
    expect(activity.resource).toMatchObject({ type: 12, activity_instance: { id: expect.stringMatching(/^i-\d+/) } });
    expect(activity.interaction.activity_instance_id).toBe(activity.resource!.activity_instance!.id);

    const replied = emulator.issueInteraction({ type: 2, data: { name: "ping", type: 1 } });
    const reply = await createInteractionResponse(options, replied, {
      type: 4,
      data: { content: "hi", allowed_mentions: { parse: [] } },
    });
    expect(reply.resource).toMatchObject({ type: 4, message: { content: "hi" } });
    expect(reply.interaction.response_message_id).toBe(reply.resource!.message!.id);
  });
});

// ─── through the Worker's ingress ─────────────────────────────────────────────────────────────────────────────────

/** What each test module's `use` was handed, in order. */
let created: Array<CallbackResponse | null>;
let discord: DiscordEmulator;
let lines: string[];

/** The Activity's Launch button: answered by the app with LAUNCH_ACTIVITY, keeping the Activity instance it created. */
const activity = defineModule({
  definition: entryPointCommand({
    name: "launch",
    description: "Open the Activity",
    handler: EntryPointHandler.AppHandler,
    ...EVERYWHERE,
  }),
  command: ({ withResponse }) => withResponse(launchActivity(), (c) => void created.push(c)),
});

/** A reply that edits itself once it knows its own message id: what a handler needs the created message for. */
const note = defineModule({
  definition: slashCommand({ name: "note", description: "Take a note", ...EVERYWHERE }),
  command: ({ withResponse, config, interaction }) =>
    withResponse(ephemeral("Noted."), async (c) => {
      created.push(c);
      const message = c?.resource?.message;
      if (!message) return;
      const rest = new DiscordRestClient({
        apiBase: config.discordApiBase,
        applicationId: config.applicationId,
        deadline: Date.now() + 5_000,
      });
      await rest.editFollowupMessage(interaction.token, message.id, { content: `Noted as message ${message.id}.` });
    }),
});

/** Discord launches this Activity itself and sends the app nothing; should one arrive, it gets a sentence. */
const discordLaunched = defineModule({
  definition: entryPointCommand({
    name: "play",
    description: "Play",
    handler: EntryPointHandler.DiscordLaunchActivity,
    ...EVERYWHERE,
  }),
} as never);

const launchPayload = (name = "launch") => interaction({ type: 2, data: { id: "500000000000000007", name, type: 4 } });
const notePayload = () => interaction({ type: 2, data: { id: "500000000000000008", name: "note", type: 1 } });

async function send(registry: Registry, payload: Record<string, unknown>) {
  discord.registerInteraction(payload as never);
  const ctx = createExecutionContext();
  const response = await conforming(
    await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      { ...env, HEAVY_LIMITER: undefined } as never,
      ctx,
      registry,
    ),
  );
  await waitOnExecutionContext(ctx);
  return response;
}

beforeEach(() => {
  created = [];
  discord = createDiscordEmulator({ botToken: "test-bot-token" });
  routeOutbound({ "discord.test": (request) => discord.fetch(request) });
  lines = [];
  for (const method of ["log", "error", "warn"] as const)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("an Entry Point interaction (data.type 4) through the Worker", () => {
  it("reaches the module's command handler (APP_HANDLER), which launches the Activity", async () => {
    const response = await send(createRegistry([activity, note]), launchPayload());
    expect(response.status).toBe(202);
    expect(created).toHaveLength(1);
    expect(created[0]!.resource).toEqual({ type: 12, activity_instance: { id: expect.stringMatching(/^i-\d+/) } });
  });

  it("with DISCORD_LAUNCH_ACTIVITY, an interaction Discord should not have sent gets an ephemeral sentence, not a crash", async () => {
    const response = await send(createRegistry([discordLaunched]), launchPayload("play"));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { type: number; data: { content: string; flags: number } };
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data.content).toContain("/play");
  });
});

describe("ctx.withResponse: answering through the callback endpoint, and using what it created", () => {
  it("answers 202 with no body after Discord took the answer; `use` gets Discord's callback response and edits the message by its id", async () => {
    const payload = notePayload();
    const response = await send(createRegistry([note]), payload);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("");
    // The acknowledgement went through the callback endpoint, with_response=true.
    const callbacks = discord.calls({ path: "/callback" });
    expect(
      callbacks.map((c) => [c.method, c.path.replace(payload.token as string, ":token"), c.query, c.status]),
    ).toEqual([["POST", `/api/v10/interactions/${payload.id}/:token/callback`, { with_response: "true" }, 200]]);
    // What `use` got is Discord's shape, as its description has it.
    expect(created).toHaveLength(1);
    expect(checkResponseAgainstSpec("InteractionCallbackResponse", created[0])).toBeNull();
    const id = created[0]!.resource!.message!.id;
    expect(created[0]!.interaction).toMatchObject({
      id: payload.id,
      type: 2,
      response_message_id: id,
      response_message_ephemeral: true,
    });
    // And it used it: the message now says its own id.
    expect(discord.messagesFor(payload.token as string).map((m) => [m.id, m.content])).toEqual([
      [id, `Noted as message ${id}.`],
    ]);
  });

  it("when Discord does not answer the callback in time, the answer goes inline and `use` gets null", async () => {
    discord.faults.push({ match: { path: "/callback" }, hang: true });
    // The Worker's own deadline ends the hang (scaled, so the test does not wait 2 s).
    const restore = scaleTimingsForTests(0.05);
    const response = await send(createRegistry([note]), notePayload()).finally(restore);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 4, data: { content: "Noted.", flags: 64 } });
    expect(created).toEqual([null]);
    expect(lines.some((l) => l.includes('"interaction.callback_failed"') && l.includes('"answered":"inline"'))).toBe(
      true,
    );
  });

  it("when Discord refuses the callback (4xx), the user reads the failure sentence with a reference, and `use` does not run", async () => {
    discord.faults.push({
      match: { path: "/callback" },
      respond: { status: 400, json: { message: "Invalid Form Body", code: 50035 } },
    });
    const response = await send(createRegistry([note]), notePayload());
    expect(response.status).toBe(200);
    const body = (await response.json()) as { type: number; data: { content: string; flags: number } };
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    const ref = /reference `([^`]+)`/.exec(body.data.content)?.[1];
    expect(ref).toBeDefined();
    expect(created).toEqual([]);
    expect(
      lines.some(
        (l) =>
          l.includes('"interaction.callback_failed"') &&
          l.includes(`"ref":"${ref}"`) &&
          !l.includes(String((notePayload() as { token: string }).token)),
      ),
    ).toBe(true);
  });

  it("a `use` that throws is logged with the interaction id; the user's answer stands", async () => {
    const failing = defineModule({
      definition: slashCommand({ name: "note", description: "Take a note", ...EVERYWHERE }),
      command: ({ withResponse }) =>
        withResponse(ephemeral("Noted."), () => {
          throw new Error("boom");
        }),
    });
    const payload = notePayload();
    const response = await send(createRegistry([failing]), payload);
    expect(response.status).toBe(202);
    expect(discord.messagesFor(payload.token as string).map((m) => m.content)).toEqual(["Noted."]);
    expect(
      lines.some(
        (l) =>
          l.includes('"interaction.with_response_failed"') && l.includes(payload.id as string) && l.includes("boom"),
      ),
    ).toBe(true);
  });
});
