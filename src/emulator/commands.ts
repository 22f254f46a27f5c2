// Application command validation, as Discord applies it to a bulk overwrite or an upsert: names, descriptions,
// option nesting and the per-type limits. A definition that passes here registers on Discord too (within what
// the emulator checks); one that fails here would fail `npm run register` in production.

import type { FieldError } from "./errors.ts";

const CHAT_INPUT = 1;
const USER = 2;
const MESSAGE = 3;
const PRIMARY_ENTRY_POINT = 4;
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;

// Discord's documented name pattern; CHAT_INPUT names must also be lowercase.
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Discord's locales (developers/reference, "Locales"): the keys a localization dictionary may have. */
const DISCORD_LOCALES = new Set([
  "id",
  "da",
  "de",
  "en-GB",
  "en-US",
  "es-ES",
  "es-419",
  "fr",
  "hr",
  "it",
  "lt",
  "hu",
  "nl",
  "no",
  "pl",
  "pt-BR",
  "ro",
  "fi",
  "sv-SE",
  "vi",
  "tr",
  "cs",
  "el",
  "bg",
  "ru",
  "uk",
  "hi",
  "th",
  "zh-CN",
  "ja",
  "zh-TW",
  "ko",
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const len = (v: string) => [...v].length;

const err = (path: string, code: string, message: string): FieldError => ({ path, code, message });

export function validateCommand(command: unknown, at: string): FieldError[] {
  if (!isObject(command)) return [err(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")];
  const errors: FieldError[] = [];
  const type = command.type ?? CHAT_INPUT;
  if (![CHAT_INPUT, USER, MESSAGE, PRIMARY_ENTRY_POINT].includes(type as number)) {
    errors.push(err(`${at}.type`, "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}."));
    return errors;
  }
  const name = command.name;
  if (typeof name !== "string") errors.push(err(`${at}.name`, "BASE_TYPE_REQUIRED", "This field is required"));
  else if (len(name) < 1 || len(name) > 32)
    errors.push(err(`${at}.name`, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."));
  else if (type === CHAT_INPUT && (!NAME.test(name) || name !== name.toLowerCase())) {
    errors.push(err(`${at}.name`, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"));
  }

  const description = command.description;
  if (type === CHAT_INPUT || type === PRIMARY_ENTRY_POINT) {
    if (typeof description !== "string")
      errors.push(err(`${at}.description`, "BASE_TYPE_REQUIRED", "This field is required"));
    else if (len(description) < 1 || len(description) > 100)
      errors.push(err(`${at}.description`, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."));
  } else if (description !== undefined && description !== "" && description !== null) {
    errors.push(
      err(
        `${at}.description`,
        "APPLICATION_COMMAND_DESCRIPTION_INVALID",
        "Context menu commands cannot have a description",
      ),
    );
  }

  errors.push(...validateLocalizations(command, at, type === CHAT_INPUT));

  const perms = command.default_member_permissions;
  // Discord's description asks for an integer; Discord also reads a decimal string (and answers with one).
  if (
    perms !== undefined &&
    perms !== null &&
    !(typeof perms === "string" && /^\d+$/.test(perms)) &&
    !(Number.isSafeInteger(perms) && (perms as number) >= 0)
  ) {
    errors.push(
      err(
        `${at}.default_member_permissions`,
        "PERMISSIONS_INVALID",
        "emulator(commands): default_member_permissions must be a permission bitfield (an integer or a decimal string)",
      ),
    );
  }
  for (const key of ["contexts", "integration_types"] as const) {
    const value = command[key];
    if (value === undefined || value === null) continue;
    const allowed = key === "contexts" ? [0, 1, 2] : [0, 1];
    if (!Array.isArray(value) || value.some((v) => !allowed.includes(v as number))) {
      errors.push(err(`${at}.${key}`, "BASE_TYPE_CHOICES", `Value must be one of {${allowed.join(", ")}}.`));
    }
  }

  if (command.options !== undefined && command.options !== null) {
    if (type !== CHAT_INPUT)
      errors.push(
        err(`${at}.options`, "APPLICATION_COMMAND_OPTIONS_INVALID", "Only chat input commands can have options"),
      );
    else errors.push(...validateOptions(command.options, `${at}.options`, 0));
  }
  return errors;
}

/** Localized names follow the name's rules, localized descriptions the description's; keys are Discord locales. */
function validateLocalizations(command: Record<string, unknown>, at: string, chatInput: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ["name_localizations", "description_localizations"] as const) {
    const value = command[key];
    if (value === undefined || value === null) continue;
    if (!isObject(value)) {
      errors.push(err(`${at}.${key}`, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"));
      continue;
    }
    if (key === "description_localizations" && !chatInput && Object.keys(value).length > 0) {
      errors.push(
        err(
          `${at}.${key}`,
          "APPLICATION_COMMAND_DESCRIPTION_INVALID",
          "Context menu commands cannot have a description",
        ),
      );
      continue;
    }
    for (const [locale, text] of Object.entries(value)) {
      const here = `${at}.${key}.${locale}`;
      if (!DISCORD_LOCALES.has(locale))
        errors.push(err(here, "LOCALE_INVALID", `emulator(commands): "${locale}" is not a Discord locale`));
      else if (text === null) continue;
      else if (typeof text !== "string") errors.push(err(here, "BASE_TYPE_STRING", "Must be a string."));
      else if (key === "description_localizations") {
        if (len(text) < 1 || len(text) > 100)
          errors.push(err(here, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."));
      } else if (len(text) < 1 || len(text) > 32)
        errors.push(err(here, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."));
      else if (chatInput && (!NAME.test(text) || text !== text.toLowerCase()))
        errors.push(err(here, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"));
    }
  }
  return errors;
}

function validateOptions(options: unknown, at: string, depth: number): FieldError[] {
  if (!Array.isArray(options)) return [err(at, "BASE_TYPE_LIST", "Must be an array.")];
  const errors: FieldError[] = [];
  if (options.length > 25) errors.push(err(at, "BASE_TYPE_BAD_LENGTH", "Must be between 0 and 25 in length."));
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option, i) => {
    const here = `${at}.${i}`;
    if (!isObject(option))
      return errors.push(err(here, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"));
    const type = option.type;
    if (typeof type !== "number" || type < 1 || type > 11)
      errors.push(
        err(`${here}.type`, "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}."),
      );
    const name = option.name;
    if (typeof name !== "string" || !NAME.test(name) || name !== name.toLowerCase())
      errors.push(err(`${here}.name`, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"));
    else if (names.has(name))
      errors.push(
        err(`${here}.name`, "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique"),
      );
    else names.add(name);
    const description = option.description;
    if (typeof description !== "string" || len(description) < 1 || len(description) > 100) {
      errors.push(err(`${here}.description`, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."));
    }
    const nested = type === SUB_COMMAND || type === SUB_COMMAND_GROUP;
    if (nested) {
      // command → subcommand, or command → group → subcommand; nothing deeper.
      if (depth >= 2 || (type === SUB_COMMAND_GROUP && depth >= 1)) {
        errors.push(
          err(
            `${here}.type`,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive to all other types",
          ),
        );
      }
      if (option.options !== undefined) errors.push(...validateOptions(option.options, `${here}.options`, depth + 1));
      return;
    }
    if (option.required === true) {
      if (sawOptional)
        errors.push(
          err(
            `${here}.required`,
            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
            "Required options must be placed before non-required options",
          ),
        );
    } else sawOptional = true;
    if (option.choices !== undefined) {
      if (!Array.isArray(option.choices) || option.choices.length > 25)
        errors.push(err(`${here}.choices`, "BASE_TYPE_BAD_LENGTH", "Must be between 0 and 25 in length."));
      if (option.autocomplete === true)
        errors.push(
          err(
            `${here}.autocomplete`,
            "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES",
            "Autocomplete cannot be enabled on an option with choices",
          ),
        );
    }
  });
  return errors;
}

/** Per-scope limits on how many commands of each type may exist. */
export function validateCommandSet(commands: readonly Record<string, unknown>[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const counts = new Map<number, number>();
  commands.forEach((command, i) => {
    const type = (command.type as number | undefined) ?? CHAT_INPUT;
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key))
      errors.push(err(`${i}.name`, "APPLICATION_COMMANDS_DUPLICATE_NAME", `Application command names must be unique`));
    seen.add(key);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  });
  const max: Record<number, number> = { [CHAT_INPUT]: 100, [USER]: 15, [MESSAGE]: 15, [PRIMARY_ENTRY_POINT]: 1 };
  for (const [type, count] of counts) {
    if (count > (max[type] ?? 0))
      errors.push(
        err(
          "",
          "APPLICATION_COMMANDS_TOO_MANY",
          `emulator(commands): ${count} commands of type ${type}; Discord allows ${max[type]}`,
        ),
      );
  }
  return errors;
}
