/**
 * Reads a command's options against its definition, once, at the boundary: the subcommand path Discord chose,
 * and each option's value checked against the type the definition declares (not the type the payload claims),
 * with user, role, channel, mentionable and attachment ids resolved through `data.resolved`. A payload that does
 * not fit the definition (the command was changed and Discord's copy is stale, or the payload is hostile) is a
 * problem sentence, and the dispatcher answers it instead of calling the handler: inside, the types are true.
 */
import type { CommandDefinition, OptionShape } from "./definitions.ts";
import { isObject, type Interaction } from "./interaction.ts";
import { resolveOption } from "./resolved.ts";

type OptionDef = OptionShape;

export type ReadOptions =
  | { readonly ok: true; readonly path: string | undefined; readonly values: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly problem: string };

const SUBCOMMAND = 1;
const GROUP = 2;

export function readOptions(definition: CommandDefinition, interaction: Pick<Interaction, "data">): ReadOptions {
  const declared = ("options" in definition ? definition.options : undefined) as readonly OptionDef[] | undefined;
  let defs: readonly OptionDef[] = declared ?? [];
  let given: unknown = interaction.data?.options ?? [];
  const path: string[] = [];
  // At most group → subcommand; the bound also stops hostile nesting.
  for (let depth = 0; depth < 2; depth++) {
    const nested = defs.some((d) => d.type === SUBCOMMAND || d.type === GROUP);
    if (!nested) break;
    const chosen = Array.isArray(given) && given.length === 1 && isObject(given[0]) ? given[0] : null;
    const def = chosen ? defs.find((d) => d.name === chosen.name && d.type === chosen.type) : undefined;
    if (!chosen || !def) return { ok: false, problem: `no known subcommand in ${JSON.stringify(summary(given))}` };
    path.push(def.name);
    defs = def.options ?? [];
    given = chosen.options ?? [];
  }
  if (!Array.isArray(given)) return { ok: false, problem: "options must be an array" };
  const resolved = isObject(interaction.data?.resolved) ? interaction.data.resolved : null;
  const values: Record<string, unknown> = {};
  for (const option of given) {
    if (!isObject(option) || typeof option.name !== "string") return { ok: false, problem: "an option without a name" };
    const def = defs.find((d) => d.name === option.name);
    if (!def) return { ok: false, problem: `unknown option "${option.name.slice(0, 32)}"` };
    const value = valueOf(def.type, option.value, resolved);
    if (value === undefined)
      return { ok: false, problem: `option "${def.name}" is not a valid value of type ${def.type}` };
    // Discord only offers the declared choices; anything else means its copy of the command is stale.
    if (def.choices && !def.choices.some((choice) => choice.value === value))
      return { ok: false, problem: `option "${def.name}" is not one of its choices` };
    values[def.name] = value;
  }
  for (const def of defs) {
    if (def.required && !(def.name in values))
      return { ok: false, problem: `required option "${def.name}" is missing` };
  }
  return { ok: true, path: path.length ? path.join(" ") : undefined, values };
}

function valueOf(type: number, value: unknown, resolved: Record<string, unknown> | null): unknown {
  switch (type) {
    case 3:
      return typeof value === "string" ? value : undefined;
    case 4:
      return typeof value === "number" && Number.isSafeInteger(value) ? value : undefined;
    case 10:
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case 5:
      return typeof value === "boolean" ? value : undefined;
    case 6:
    case 7:
    case 8:
    case 9:
    case 11:
      return typeof value === "string" ? resolveOption(resolved, type, value) : undefined;
    default:
      return undefined;
  }
}

function summary(given: unknown): unknown {
  return Array.isArray(given) ? given.map((o) => (isObject(o) ? o.name : o)).slice(0, 5) : given;
}

/** Autocomplete: the option being typed and its partial text (Discord sends numbers' partial input as strings). */
export function focusedOption(interaction: Pick<Interaction, "data">): { name: string; value: string } | undefined {
  let level: unknown = interaction.data?.options;
  for (let depth = 0; depth < 3 && Array.isArray(level); depth++) {
    for (const option of level) {
      if (!isObject(option)) continue;
      if (option.focused === true && typeof option.name === "string") {
        return {
          name: option.name,
          value: option.value === undefined || option.value === null ? "" : String(option.value),
        };
      }
    }
    const nested = level.find((o) => isObject(o) && (o.type === SUBCOMMAND || o.type === GROUP));
    level = isObject(nested) ? nested.options : undefined;
  }
  return undefined;
}
