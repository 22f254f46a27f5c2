/**
 * /help [command]: lists every registered command as a Components V2 layout (a container of text displays, one
 * per command), or details one; `command` autocompletes by prefix.
 */
import type { Translate } from "../../kit/index.ts";
import type { APIApplicationCommandOption } from "discord-api-types/v10";
import {
  autocompleteChoices,
  container,
  ephemeral,
  EVERYWHERE,
  isUserInstallOnly,
  layoutMessage,
  Limits,
  OptionType,
  separator,
  SeparatorSpacing,
  slashCommand,
  textDisplay,
  type AutocompleteContext,
  type CommandContext,
  type CommandModule,
  type HandlerResult,
  type Interaction,
  type MessageData,
} from "../../kit/index.ts";

export const definition = slashCommand({
  name: "help",
  name_localizations: { de: "hilfe", fr: "aide" },
  description: "List what this bot can do, or explain one command",
  description_localizations: {
    de: "Zeigen, was dieser Bot kann, oder einen Befehl erklären",
    fr: "Voir ce que sait faire ce bot, ou expliquer une commande",
  },
  ...EVERYWHERE,
  options: [
    {
      type: OptionType.String,
      name: "command",
      description: "The command to explain",
      required: false,
      autocomplete: true,
      max_length: 32,
    },
  ],
});

export function command({ options, commands, interaction, t }: CommandContext<typeof definition>): HandlerResult {
  const wanted = options.command?.trim().replace(/^\//, "").toLowerCase();
  if (!wanted)
    return ephemeral(
      overview(
        commands.filter((m) => offeredHere(m, interaction)),
        t,
      ),
    );
  const module = commands.find((m) => m.definition.name.toLowerCase() === wanted);
  if (!module) return ephemeral(t("helpUnknown", wanted.slice(0, 32)));
  return ephemeral(fit(details(module, t)));
}

export { suggest as autocomplete };

/**
 * Whether Discord offers the command where /help was run: its `contexts` include this one (a server, the bot's DM,
 * a private channel), and, when only the user's install reaches here, it is installable by users. /admin is not
 * listed in a DM. An interaction without `context` (older payloads) sees every command.
 */
function offeredHere({ definition }: CommandModule, interaction: Interaction): boolean {
  const { contexts, integration_types: installs } = definition as {
    contexts?: readonly number[];
    integration_types?: readonly number[];
  };
  if (interaction.context !== null && contexts && !contexts.includes(interaction.context)) return false;
  return !(isUserInstallOnly(interaction) && installs && !installs.includes(1));
}

function suggest({ focused, commands }: AutocompleteContext) {
  const typed = (focused?.value ?? "").trim().replace(/^\//, "").toLowerCase();
  const names = commands
    .filter((m) => (m.definition.type ?? 1) === 1 && m.definition.name.startsWith(typed))
    .map((m) => m.definition.name)
    .sort()
    .slice(0, Limits.choices);
  return autocompleteChoices(names.map((name) => ({ name: `/${name}`, value: name })));
}

function summaryLine({ definition }: CommandModule, t: Translate): string {
  const type = definition.type ?? 1;
  const kind = type === 2 ? t("helpUserMenu") : type === 3 ? t("helpMessageMenu") : null;
  const description = "description" in definition && definition.description ? definition.description : "";
  return kind ? `• **${definition.name}** (${kind})` : `• \`/${definition.name}\` — ${description}`;
}

function details({ definition }: CommandModule, t: Translate): string {
  const lines = [summaryLine({ definition } as CommandModule, t)];
  const options = (("options" in definition ? definition.options : undefined) ??
    []) as readonly APIApplicationCommandOption[];
  for (const option of options) lines.push(...optionLines(option, "  ", t));
  return lines.join("\n");
}

function optionLines(option: APIApplicationCommandOption, indent: string, t: Translate): string[] {
  if (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup) {
    const nested = ("options" in option ? option.options : undefined) ?? [];
    return [
      `${indent}◦ \`${option.name}\` — ${option.description}`,
      ...nested.flatMap((o: APIApplicationCommandOption) => optionLines(o, indent + "  ", t)),
    ];
  }
  const required = "required" in option && option.required ? "" : ` (${t("helpOptional")})`;
  return [`${indent}◦ \`${option.name}\`${required} — ${option.description}`];
}

/** Up to 30 text displays and 3,800 characters: a long command list still fits V2's 40 components and 4,000 characters. */
const MAX_DISPLAYS = 30;
const MAX_TEXT = 3800;

function overview(commands: readonly CommandModule[], t: Translate): MessageData {
  const lines = commands.map((module) => summaryLine(module, t));
  const perDisplay = Math.ceil(lines.length / MAX_DISPLAYS) || 1;
  const displays: string[] = [];
  let budget = MAX_TEXT;
  for (let i = 0; i < lines.length && budget > 1; i += perDisplay) {
    const text = lines
      .slice(i, i + perDisplay)
      .join("\n")
      .slice(0, budget);
    budget -= text.length;
    displays.push(text);
  }
  return layoutMessage(
    container(
      { accentColor: 0x5865f2 },
      textDisplay(`## ${t("helpTitle")}`),
      separator(),
      ...displays.map(textDisplay),
      separator({ divider: false, spacing: SeparatorSpacing.Small }),
      textDisplay(`-# ${t("helpFooter")}`),
    ),
  );
}

/** A long command list must still be a valid message. */
function fit(text: string): string {
  return text.length <= Limits.content ? text : text.slice(0, Limits.content - 1) + "…";
}
