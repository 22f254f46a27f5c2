/** /help [command]: lists every registered command, or details one; `command` autocompletes by prefix. */
import type { APIApplicationCommandOption } from "discord-api-types/v10";
import { autocomplete, ephemeral, Limits } from "../discord/responses.ts";
import { OptionType, slashCommand } from "../dispatch/definitions.ts";
import type { AutocompleteContext, CommandContext, CommandModule, HandlerResult } from "../dispatch/types.ts";

export const definition = slashCommand({
  name: "help",
  description: "List what this bot can do, or explain one command",
  options: [
    { type: OptionType.String, name: "command", description: "The command to explain", required: false, autocomplete: true, max_length: 32 },
  ],
});

const KIND: Record<number, string> = { 2: "user menu", 3: "message menu" };

export function command({ options, commands }: CommandContext<typeof definition>): HandlerResult {
  const wanted = options.command?.trim().replace(/^\//, "").toLowerCase();
  if (!wanted) return ephemeral(fit(["**Commands**", ...commands.map(summaryLine)].join("\n")));
  const module = commands.find((m) => m.definition.name.toLowerCase() === wanted);
  if (!module) return ephemeral(`There is no command named \`${wanted.slice(0, 32)}\`. Run \`/help\` without an argument to see them all.`);
  return ephemeral(fit(details(module)));
}

export { suggest as autocomplete };

function suggest({ focused, commands }: AutocompleteContext) {
  const typed = (focused?.value ?? "").trim().replace(/^\//, "").toLowerCase();
  const names = commands
    .filter((m) => (m.definition.type ?? 1) === 1 && m.definition.name.startsWith(typed))
    .map((m) => m.definition.name)
    .sort()
    .slice(0, Limits.choices);
  return autocomplete(names.map((name) => ({ name: `/${name}`, value: name })));
}

function summaryLine({ definition }: CommandModule): string {
  const kind = KIND[definition.type ?? 1];
  const description = "description" in definition && definition.description ? definition.description : "";
  return kind ? `• **${definition.name}** (${kind})` : `• \`/${definition.name}\` — ${description}`;
}

function details({ definition }: CommandModule): string {
  const lines = [summaryLine({ definition } as CommandModule)];
  const options = (("options" in definition ? definition.options : undefined) ?? []) as readonly APIApplicationCommandOption[];
  for (const option of options) lines.push(...optionLines(option, "  "));
  return lines.join("\n");
}

function optionLines(option: APIApplicationCommandOption, indent: string): string[] {
  if (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup) {
    const nested = ("options" in option ? option.options : undefined) ?? [];
    return [`${indent}◦ \`${option.name}\` — ${option.description}`, ...nested.flatMap((o: APIApplicationCommandOption) => optionLines(o, indent + "  "))];
  }
  const required = "required" in option && option.required ? "" : " (optional)";
  return [`${indent}◦ \`${option.name}\`${required} — ${option.description}`];
}

/** A long command list must still be a valid message. */
function fit(text: string): string {
  return text.length <= Limits.content ? text : text.slice(0, Limits.content - 1) + "…";
}
