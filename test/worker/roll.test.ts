// The README's example module, run as a bot developer would after adding it to the list: typed options, the
// buttons and their custom_ids, the modal, and the heavy job with its follow-up and one final edit.
import { describe, expect, it } from "vitest";
import * as roll from "../../src/worker/app/examples/roll.ts";
import { fault } from "../../src/emulator/core.ts";
import { testBot } from "../support/bot.worker.ts";
import { command } from "../support/interactions.worker.ts";

const bot = testBot(roll);

describe("the README's /roll", () => {
  it("answers a small roll at once, with Again and Name it buttons carrying roll: ids", async () => {
    const { reply, steps } = await bot.command(roll, { sides: 20 });
    expect(steps).toEqual(["reply"]);
    const value = Number(/🎲 (\d+)/.exec(reply!.content!)![1]);
    expect(value).toBeGreaterThanOrEqual(1);
    expect(value).toBeLessThanOrEqual(20);
    expect(reply!.components![0].components.map((b: { custom_id: string }) => b.custom_id)).toEqual([
      "roll:again:20",
      "roll:name",
    ]);
  });

  it("runs a big roll as its job: thinking…, an ephemeral follow-up, one final edit", async () => {
    const run = await bot.command(roll, { sides: 6, times: 5000 });
    expect(run.response).toEqual({ type: 5 });
    expect(run.followUps.map((m) => [m.content, m.flags])).toEqual([["That was 5000 rolls.", 64]]);
    expect(run.edits).toHaveLength(1);
    const total = Number(/: (\d+)$/.exec(run.finalEdit!.content!)![1]);
    expect(total).toBeGreaterThanOrEqual(5000);
    expect(total).toBeLessThanOrEqual(30000);
    // The result replaces "thinking…"; the ephemeral note follows it as its own message (issue 20, defect 1).
    expect(run.steps).toEqual(["deferred", "edit original", "follow-up"]);
    expect(bot.discord.messagesFor(run.payload.token).map((m) => [m.role, m.flags & 64])).toEqual([
      ["original", 0],
      ["followup", 64],
    ]);
  });

  it("rides out Discord's Unknown Webhook race right after the deferral: the final message still arrives", async () => {
    bot.discord.faults.push(fault.unknownWebhook({ method: "PATCH", path: "/messages/@original" }, { times: 2 }));
    const run = await bot.command(roll, { times: 2000 });
    expect(run.response).toEqual({ type: 5 });
    expect(bot.discord.calls({ method: "PATCH" }).map((c) => c.status)).toEqual([404, 404, 200]);
    expect(bot.discord.messagesFor(run.payload.token)[0]!.content).toMatch(/^🎲 2000 × d6: \d+$/);
  });

  it("routes its buttons and its modal back to the module", async () => {
    const first = await bot.command(roll, { sides: 2 });
    expect((await bot.click(first, "Again")).response).toMatchObject({
      type: 4,
      data: { content: expect.stringMatching(/^🎲 [12]$/) },
    });
    const form = await bot.click(first, "Name it");
    expect(form.modal).toMatchObject({ custom_id: "roll:named", title: "Name this roll" });
    expect((await bot.submit(form, { name: "lucky" })).response).toMatchObject({
      type: 4,
      data: { content: 'Saved as "lucky".', flags: 64 },
    });
  });

  it("refuses an option of the wrong type (a stale registration) without calling the handler", async () => {
    const body = await bot.sendRaw(command("roll", [{ type: 3, name: "sides", value: "twenty" }]));
    expect(body.response).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/has changed since Discord last loaded it/) },
    });
  });
});
