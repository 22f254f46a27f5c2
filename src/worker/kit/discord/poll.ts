/**
 * Polls: `poll({ question, answers, … })` builds the `poll` of a message (a reply or a follow-up) and checks
 * Discord's limits as it builds (resources/poll.mdx "Poll Create Request Object"): a question of up to 300
 * characters, 1-10 answers of up to 55 characters each, open for 1-768 hours (32 days; Discord's default is 24),
 * one answer or several (`allowMultiselect`), and the one layout Discord has (1, DEFAULT). Discord does not let a
 * poll be edited, and an interaction's update (type 7) cannot carry one.
 */
import type { RESTAPIPoll } from "discord-api-types/v10";
import { isObject } from "../json.ts";
import { ResponseError } from "./responses.ts";

export const PollLimits = { question: 300, answers: 10, answerText: 55, minHours: 1, maxHours: 768 } as const;

/** An answer: its text, or its text and an emoji (`{ name: "🍕" }` or a custom one's `{ id }`). */
type PollAnswer =
  | string
  | { readonly text: string; readonly emoji?: { readonly name: string } | { readonly id: string } };

export interface PollInput {
  readonly question: string;
  readonly answers: readonly PollAnswer[];
  /** Hours the poll stays open, 1-768; Discord's default is 24. */
  readonly durationHours?: number;
  readonly allowMultiselect?: boolean;
}

/** @public The `poll` of a message, checked; throws a ResponseError naming the limit it breaks. */
export function poll(input: PollInput): RESTAPIPoll {
  const built: RESTAPIPoll = {
    question: { text: input.question },
    answers: input.answers.map((answer) => ({
      poll_media:
        typeof answer === "string"
          ? { text: answer }
          : {
              text: answer.text,
              ...(answer.emoji ? { emoji: answer.emoji as NonNullable<RESTAPIPoll["question"]["emoji"]> } : {}),
            },
    })),
    ...(input.durationHours !== undefined ? { duration: input.durationHours } : {}),
    ...(input.allowMultiselect !== undefined ? { allow_multiselect: input.allowMultiselect } : {}),
    layout_type: 1,
  };
  const problem = pollProblem(built);
  if (problem) throw new ResponseError(`discord(poll): ${problem}`);
  return built;
}

/** Null when `value` is a poll Discord accepts, else the limit it breaks (messageProblem checks every message's poll). */
export function pollProblem(value: unknown): string | null {
  const poll = isObject(value) ? value : {};
  const question = isObject(poll.question) ? poll.question.text : undefined;
  const answers = Array.isArray(poll.answers) ? poll.answers : [];
  if (typeof question !== "string" || !question.trim() || question.length > PollLimits.question)
    return `a poll needs a question of 1-${PollLimits.question} characters`;
  if (answers.length < 1 || answers.length > PollLimits.answers)
    return `a poll needs 1-${PollLimits.answers} answers, got ${answers.length}`;
  for (const [index, answer] of answers.entries()) {
    const text = isObject(answer) && isObject(answer.poll_media) ? answer.poll_media.text : undefined;
    if (typeof text !== "string" || !text.trim() || text.length > PollLimits.answerText)
      return `poll answer ${index + 1} needs 1-${PollLimits.answerText} characters`;
  }
  const hours = poll.duration;
  if (
    hours !== undefined &&
    !(Number.isInteger(hours) && (hours as number) >= PollLimits.minHours && (hours as number) <= PollLimits.maxHours)
  ) {
    return `a poll lasts ${PollLimits.minHours}-${PollLimits.maxHours} whole hours, got ${String(hours)}`;
  }
  if (poll.allow_multiselect !== undefined && typeof poll.allow_multiselect !== "boolean")
    return "allow_multiselect must be a boolean";
  if (poll.layout_type !== undefined && poll.layout_type !== 1)
    return "layout_type must be 1, Discord's only poll layout";
  return null;
}
