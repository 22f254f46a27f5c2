// The test kit with subcommands as a newcomer writes them (the README's /remind): a subcommand without options, and
// autocomplete on a subcommand's option, sent nested as Discord nests it ("set what": options[0] is the subcommand).
import { describe, expect, it } from "vitest";
import {
  autocompleteChoices,
  ephemeral,
  EVERYWHERE,
  OptionType,
  slashCommand,
  type AutocompleteContext,
  type Subcommands,
} from "../../src/worker/kit/index.ts";
import { testBot } from "../support/bot.worker.ts";

const definition = slashCommand({
  name: "remind",
  description: "Reminders",
  ...EVERYWHERE,
  options: [
    {
      type: OptionType.Subcommand,
      name: "set",
      description: "Set a reminder",
      options: [
        { type: OptionType.String, name: "what", description: "What", required: true, autocomplete: true },
        { type: OptionType.Integer, name: "in", description: "Minutes", required: true },
      ],
    },
    { type: OptionType.Subcommand, name: "list", description: "Your reminders" },
  ],
});

const remind = {
  definition,
  subcommands: {
    set: ({ options }) => ephemeral(`${options.what} in ${options.in}`),
    list: () => ephemeral("none"),
  } satisfies Subcommands<typeof definition>,
  // What Discord sent, echoed: which option is focused, and where it sits.
  autocomplete: ({ focused, interaction }: AutocompleteContext) => {
    const sub = (interaction.data as { options?: { name: string; options?: { name: string }[] }[] }).options?.[0];
    return autocompleteChoices([
      {
        name: `${sub?.name}/${focused?.name}=${focused?.value}`,
        value: sub?.options?.map((o) => o.name).join(",") ?? "",
      },
    ]);
  },
};

describe("the test kit with subcommands", () => {
  const bot = testBot(remind);

  it("sends a subcommand without options, given {} or nothing", async () => {
    expect((await bot.subcommand(remind, "list", {})).reply?.content).toBe("none");
    expect((await bot.subcommand(remind, "list")).reply?.content).toBe("none");
    expect((await bot.subcommand(remind, "set", { what: "tea", in: 5 })).reply?.content).toBe("tea in 5");
  });

  it("asks autocomplete for a subcommand's option inside that subcommand, with the options already filled", async () => {
    const run = await bot.autocomplete(remind, "set what", "st", { in: 3 });
    expect(run.choices).toEqual([{ name: "set/what=st", value: "in,what" }]);
    // @ts-expect-error "when" is not an option of set
    await expect(bot.autocomplete(remind, "set when", "st")).rejects.toThrow(
      'testBot: remind set has no option "when" (it has what, in)',
    );
  });
});
