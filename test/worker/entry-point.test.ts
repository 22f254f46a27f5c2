// Activities: an Entry Point command (PRIMARY_ENTRY_POINT, type 4) declared by a test module (the reference bot has
// no Activity), checked and registered; and Create Interaction Response with `with_response=true`, which hands back
// the Activity instance or the message Discord created. (Answering a type-4 interaction through the Worker's ingress
// needs the dispatcher to route data.type 4 to the module's `command`: not done here, the dispatcher is being
// rewritten; see the report.)
import { describe, expect, it } from "vitest";
import { entryPointCommand, EntryPointHandler, EVERYWHERE } from "../../src/worker/kit/dispatch/definitions.ts";
import { checkModule, checkModules } from "../../src/worker/kit/dispatch/module-checks.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { launchActivity } from "../../src/worker/kit/discord/responses.ts";
import { createInteractionResponse } from "../../src/worker/kit/discord/interaction-callback.ts";
import { callDiscord, createDiscordEmulator } from "../support/discord-emulator.ts";

/** The test module: an Activity's Launch button, answered by the app. */
const launch = defineModule({
  definition: entryPointCommand({ name: "launch", description: "Open the Activity", handler: EntryPointHandler.AppHandler, ...EVERYWHERE }),
  command: () => launchActivity(),
});

describe("an Entry Point command (type 4)", () => {
  it("registers with its handler, as Discord's API description accepts it", async () => {
    const emulator = createDiscordEmulator();
    const put = await callDiscord(emulator, "PUT", "/applications/100000000000000001/commands", [launch.definition], { Authorization: "Bot test-bot-token" });
    expect(put.status).toBe(200);
    expect(put.json[0]).toMatchObject({ name: "launch", type: 4, handler: 1 });
  });

  it("is checked: a handler value, no options, a command for APP_HANDLER, one per app", () => {
    expect(() => checkModule(launch)).not.toThrow();
    const discordLaunches = defineModule({ definition: entryPointCommand({ name: "play", description: "Play", handler: EntryPointHandler.DiscordLaunchActivity, ...EVERYWHERE }) } as never);
    expect(() => checkModule(discordLaunches)).not.toThrow();
    expect(() => checkModule({ definition: { ...launch.definition, handler: 3 } } as never)).toThrow(/definition.handler must be 1 .* or 2/);
    expect(() => checkModule({ definition: launch.definition } as never)).toThrow(/needs a `command` handler \(handler 1/);
    expect(() => checkModules([launch, discordLaunches] as never)).toThrow("registry: 2 Entry Point commands (launch, play); an app has at most one");
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
    const reply = await createInteractionResponse(options, replied, { type: 4, data: { content: "hi", allowed_mentions: { parse: [] } } });
    expect(reply.resource).toMatchObject({ type: 4, message: { content: "hi" } });
    expect(reply.interaction.response_message_id).toBe(reply.resource!.message!.id);
  });
});
