// The README's example module, run as a bot developer would after adding it to the list: typed options, the
// buttons and their custom_ids, the modal, and the heavy job with its follow-up and one final edit.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as roll from "../../src/worker/app/commands/roll.ts";
import { createRegistry, listModules } from "../../src/worker/kit/dispatch/registry.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { createDiscordEmulator, fault, type DiscordEmulator } from "../../src/emulator/core.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, component, conforming, interaction, signedRequest } from "../support/interactions.worker.ts";

const registry = createRegistry(listModules(roll));
let discord: DiscordEmulator;
beforeEach(() => {
  discord = createDiscordEmulator();
  routeOutbound({ "discord.test": (request) => discord.fetch(request) });
});
afterEach(() => discord.close());

async function send(payload: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const response = await conforming(await handleInteractionRequest((await signedRequest(JSON.stringify(payload))) as never, { ...env, HEAVY_LIMITER: undefined } as never, ctx, registry));
  await waitOnExecutionContext(ctx);
  return (await response.json()) as { type: number; data?: Record<string, any> };
}

describe("the README's /roll", () => {
  it("answers a small roll at once, with Again and Name it buttons carrying roll: ids", async () => {
    const body = await send(command("roll", [{ type: 4, name: "sides", value: 20 }]));
    expect(body.type).toBe(4);
    const value = Number(/🎲 (\d+)/.exec(body.data!.content)![1]);
    expect(value).toBeGreaterThanOrEqual(1);
    expect(value).toBeLessThanOrEqual(20);
    expect(body.data!.components[0].components.map((b: { custom_id: string }) => b.custom_id)).toEqual(["roll:again:20", "roll:name"]);
  });

  it("runs a big roll as its job: thinking…, an ephemeral follow-up, one final edit", async () => {
    const payload = command("roll", [{ type: 4, name: "sides", value: 6 }, { type: 4, name: "times", value: 5000 }]);
    expect(await send(payload)).toEqual({ type: 5 });
    const followUps = discord.calls({ method: "POST" }).filter((c) => c.path.includes(String(payload.token)));
    expect(followUps.map((c) => (c.body as { json: { content: string; flags: number } }).json)).toEqual([expect.objectContaining({ content: "That was 5000 rolls.", flags: 64 })]);
    const edits = discord.calls({ method: "PATCH" });
    expect(edits).toHaveLength(1);
    const total = Number(/: (\d+)$/.exec((edits[0]!.body as { json: { content: string } }).json.content)![1]);
    expect(total).toBeGreaterThanOrEqual(5000);
    expect(total).toBeLessThanOrEqual(30000);
    // The result replaces "thinking…"; the ephemeral note follows it as its own message (issue 20, defect 1).
    expect(discord.messagesFor(String(payload.token)).map((m) => [m.role, m.flags & 64])).toEqual([["original", 0], ["followup", 64]]);
  });

  it("rides out Discord's Unknown Webhook race right after the deferral: the final message still arrives", async () => {
    discord.faults.push(fault.unknownWebhook({ method: "PATCH", path: "/messages/@original" }, { times: 2 }));
    const payload = command("roll", [{ type: 4, name: "times", value: 2000 }]);
    expect(await send(payload)).toEqual({ type: 5 });
    expect(discord.calls({ method: "PATCH" }).map((c) => c.status)).toEqual([404, 404, 200]);
    expect(discord.messagesFor(String(payload.token))[0]!.content).toMatch(/^🎲 2000 × d6: \d+$/);
  });

  it("routes its buttons and its modal back to the module", async () => {
    expect(await send(component("roll:again:2"))).toMatchObject({ type: 4, data: { content: expect.stringMatching(/^🎲 [12]$/) } });
    expect(await send(component("roll:name"))).toMatchObject({ type: 9, data: { custom_id: "roll:named", title: "Name this roll" } });
    const submit = interaction({ type: 5, data: { custom_id: "roll:named", components: [{ type: 18, component: { type: 4, custom_id: "name", value: "lucky" } }] } });
    expect(await send(submit)).toMatchObject({ type: 4, data: { content: 'Saved as "lucky".', flags: 64 } });
  });

  it("refuses an option of the wrong type (a stale registration) without calling the handler", async () => {
    const body = await send(command("roll", [{ type: 3, name: "sides", value: "twenty" }]));
    expect(body).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringMatching(/has changed since Discord last loaded it/) } });
  });
});
