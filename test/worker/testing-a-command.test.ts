// test/worker/testing-a-command.test.ts
import { expect, it } from "vitest";
import * as roll from "../../src/worker/app/examples/roll.ts";
import { testBot } from "../support/bot.worker.ts";

const bot = testBot(roll); // roll behind the real ingress; a Discord emulator in every test

it("rolls 5,000 dice in a job: thinking…, the result, then a note only the user sees", async () => {
  const run = await bot.command(roll, { sides: 6, times: 5000 }); // options typed from roll's definition
  expect(run.steps).toEqual(["deferred", "edit original", "follow-up"]);
  expect(run.finalEdit?.content).toMatch(/^🎲 5000 × d6: \d+$/);
  expect(run.followUps.map((m) => [m.content, m.flags])).toEqual([["That was 5000 rolls.", 64]]);
  const form = await bot.click(await bot.command(roll, {}), "Name it"); // the button, by its label
  expect((await bot.submit(form, { name: "lucky" })).reply?.content).toBe('Saved as "lucky".');
});
