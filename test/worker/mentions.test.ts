// allowed_mentions: every message the bot sends pings no one unless its handler opts in — the initial answer
// (built with the helpers or by hand, type 4 or 7), and everything sent later: progress edits, follow-ups and
// their edits, the final edit, and the error edit of a failed job.
import { afterEach, describe, expect, it, vi } from "vitest";
import { EVERYWHERE, slashCommand } from "../../src/worker/kit/dispatch/definitions.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { update } from "../../src/worker/kit/discord/responses.ts";
import { testBot } from "../support/bot.worker.ts";

const PING_ALL = "hey @everyone and <@&123456789012345678>";
const ONLY_ADA = { users: ["400000000000000004"] };

const shout = defineModule({
  definition: slashCommand({
    name: "shout",
    description: "says things",
    options: [{ type: 3, name: "how", description: "how", required: true }],
    ...EVERYWHERE,
  }),
  jobs: {
    loud: job<{ optIn: boolean }>(async ({ optIn }, task) => {
      await task.progress(PING_ALL);
      const note = await task.followUp(PING_ALL);
      await task.editFollowUp(note.id, { content: PING_ALL, ...(optIn ? { allowed_mentions: ONLY_ADA } : {}) });
      await task.followUp(PING_ALL, { ephemeral: true });
      return { data: { content: PING_ALL, ...(optIn ? { allowed_mentions: ONLY_ADA } : {}) } };
    }),
    broken: job(async () => {
      throw new Error("nope");
    }),
  },
  command: ({ options, defer }) => {
    if (options.how === "raw") return { type: 4, data: { content: PING_ALL } };
    if (options.how === "opt-in") return { type: 4, data: { content: PING_ALL, allowed_mentions: ONLY_ADA } };
    if (options.how === "broken") return defer("broken", {});
    return defer("loud", { optIn: options.how === "job-opt-in" });
  },
  component: () => update(PING_ALL),
});
const bot = testBot(shout);
afterEach(() => vi.restoreAllMocks());

const how = async (value: string) => (await bot.command(shout, { how: value })).response;
const sentBodies = () =>
  bot.discord
    .calls()
    .filter((c) => c.method !== "DELETE")
    .map((c) => ({
      call: `${c.method} ${c.path.replace(/^\/api\/v10\/webhooks\/\d+\/[^/]+/, "")}`,
      allowed: (c.body as { json: { allowed_mentions?: unknown } }).json.allowed_mentions,
    }));

describe("allowed_mentions", () => {
  it("is {parse: []} on an answer a handler wrote by hand, and on update()", async () => {
    expect((await how("raw")).data).toEqual({ content: PING_ALL, allowed_mentions: { parse: [] } });
    expect((await bot.click("shout:x")).response).toEqual({
      type: 7,
      data: { content: PING_ALL, allowed_mentions: { parse: [] } },
    });
  });

  it("is the handler's own when it sets one (the opt-in)", async () => {
    expect((await how("opt-in")).data).toEqual({ content: PING_ALL, allowed_mentions: ONLY_ADA });
  });

  it("is {parse: []} on every later message: progress edit, follow-ups, their edits, the final edit", async () => {
    expect(await how("job")).toEqual({ type: 5 });
    expect(sentBodies()).toEqual([
      { call: "PATCH /messages/@original", allowed: { parse: [] } },
      { call: "POST ", allowed: { parse: [] } },
      { call: expect.stringMatching(/^PATCH \/messages\/\d+$/), allowed: { parse: [] } },
      { call: "POST ", allowed: { parse: [] } },
      { call: "PATCH /messages/@original", allowed: { parse: [] } },
    ]);
  });

  it("keeps a job's own allowed_mentions on its edits and its final message", async () => {
    await how("job-opt-in");
    expect(sentBodies().map((b) => b.allowed)).toEqual([
      { parse: [] },
      { parse: [] },
      ONLY_ADA,
      { parse: [] },
      ONLY_ADA,
    ]);
  });

  it("is {parse: []} on the error edit of a failed job", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    await how("broken");
    expect(sentBodies()).toEqual([{ call: "PATCH /messages/@original", allowed: { parse: [] } }]);
  });
});
