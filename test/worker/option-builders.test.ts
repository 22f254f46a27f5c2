// option.* (src/worker/kit/dispatch/option-builders.ts): one line per option, the same JSON and the same handler
// types as the option written out, and the same compile-time refusals.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  EVERYWHERE,
  ephemeral,
  option,
  OptionType,
  slashCommand,
  type OptionsOf,
  type Subcommands,
} from "../../src/worker/kit/index.ts";
import type { SubcommandOptionsOf } from "../../src/worker/kit/dispatch/definitions.ts";
import { testBot } from "../support/bot.worker.ts";

const short = slashCommand({
  name: "remind",
  description: "Reminders",
  ...EVERYWHERE,
  options: [
    option.subcommand("set", "Set a reminder", [
      option.string("what", "What to remind you of", { required: true, autocomplete: true }),
      option.integer("in", "In how many minutes", { required: true, min_value: 1, max_value: 1440 }),
      option.string("tone", "How", { choices: [{ name: "Soft", value: "soft" }] }),
    ]),
    option.subcommand("list", "Your reminders"),
    option.group("config", "Settings", [option.subcommand("quiet", "Mute", [option.boolean("on", "On?")])]),
  ],
});

const long = slashCommand({
  name: "remind",
  description: "Reminders",
  ...EVERYWHERE,
  options: [
    {
      type: OptionType.Subcommand,
      name: "set",
      description: "Set a reminder",
      options: [
        {
          type: OptionType.String,
          name: "what",
          description: "What to remind you of",
          required: true,
          autocomplete: true,
        },
        {
          type: OptionType.Integer,
          name: "in",
          description: "In how many minutes",
          required: true,
          min_value: 1,
          max_value: 1440,
        },
        { type: OptionType.String, name: "tone", description: "How", choices: [{ name: "Soft", value: "soft" }] },
      ],
    },
    { type: OptionType.Subcommand, name: "list", description: "Your reminders" },
    {
      type: OptionType.SubcommandGroup,
      name: "config",
      description: "Settings",
      options: [
        {
          type: OptionType.Subcommand,
          name: "quiet",
          description: "Mute",
          options: [{ type: OptionType.Boolean, name: "on", description: "On?" }],
        },
      ],
    },
  ],
});

const reminders = {
  definition: short,
  subcommands: {
    set: ({ options }) => ephemeral(`${options.what} in ${options.in} (${options.tone ?? "plain"})`),
    list: () => ephemeral("none"),
    "config quiet": ({ options }) => ephemeral(`quiet ${options.on ?? false}`),
  } satisfies Subcommands<typeof short>,
  autocomplete: () => ephemeral("x") as never,
};

describe("option builders", () => {
  const bot = testBot(reminders);

  it("build the JSON the option written out is (what npm run register sends)", () => {
    expect(JSON.parse(JSON.stringify(short))).toEqual(JSON.parse(JSON.stringify(long)));
  });

  it("give the handlers the same types: literal names, required without undefined, choices as a union", () => {
    expectTypeOf<SubcommandOptionsOf<typeof short, "set">>().toEqualTypeOf<SubcommandOptionsOf<typeof long, "set">>();
    expectTypeOf<SubcommandOptionsOf<typeof short, "set">>().toEqualTypeOf<
      {
        readonly what: string;
        readonly in: number;
      } & { readonly tone?: "soft" }
    >();
    expectTypeOf<SubcommandOptionsOf<typeof short, "config quiet">>().toEqualTypeOf<
      SubcommandOptionsOf<typeof long, "config quiet">
    >();
    const flat = slashCommand({
      name: "f",
      description: "f",
      options: [option.user("who", "Who", { required: true })],
    });
    expectTypeOf<OptionsOf<typeof flat>["who"]["id"]>().toEqualTypeOf<string>();
  });

  it("refuse at compile time what Discord refuses for that option type", () => {
    // @ts-expect-error min_value is not a string option's field
    option.string("what", "What", { min_value: 1 });
    // @ts-expect-error a misspelt field
    option.integer("in", "In", { requierd: true });
    // @ts-expect-error channel_types belongs to channel options
    option.user("who", "Who", { channel_types: [0] });
    expect(option.channel("where", "Where", { channel_types: [0] })).toEqual({
      type: 7,
      name: "where",
      description: "Where",
      channel_types: [0],
    });
  });

  it("serve a module: each subcommand handler gets its own typed options", async () => {
    expect((await bot.subcommand(reminders, "set", { what: "tea", in: 5, tone: "soft" })).reply?.content).toBe(
      "tea in 5 (soft)",
    );
    expect((await bot.subcommand(reminders, "config quiet", { on: true })).reply?.content).toBe("quiet true");
  });
});
