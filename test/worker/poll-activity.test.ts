// Polls (the poll() builder, its limits, /poll) and LAUNCH_ACTIVITY (type 12) among the answers a handler may give.
import { describe, expect, it } from "vitest";
import * as pollCommand from "../../src/worker/app/commands/poll.ts";
import { EVERYWHERE, slashCommand } from "../../src/worker/kit/dispatch/definitions.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { poll, pollProblem } from "../../src/worker/kit/discord/poll.ts";
import {
  autocompleteChoices,
  launchActivity,
  ResponseError,
  reply,
  validateResponse,
} from "../../src/worker/kit/discord/responses.ts";
import { InteractionType } from "../../src/worker/kit/discord/interaction-types.ts";
import { testBot } from "../support/bot.worker.ts";

const play = defineModule({
  definition: slashCommand({ name: "play", description: "opens the game", ...EVERYWHERE }),
  command: () => launchActivity(),
});
const bot = testBot([pollCommand, play]);
const answers = (n: number) => Array.from({ length: n }, (_, i) => `answer ${i + 1}`);

describe("poll()", () => {
  it("builds Discord's poll create request", () => {
    expect(
      poll({
        question: "Lunch?",
        answers: ["pizza", { text: "soup", emoji: { name: "🍲" } }],
        durationHours: 48,
        allowMultiselect: true,
      }),
    ).toEqual({
      question: { text: "Lunch?" },
      answers: [{ poll_media: { text: "pizza" } }, { poll_media: { text: "soup", emoji: { name: "🍲" } } }],
      duration: 48,
      allow_multiselect: true,
      layout_type: 1,
    });
  });

  it.each([
    [
      "a question over 300 characters",
      { question: "q".repeat(301), answers: ["a"] },
      /a poll needs a question of 1-300 characters/,
    ],
    ["no answers", { question: "q", answers: [] }, /1-10 answers, got 0/],
    ["11 answers", { question: "q", answers: answers(11) }, /1-10 answers, got 11/],
    [
      "an answer over 55 characters",
      { question: "q", answers: ["ok", "a".repeat(56)] },
      /poll answer 2 needs 1-55 characters/,
    ],
    ["0 hours", { question: "q", answers: ["a"], durationHours: 0 }, /1-768 whole hours/],
    ["769 hours", { question: "q", answers: ["a"], durationHours: 769 }, /1-768 whole hours/],
    ["1.5 hours", { question: "q", answers: ["a"], durationHours: 1.5 }, /1-768 whole hours/],
  ])("refuses %s, naming the limit", (_, input, message) => {
    expect(() => poll(input)).toThrow(ResponseError);
    expect(() => poll(input)).toThrow(message);
  });

  it("accepts the limits themselves", () => {
    expect(() =>
      poll({ question: "q".repeat(300), answers: answers(10).map((a) => a.padEnd(55, ".")), durationHours: 768 }),
    ).not.toThrow();
    expect(() => poll({ question: "q", answers: ["a"], durationHours: 1 })).not.toThrow();
  });

  it("is checked wherever a message carries one: a reply, and never an update", () => {
    expect(() => reply({ poll: { question: { text: "q" }, answers: [], layout_type: 1 } })).toThrow(/1-10 answers/);
    expect(
      validateResponse({ type: 7, data: { poll: poll({ question: "q", answers: ["a"] }) } }, InteractionType.Component),
    ).toMatch(/cannot carry a poll/);
    expect(pollProblem({ question: { text: "q" }, answers: [{ poll_media: { text: "a" } }], layout_type: 2 })).toMatch(
      /layout_type must be 1/,
    );
  });
});

describe("/poll", () => {
  it("posts the poll: question, answers split on |, hours and multiple choice", async () => {
    const { response } = await bot.command(pollCommand, {
      question: "Tea or coffee?",
      answers: "tea | coffee |  | water",
      hours: 6,
      multiple: true,
    });
    expect(response).toEqual({
      type: 4,
      data: {
        poll: {
          question: { text: "Tea or coffee?" },
          answers: [
            { poll_media: { text: "tea" } },
            { poll_media: { text: "coffee" } },
            { poll_media: { text: "water" } },
          ],
          duration: 6,
          allow_multiselect: true,
          layout_type: 1,
        },
        allowed_mentions: { parse: [] },
      },
    });
  });

  it("tells the user, ephemerally, what is wrong with their poll", async () => {
    const { response } = await bot.command(pollCommand, { question: "Pick", answers: answers(11).join("|") });
    expect(response).toMatchObject({
      type: 4,
      data: { flags: 64, content: "I could not make that poll: a poll needs 1-10 answers, got 11." },
    });
  });
});

describe("launchActivity()", () => {
  it("is type 12 with no data, valid for a command and a component", () => {
    expect(launchActivity()).toEqual({ type: 12 });
    expect(validateResponse(launchActivity(), InteractionType.Command)).toBeNull();
    expect(validateResponse(launchActivity(), InteractionType.Component)).toBeNull();
  });

  it("is refused for autocomplete, modal submits and pings", () => {
    for (const type of [InteractionType.Autocomplete, InteractionType.ModalSubmit, InteractionType.Ping]) {
      expect(validateResponse(launchActivity(), type)).toBe(
        `response type 12 is not valid for interaction type ${type}`,
      );
    }
    expect(validateResponse(autocompleteChoices([]), InteractionType.Autocomplete)).toBeNull();
  });

  it("goes from a handler to Discord as it is, and the emulator shows that the activity launched", async () => {
    // The kit records the answer with the emulator as Discord would, and fails if it refuses it.
    const { response, steps, payload } = await bot.command(play, {});
    expect(response).toEqual({ type: 12 });
    expect(steps).toEqual(["launch activity"]);
    const discord = bot.discord;
    expect(discord.feed().timeline).toEqual([
      expect.objectContaining({ kind: "activity", invocation: expect.objectContaining({ label: "/play" }) }),
    ]);
    expect(discord.messagesFor(payload.token)).toEqual([]);
  });
});
