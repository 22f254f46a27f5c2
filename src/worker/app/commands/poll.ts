/** /poll: a Discord poll built with `poll()` (src/worker/kit/discord/poll.ts), whose limits are checked before it is sent. */
import {
  ephemeral,
  EVERYWHERE,
  OptionType,
  poll,
  PollLimits,
  reply,
  ResponseError,
  slashCommand,
  type CommandContext,
  type HandlerResult,
} from "../../kit/index.ts";

export const definition = slashCommand({
  name: "poll",
  name_localizations: { de: "umfrage", fr: "sondage" },
  description: "Ask the channel a question with up to 10 answers",
  description_localizations: {
    de: "Dem Kanal eine Frage mit bis zu 10 Antworten stellen",
    fr: "Poser au salon une question avec jusqu'à 10 réponses",
  },
  options: [
    {
      type: OptionType.String,
      name: "question",
      description: "The question",
      required: true,
      max_length: PollLimits.question,
    },
    {
      type: OptionType.String,
      name: "answers",
      description: "The answers, separated by | (e.g. tea | coffee | water)",
      required: true,
      max_length: 1000,
    },
    {
      type: OptionType.Integer,
      name: "hours",
      description: "How long it stays open (default 24)",
      min_value: PollLimits.minHours,
      max_value: PollLimits.maxHours,
    },
    { type: OptionType.Boolean, name: "multiple", description: "Let people pick more than one answer" },
  ],
  // A poll is a message like any other: servers, DMs and group DMs, installed by a server or by a user.
  ...EVERYWHERE,
});

export function command({ options, t }: CommandContext<typeof definition>): HandlerResult {
  const answers = options.answers
    .split("|")
    .map((answer) => answer.trim())
    .filter((answer) => answer.length > 0);
  try {
    return reply({
      poll: poll({
        question: options.question,
        answers,
        durationHours: options.hours ?? 24,
        allowMultiselect: options.multiple ?? false,
      }),
    });
  } catch (error) {
    // The user's own mistakes (too many answers, one too long) get a sentence, not a handler error.
    if (error instanceof ResponseError)
      return ephemeral(t("pollRefused", error.message.replace(/^discord\(poll\): /, "")));
    throw error;
  }
}
