// Create Interaction Response with `with_response=true`: what the emulator answers for each callback type, held
// against Discord's description of the answer (InteractionCallbackResponse in discord-api-spec): `interaction` always,
// `resource` only for a reply (the message), an update (the edited message) and LAUNCH_ACTIVITY (the Activity instance).
import { describe, expect, it } from "vitest";
import { checkResponseAgainstSpec } from "../../../src/emulator/conformance.ts";
import { callDiscord, createDiscordEmulator } from "../../support/discord-emulator.ts";

const callback = (id: string, token: string) => `/interactions/${id}/${token}/callback?with_response=true`;

async function answer(interaction: Record<string, unknown>, body: unknown) {
  const emulator = createDiscordEmulator();
  const i = emulator.issueInteraction(interaction as never);
  const r = await callDiscord(emulator, "POST", callback(i.id, i.token), body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return { i, json: r.json as Record<string, any> };
}

const BUTTON_MESSAGE = {
  id: "1200000000000000001",
  channel_id: "300000000000000003",
  content: "pick",
  components: [],
  flags: 0,
};

describe("with_response=true answers as Discord's description says", () => {
  it("a reply (4): the created message in resource.message, its id in interaction.response_message_id", async () => {
    const { i, json } = await answer(
      { type: 2, data: { name: "ping", type: 1 } },
      { type: 4, data: { content: "hi", allowed_mentions: { parse: [] } } },
    );
    expect(checkResponseAgainstSpec("InteractionCallbackResponse", json)).toBeNull();
    expect(json).toMatchObject({
      interaction: {
        id: i.id,
        type: 2,
        response_message_id: json.resource.message.id,
        response_message_loading: false,
        response_message_ephemeral: false,
      },
      resource: { type: 4, message: { content: "hi" } },
    });
  });

  it("an update (7): the edited message", async () => {
    const { json } = await answer(
      { type: 3, data: { custom_id: "x:1", component_type: 2 }, message: BUTTON_MESSAGE },
      { type: 7, data: { content: "picked" } },
    );
    expect(checkResponseAgainstSpec("InteractionCallbackResponse", json)).toBeNull();
    expect(json.resource).toMatchObject({ type: 7, message: { id: BUTTON_MESSAGE.id, content: "picked" } });
  });

  it("LAUNCH_ACTIVITY (12): the Activity instance, also as interaction.activity_instance_id", async () => {
    const { json } = await answer({ type: 2, data: { name: "launch", type: 4 } }, { type: 12 });
    expect(checkResponseAgainstSpec("InteractionCallbackResponse", json)).toBeNull();
    expect(json.resource).toEqual({ type: 12, activity_instance: { id: json.interaction.activity_instance_id } });
  });

  it("a deferral (5) or a modal (9): the interaction only, no resource", async () => {
    const deferred = await answer({ type: 2, data: { name: "chart", type: 1 } }, { type: 5 });
    expect(checkResponseAgainstSpec("InteractionCallbackResponse", deferred.json)).toBeNull();
    expect(deferred.json.resource).toBeUndefined();
    expect(deferred.json.interaction).toMatchObject({ response_message_loading: true });
    const modal = await answer(
      { type: 2, data: { name: "feedback", type: 1 } },
      {
        type: 9,
        data: {
          custom_id: "feedback:v1",
          title: "Feedback",
          components: [{ type: 18, label: "Text", component: { type: 4, custom_id: "text", style: 2 } }],
        },
      },
    );
    expect(checkResponseAgainstSpec("InteractionCallbackResponse", modal.json)).toBeNull();
    expect(modal.json.resource).toBeUndefined();
  });

  it("the check names what the description refuses", () => {
    expect(
      checkResponseAgainstSpec("InteractionCallbackResponse", {
        interaction: { id: "1", type: 2 },
        resource: { type: 5 },
      }),
    ).toMatch(/^discord-api-spec\(InteractionCallbackResponse\) response: resource/);
  });
});
