// The test kit itself (test/support/bot.worker.ts): every kind of interaction Discord sends, built from a module's
// definition, and the mistakes it reports with a sentence naming the module.
import { describe, expect, it } from "vitest";
import {
  actionRow,
  autocompleteChoices,
  button,
  defineModule,
  ephemeral,
  EVERYWHERE,
  job,
  OptionType,
  reply,
  slashCommand,
  stringSelect,
  update,
  type CommandContext,
  type Subcommands,
} from "../../src/worker/kit/index.ts";
import { testBot } from "../support/bot.worker.ts";

// Modules as a bot file writes them (exports of a definition and handlers), so the builders' types come from them.
const whereDefinition = slashCommand({
  name: "where",
  description: "says where it ran",
  ...EVERYWHERE,
  options: [
    { type: OptionType.String, name: "city", description: "a city", autocomplete: true, required: true },
    { type: OptionType.User, name: "who", description: "someone" },
    { type: OptionType.Attachment, name: "file", description: "a file" },
  ],
});
const where = {
  definition: whereDefinition,
  command: ({ options, interaction, t }: CommandContext<typeof whereDefinition>) =>
    reply({
      content: `${options.city} ctx=${interaction.context} installs=${interaction.authorizingIntegrationOwners.guildInstall !== null ? "server" : ""}${interaction.authorizingIntegrationOwners.userInstall !== null ? "+user" : ""} who=${options.who?.id ?? "-"} file=${options.file?.filename ?? "-"} ${t("unknownForm").slice(0, 4)}`,
      components: [
        actionRow(
          stringSelect({
            customId: "where:pick",
            options: [
              { label: "A", value: "a" },
              { label: "B", value: "b" },
            ],
          }),
        ),
      ],
    }),
  autocomplete: ({ focused }: { focused?: { value: string } }) =>
    autocompleteChoices([{ name: `${focused?.value}ville`, value: `${focused?.value}ville` }]),
  component: ({ values }: { values: readonly string[] }) => update(`picked ${values.join("+")}`),
};

const settingsDefinition = slashCommand({
  name: "settings",
  description: "grouped",
  ...EVERYWHERE,
  options: [
    {
      type: OptionType.SubcommandGroup,
      name: "config",
      description: "config",
      options: [
        {
          type: OptionType.Subcommand,
          name: "set",
          description: "set",
          options: [{ type: OptionType.Integer, name: "level", description: "n", required: true }],
        },
      ],
    },
  ],
});
const admin = {
  definition: settingsDefinition,
  subcommands: { "config set": ({ options }) => ephemeral(`level ${options.level}`) } satisfies Subcommands<
    typeof settingsDefinition
  >,
};

const menus = [
  defineModule({
    definition: { type: 2, name: "Wave at", ...EVERYWHERE },
    command: ({ target }) => ephemeral(`waves at ${(target as { id: string }).id}`),
  }),
  defineModule({
    definition: { type: 3, name: "Shout", ...EVERYWHERE },
    command: ({ target }) => ephemeral((target as { content: string }).content.toUpperCase()),
  }),
];

const typo = defineModule({
  definition: { name: "typo", description: "x", ...EVERYWHERE },
  command: () => reply({ content: "x", components: [actionRow(button({ label: "Go", customId: "tpyo:go" }))] }),
});
const jobs = { later: job<null>(async () => ({ data: { content: "done" } })) };
const unexported = defineModule({
  definition: { name: "forgot", description: "x", ...EVERYWHERE },
  command: ({ defer }) => defer("later" as never, null),
});
void jobs;

const bot = testBot([where, admin, ...menus, typo, unexported]);

describe("the test kit", () => {
  it("builds a slash command from typed options, with resolved users and files, in a server by default", async () => {
    const run = await bot.command(where, {
      city: "Paris",
      who: "1000000000000000077",
      file: { filename: "a.csv", size: 12 },
    });
    expect(run.reply?.content).toBe("Paris ctx=0 installs=server who=1000000000000000077 file=a.csv This");
    expect(run.steps).toEqual(["reply"]);
  });

  it("sends from a DM, a group DM and through the user's install, in the user's locale", async () => {
    expect((await bot.command(where, { city: "Rome" }, { in: "dm", locale: "fr" })).reply?.content).toBe(
      "Rome ctx=1 installs=+user who=- file=- Ce f",
    );
    expect((await bot.command(where, { city: "Oslo" }, { in: "group-dm" })).reply?.content).toMatch(
      /^Oslo ctx=2 installs=\+user /,
    );
    expect((await bot.command(where, { city: "Bonn" }, { install: "user", locale: "de" })).reply?.content).toMatch(
      /^Bonn ctx=0 installs=\+user .* Dies$/,
    );
  });

  it("asks for autocomplete, picks in a select on the reply, and runs a subcommand in a group", async () => {
    expect((await bot.autocomplete(where, "city", "Lyo")).choices).toEqual([{ name: "Lyoville", value: "Lyoville" }]);
    const first = await bot.command(where, { city: "Nice" });
    expect((await bot.select(first, ["a", "b"])).response).toMatchObject({ type: 7, data: { content: "picked a+b" } });
    expect((await bot.subcommand(admin, "config set", { level: 3 })).reply).toMatchObject({
      content: "level 3",
      flags: 64,
    });
  });

  it("runs user and message context menus on a member and on a posted message", async () => {
    expect((await bot.userCommand(menus[0]!)).reply?.content).toBe("waves at 1000000000000000003");
    expect((await bot.messageCommand(menus[1]!, "hello there")).reply?.content).toBe("HELLO THERE");
  });

  it("fails with a sentence naming the module: a custom_id no module routes, a job the module does not export", async () => {
    await expect(bot.command(typo, {})).rejects.toThrow(
      'testBot: dispatch(/typo): a component with custom_id "tpyo:go" routes to no module: its prefix "tpyo" is no command\'s name',
    );
    await expect(bot.command(unexported, {})).rejects.toThrow(
      `testBot: dispatch(/forgot): defer names the job "later", but the module's jobs are: none`,
    );
  });

  it("names the buttons there are when a label is not one of them", async () => {
    const first = await bot.command(where, { city: "Metz" });
    await expect(bot.click(first, "Nope")).rejects.toThrow(
      'testBot: no button "Nope" on that message (its buttons: none)',
    );
  });
});
