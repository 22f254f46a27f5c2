// The conformance check against Discord's API description (discord-api-spec): what it refuses, how it names the
// schema and the field, and that the emulator answers such a body as Discord would (400, 50035) and reports it.
import { describe, expect, it } from "vitest";
import { checkAgainstSpec, SPEC_OPERATIONS } from "../../../src/emulator/conformance.ts";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  multipart,
} from "../../support/discord-emulator.ts";
import { expectConforming, takeSpecViolations } from "../../support/spec.ts";

const png = { n: 0, filename: "chart.png", contentType: "image/png", bytes: new Uint8Array([137, 80, 78, 71]) };

describe("checkAgainstSpec", () => {
  it("accepts what the description accepts", () => {
    expect(
      checkAgainstSpec(SPEC_OPERATIONS.editWebhookMessage, {
        content: "hi",
        attachments: [{ id: "0", filename: "chart.png" }],
        allowed_mentions: { parse: [] },
      }),
    ).toBeNull();
    expect(checkAgainstSpec(SPEC_OPERATIONS.interactionCallback, { type: 1 })).toBeNull();
    expect(checkAgainstSpec(SPEC_OPERATIONS.interactionCallback, { type: 12 })).toBeNull();
  });

  it("refuses an attachment id sent as a number, naming the schema and the field", () => {
    const found = checkAgainstSpec(SPEC_OPERATIONS.editWebhookMessage, {
      attachments: [{ id: 0, filename: "chart.png" }],
    });
    expect(found).toMatchObject({ schema: "IncomingWebhookUpdateRequestPartial", path: "attachments[0].id" });
    expect(found!.message).toBe(
      "discord-api-spec(IncomingWebhookUpdateRequestPartial) update_webhook_message: attachments[0].id: expected string, got number 0",
    );
  });

  it("refuses a field the description does not have (a typo would otherwise pass unseen)", () => {
    const found = checkAgainstSpec(SPEC_OPERATIONS.executeWebhook, { content: "hi", allowed_mention: { parse: [] } });
    expect(found).toMatchObject({
      path: "allowed_mention",
      problem: expect.stringMatching(/not a field in Discord's description/),
    });
  });

  it("picks the callback schema by type, and refuses a type Discord does not have", () => {
    expect(
      checkAgainstSpec(SPEC_OPERATIONS.interactionCallback, { type: 4, data: { content: "x".repeat(2001) } }),
    ).toMatchObject({ schema: "CreateMessageInteractionCallbackRequest", path: "data.content" });
    expect(checkAgainstSpec(SPEC_OPERATIONS.interactionCallback, { type: 11 })).toMatchObject({ path: "type" });
  });

  it("names the failing field inside a component, not the union of component shapes", () => {
    const row = {
      type: 1,
      components: Array.from({ length: 6 }, (_, n) => ({ type: 2, style: 1, label: "b", custom_id: `b${n}` })),
    };
    expect(checkAgainstSpec(SPEC_OPERATIONS.executeWebhook, { components: [row] })).toMatchObject({
      path: "components[0].components",
      problem: "at most 5 items allowed, got 6 items",
    });
    expect(checkAgainstSpec(SPEC_OPERATIONS.executeWebhook, { components: [{ type: 99 }] })).toMatchObject({
      path: "components[0].type",
    });
  });

  it("checks a bulk command overwrite command by command", () => {
    expect(
      checkAgainstSpec(SPEC_OPERATIONS.bulkSetCommands, [
        { name: "ok", description: "d" },
        { name: "x".repeat(33), description: "d" },
      ]),
    ).toMatchObject({ path: "[1].name" });
  });

  it("expectConforming throws with the schema and the field", () => {
    expect(() => expectConforming(SPEC_OPERATIONS.editWebhookMessage, { attachments: [{ id: 0 }] })).toThrow(
      /IncomingWebhookUpdateRequestPartial.*attachments\[0\]\.id/,
    );
  });
});

describe("the emulator", () => {
  it("answers a multipart payload_json the description refuses with 400/50035 at the field, and reports it", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(
      emulator,
      "POST",
      `/webhooks/${DEFAULT_APPLICATION_ID}/tok`,
      multipart({ content: "c", attachments: [{ id: 0, filename: "chart.png" }] }, [png]),
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 50035,
      errors: { attachments: { 0: { id: { _errors: [{ code: "SPEC_CONFORMANCE" }] } } } },
    });
    expect(takeSpecViolations().map((v) => v.message)).toEqual([
      "discord-api-spec(IncomingWebhookRequestPartial) execute_webhook: attachments[0].id: expected string, got number 0",
    ]);
    const fixed = await callDiscord(
      emulator,
      "POST",
      `/webhooks/${DEFAULT_APPLICATION_ID}/tok`,
      multipart({ content: "c", attachments: [{ id: "0", filename: "chart.png" }] }, [png]),
    );
    expect(fixed.status).toBe(200);
  });

  it("checks the Worker's inline answer too", async () => {
    const emulator = createDiscordEmulator();
    const i = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    const result = await emulator.recordInlineResponse(i.token, { type: 4, data: { content: "hi", tts: "yes" } });
    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(takeSpecViolations().map((v) => v.path)).toEqual(["data.tts"]);
  });
});
