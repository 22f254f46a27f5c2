// Slash commands typed as text ("/chart values:3,5,2,8 kind:bar title:Sales per day") turned into the `data` of
// an APPLICATION_COMMAND interaction, checked against the registered definitions the way Discord's client
// checks them before sending (required options, choices, types, ranges, lengths). Shared by the playground's
// command box (it also drives the suggestion list) and `npm run interact`, so both accept the same syntax.
// Pure: no DOM, no Node. A value runs until the next ` name:`; quote it ("a b: c") to keep such text.

export interface OptionChoice {
  name: string;
  value: string | number;
}

interface OptionDef {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: OptionChoice[];
  autocomplete?: boolean;
  options?: OptionDef[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  /** ATTACHMENT options: the groups or extensions the picker offers. */
  file_types?: string[];
}

export interface CommandDef {
  name: string;
  description?: string;
  type?: number;
  options?: OptionDef[];
  default_member_permissions?: string | null;
  /** Where Discord offers it: 0 servers, 1 the bot's DM, 2 private channels; absent or null means everywhere. */
  contexts?: readonly number[] | null;
  /** Which installs it is offered to: 0 a server's, 1 a user's; absent means the app's default. */
  integration_types?: readonly number[];
}

const OPTION_TYPES = {
  SUB_COMMAND: 1,
  SUB_COMMAND_GROUP: 2,
  STRING: 3,
  INTEGER: 4,
  BOOLEAN: 5,
  USER: 6,
  CHANNEL: 7,
  ROLE: 8,
  MENTIONABLE: 9,
  NUMBER: 10,
  ATTACHMENT: 11,
} as const;

const TYPE_NAMES: Record<number, string> = {
  1: "subcommand",
  2: "subcommand group",
  3: "text",
  4: "integer",
  5: "true/false",
  6: "user",
  7: "channel",
  8: "role",
  9: "user or role",
  10: "number",
  11: "file",
};

interface OptionValue {
  type: number;
  name: string;
  value: string | number | boolean;
  focused?: boolean;
}

/** A type alias rather than an interface: it must fit Record<string, unknown> (an interaction's data). */
export type CommandData = {
  name: string;
  type: 1;
  options: Array<OptionValue | { type: 1 | 2; name: string; options: unknown[] }>;
  resolved?: Record<string, Record<string, unknown>>;
};

interface ParsedCommand {
  command: CommandDef;
  /** Subcommand group and subcommand names. */
  path: string[];
  data: CommandData;
  /** The leaf values, in data.options: ATTACHMENT ones still hold what was typed (a file name or path). */
  leaves: Array<{ option: OptionDef; entry: OptionValue }>;
}

export type ParseResult = { ok: true; parsed: ParsedCommand } | { ok: false; error: string };

const NAME = /^[-_\p{L}\p{N}]+/u;
const isNested = (o: OptionDef) => o.type === OPTION_TYPES.SUB_COMMAND || o.type === OPTION_TYPES.SUB_COMMAND_GROUP;

function chatCommands(commands: readonly CommandDef[]): CommandDef[] {
  return commands.filter((c) => (c.type ?? 1) === 1).sort((a, b) => a.name.localeCompare(b.name));
}

/** A token of the options part: `name:value`, or stray text. Offsets are into the whole line. */
interface Token {
  start: number;
  name: string | null;
  /** Where the value starts (after the colon), or the text start for stray text. */
  valueStart: number;
  raw: string;
  quoted: boolean;
  /** True when the value runs to the end of the input (it may still be being typed). */
  open: boolean;
}

function scanOptions(line: string, from: number): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const start = i;
    const name = NAME.exec(line.slice(i));
    if (name && line[i + name[0].length] === ":") {
      const valueStart = i + name[0].length + 1;
      if (line[valueStart] === '"') {
        let j = valueStart + 1;
        let raw = "";
        while (j < line.length && line[j] !== '"') {
          if (line[j] === "\\" && j + 1 < line.length) j++;
          raw += line[j];
          j++;
        }
        const closed = j < line.length;
        tokens.push({ start, name: name[0], valueStart, raw, quoted: true, open: !closed });
        i = closed ? j + 1 : j;
        continue;
      }
      const rest = line.slice(valueStart);
      const next = /\s+[-_\p{L}\p{N}]+:/u.exec(rest);
      const end = next ? valueStart + next.index : line.length;
      tokens.push({
        start,
        name: name[0],
        valueStart,
        raw: line.slice(valueStart, end).trim(),
        quoted: false,
        open: !next,
      });
      i = end;
      continue;
    }
    const word = /^\S+/.exec(line.slice(i))![0];
    tokens.push({
      start,
      name: null,
      valueStart: start,
      raw: word,
      quoted: false,
      open: i + word.length >= line.length,
    });
    i += word.length;
  }
  return tokens;
}

interface Head {
  command: CommandDef | undefined;
  commandName: string;
  path: string[];
  /** The options the chosen (sub)command takes. */
  options: OptionDef[];
  /** Where the options part starts. */
  rest: number;
  /** Set when the path stops at a group or a command that needs a subcommand. */
  pending: OptionDef[] | null;
  /** The partial word being typed where a subcommand is expected. */
  pendingWord: { start: number; text: string } | null;
}

function readHead(line: string, commands: readonly CommandDef[], mode: "parse" | "complete"): Head | null {
  const match = /^\/([-_\p{L}\p{N}]*)/u.exec(line);
  if (!match) return null;
  const commandName = match[1]!.toLowerCase();
  const command = chatCommands(commands).find((c) => c.name === commandName);
  const head: Head = {
    command,
    commandName,
    path: [],
    options: command?.options ?? [],
    rest: match[0].length,
    pending: null,
    pendingWord: null,
  };
  if (!command) return head;
  let i = match[0].length;
  for (let depth = 0; depth < 2; depth++) {
    const nested = head.options.filter(isNested);
    if (nested.length === 0) break;
    const ws = /^\s*/.exec(line.slice(i))![0];
    const word = NAME.exec(line.slice(i + ws.length))?.[0] ?? "";
    const after = line[i + ws.length + word.length];
    const atEnd = after === undefined;
    const chosen =
      ws && word && (atEnd || /\s/.test(after)) ? nested.find((o) => o.name === word.toLowerCase()) : undefined;
    // While typing, a subcommand name at the very end may still grow: keep offering the list.
    if (!chosen || (atEnd && mode === "complete")) {
      head.pending = nested;
      head.pendingWord = ws || atEnd ? { start: i + ws.length, text: word } : null;
      head.rest = line.length;
      return head;
    }
    head.path.push(chosen.name);
    head.options = chosen.options ?? [];
    i += ws.length + word.length;
  }
  head.rest = i;
  return head;
}

const quoteIfNeeded = (value: string) => (/\s\S+:|^"/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value);

function describeWhere(head: Head): string {
  return `/${[head.commandName, ...head.path].join(" ")}`;
}

/** Converts one typed value to what Discord would send, or says what is wrong with it. */
function convertValue(
  option: OptionDef,
  raw: string,
  where: string,
): { ok: true; value: string | number | boolean } | { ok: false; error: string } {
  const bad = (why: string) => ({ ok: false as const, error: `option ${option.name} of ${where} ${why}` });
  if (option.choices && option.choices.length > 0) {
    const lower = raw.toLowerCase();
    const choice = option.choices.find(
      (c) => c.name.toLowerCase() === lower || String(c.value).toLowerCase() === lower,
    );
    if (!choice) return bad(`must be one of: ${option.choices.map((c) => c.name).join(", ")} (got "${raw}")`);
    return { ok: true, value: choice.value };
  }
  switch (option.type) {
    case OPTION_TYPES.STRING: {
      const length = [...raw].length;
      if (option.min_length !== undefined && length < option.min_length)
        return bad(`must be at least ${option.min_length} characters (got ${length})`);
      if (option.max_length !== undefined && length > option.max_length)
        return bad(`must be at most ${option.max_length} characters (got ${length})`);
      if (length === 0) return bad("is empty");
      return { ok: true, value: raw };
    }
    case OPTION_TYPES.INTEGER:
    case OPTION_TYPES.NUMBER: {
      const integer = option.type === OPTION_TYPES.INTEGER;
      const pattern = integer ? /^[-+]?\d+$/ : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
      const value = Number(raw);
      if (!pattern.test(raw) || !Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
        return bad(`must be ${integer ? "an integer" : "a number"} (got "${raw}")`);
      }
      if (option.min_value !== undefined && value < option.min_value)
        return bad(`must be at least ${option.min_value} (got ${raw})`);
      if (option.max_value !== undefined && value > option.max_value)
        return bad(`must be at most ${option.max_value} (got ${raw})`);
      return { ok: true, value };
    }
    case OPTION_TYPES.BOOLEAN: {
      const lower = raw.toLowerCase();
      if (["true", "yes", "1"].includes(lower)) return { ok: true, value: true };
      if (["false", "no", "0"].includes(lower)) return { ok: true, value: false };
      return bad(`must be true or false (got "${raw}")`);
    }
    case OPTION_TYPES.USER:
    case OPTION_TYPES.CHANNEL:
    case OPTION_TYPES.ROLE:
    case OPTION_TYPES.MENTIONABLE: {
      const id = /^(?:<(?:@!?|@&|#))?(\d{15,20})>?$/.exec(raw)?.[1];
      if (!id)
        return bad(`must be a ${TYPE_NAMES[option.type]} id or mention like <@123456789012345678> (got "${raw}")`);
      return { ok: true, value: id };
    }
    case OPTION_TYPES.ATTACHMENT:
      if (!raw) return bad("needs a file");
      return { ok: true, value: raw };
    default:
      return bad(`has an unsupported type ${option.type}`);
  }
}

function resolvedFor(leaves: ParsedCommand["leaves"]): CommandData["resolved"] | undefined {
  const resolved: Record<string, Record<string, unknown>> = {};
  const add = (table: string, id: string, value: Record<string, unknown>) => ((resolved[table] ??= {})[id] = value);
  for (const { option, entry } of leaves) {
    const id = String(entry.value);
    if (option.type === OPTION_TYPES.USER || option.type === OPTION_TYPES.MENTIONABLE) {
      add("users", id, {
        id,
        username: `user${id.slice(-4)}`,
        global_name: null,
        discriminator: "0",
        avatar: null,
        public_flags: 0,
      });
      add("members", id, {
        roles: [],
        joined_at: "2024-01-01T00:00:00.000000+00:00",
        nick: null,
        permissions: "0",
        flags: 0,
        pending: false,
      });
    } else if (option.type === OPTION_TYPES.CHANNEL) {
      add("channels", id, { id, type: 0, name: "channel", permissions: "0", flags: 0 });
    } else if (option.type === OPTION_TYPES.ROLE) {
      add("roles", id, {
        id,
        name: "role",
        color: 0,
        position: 1,
        permissions: "0",
        managed: false,
        mentionable: true,
        hoist: false,
      });
    }
  }
  return Object.keys(resolved).length > 0 ? resolved : undefined;
}

function wrap(head: Head, leaves: OptionValue[]): CommandData["options"] {
  let options: CommandData["options"] = leaves;
  const path = [...head.path];
  for (let i = path.length - 1; i >= 0; i--) {
    options = [{ type: i === path.length - 1 ? 1 : 2, name: path[i]!, options }];
  }
  return options;
}

export function parseCommandLine(input: string, commands: readonly CommandDef[]): ParseResult {
  const line = input.trim();
  const fail = (error: string): ParseResult => ({ ok: false, error });
  if (!line.startsWith("/")) return fail('a command starts with "/", e.g. /ping');
  const head = readHead(line, commands, "parse")!;
  const available = chatCommands(commands)
    .map((c) => `/${c.name}`)
    .join(", ");
  if (!head.commandName) return fail(`type a command name after "/": ${available}`);
  if (!head.command)
    return fail(`unknown command /${head.commandName}; the commands are ${available || "(none registered)"}`);
  if (head.pending) {
    const word = head.pendingWord?.text;
    const names = head.pending.map((o) => o.name).join(", ");
    return fail(
      word
        ? `${describeWhere(head)} has no subcommand ${word}; choose one of: ${names}`
        : `${describeWhere(head)} needs a subcommand: ${names}`,
    );
  }
  const where = describeWhere(head);
  const leaves: ParsedCommand["leaves"] = [];
  for (const token of scanOptions(line, head.rest)) {
    if (token.name === null)
      return fail(
        `expected option:value after ${where}, got "${token.raw}"${head.options.length ? ` (options: ${head.options.map((o) => o.name).join(", ")})` : " (it takes no options)"}`,
      );
    const option = head.options.find((o) => o.name === token.name!.toLowerCase());
    if (!option) {
      const names = head.options.map((o) => o.name).join(", ");
      return fail(
        `${where} has no option "${token.name}"; ${names ? `its options are ${names}` : "it takes no options"} (quote a value that contains "word:")`,
      );
    }
    if (token.quoted && token.open) return fail(`the value of ${option.name} has an opening quote but no closing one`);
    if (leaves.some((l) => l.option.name === option.name)) return fail(`option ${option.name} is given twice`);
    const converted = convertValue(option, token.raw, where);
    if (!converted.ok) return fail(converted.error);
    leaves.push({ option, entry: { type: option.type, name: option.name, value: converted.value } });
  }
  const missing = head.options.filter((o) => o.required && !leaves.some((l) => l.option.name === o.name));
  if (missing.length > 0) return fail(`${where} needs ${missing.map((o) => o.name).join(", ")}`);

  const data: CommandData = {
    name: head.command.name,
    type: 1,
    options: wrap(
      head,
      leaves.map((l) => l.entry),
    ),
  };
  const resolved = resolvedFor(leaves);
  if (resolved) data.resolved = resolved;
  return { ok: true, parsed: { command: head.command, path: head.path, data, leaves } };
}

/** A suggestion: what it shows, and the line it makes when chosen. */
export interface Suggestion {
  label: string;
  detail?: string;
  line: string;
}

export type Completion =
  /** `preselect`: Enter takes the first item (false for the next option's name after a finished value). */
  | { kind: "list"; title: string; items: Suggestion[]; preselect: boolean }
  /** An autocomplete option is being typed: ask the bot (interaction type 4) with this data. */
  | { kind: "autocomplete"; title: string; option: OptionDef; data: CommandData; replaceFrom: number }
  /** An ATTACHMENT option: the page offers a file picker; the chosen file's name goes at replaceFrom. */
  | { kind: "attachment"; title: string; option: OptionDef; replaceFrom: number }
  | { kind: "hint"; title: string; option: OptionDef };

function optionDetail(option: OptionDef): string {
  const parts = [TYPE_NAMES[option.type] ?? "value"];
  if (option.required) parts.push("required");
  return `${parts.join(", ")} — ${option.description ?? ""}`;
}

function lenientValue(option: OptionDef, raw: string, where: string): string | number | boolean {
  const converted = convertValue(option, raw, where);
  return converted.ok ? converted.value : raw;
}

/** What the command box should offer for the text before the caret. */
export function complete(text: string, commands: readonly CommandDef[]): Completion | null {
  if (!text.startsWith("/")) return null;
  const head = readHead(text, commands, "complete")!;
  if (/^\/[-_\p{L}\p{N}]*$/u.test(text)) {
    const items = chatCommands(commands)
      .filter((c) => c.name.startsWith(head.commandName))
      // Discord hides such a command from members who lack the permission; the playground lists it so the
      // Worker's own check can be tried too, and says so.
      .map((c) => ({
        label: `/${c.name}`,
        detail: `${c.description ?? ""}${c.default_member_permissions && c.default_member_permissions !== "0" ? " · Discord shows it only to members with the permission" : ""}`,
        line: `/${c.name} `,
      }));
    return { kind: "list", title: "Commands", items, preselect: true };
  }
  if (!head.command) return null;
  if (head.pending) {
    if (!head.pendingWord) return null;
    const { start, text: word } = head.pendingWord;
    const items = head.pending
      .filter((o) => o.name.startsWith(word.toLowerCase()))
      .map((o) => ({ label: o.name, detail: o.description ?? "", line: `${text.slice(0, start)}${o.name} ` }));
    return { kind: "list", title: `/${[head.commandName, ...head.path].join(" ")}`, items, preselect: true };
  }
  const where = describeWhere(head);
  const tokens = scanOptions(text, head.rest);
  const used = new Set(tokens.filter((t) => t.name !== null).map((t) => t.name!.toLowerCase()));
  const last = tokens.at(-1);
  const nameList = (partial: string, start: number) => {
    const items = head.options
      .filter((o) => !used.has(o.name) || o.name === partial)
      .filter((o) => o.name.startsWith(partial.toLowerCase()))
      .sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false))
      .map((o) => ({ label: o.name, detail: optionDetail(o), line: `${text.slice(0, start)}${o.name}:` }));
    return items.length > 0
      ? ({ kind: "list", title: `Options of ${where}`, items, preselect: partial !== "" } as const)
      : null;
  };
  const endsWithSpace = /\s$/.test(text);
  if (!last || (endsWithSpace && !(last.quoted && last.open))) {
    if (!last && !endsWithSpace) return null;
    return nameList("", text.length);
  }
  if (last.name === null) return last.open ? nameList(last.raw, last.start) : null;

  const option = head.options.find((o) => o.name === last.name!.toLowerCase());
  if (!option) return null;
  // A word typed after a value with spaces may be the next option's name: offer those that match.
  const trailing = /\s(\S+)$/.exec(text.slice(last.valueStart));
  if (!last.quoted && trailing && !trailing[1]!.includes(":")) {
    const names = nameList(trailing[1]!, text.length - trailing[1]!.length);
    if (names) return names;
  }
  const raw = last.quoted ? last.raw : text.slice(last.valueStart).trimStart();
  const title = `${option.name}: ${optionDetail(option)}`;
  const at = last.valueStart;
  if (option.choices && option.choices.length > 0) {
    const lower = raw.toLowerCase();
    const items = option.choices
      .filter((c) => c.name.toLowerCase().includes(lower) || String(c.value).toLowerCase().startsWith(lower))
      .map((c) => ({
        label: c.name,
        detail: String(c.value) === c.name ? "" : String(c.value),
        line: `${text.slice(0, at)}${quoteIfNeeded(c.name)} `,
      }));
    return { kind: "list", title, items, preselect: true };
  }
  if (option.type === OPTION_TYPES.BOOLEAN) {
    const items = ["True", "False"]
      .filter((v) => v.toLowerCase().startsWith(raw.toLowerCase()))
      .map((v) => ({ label: v, line: `${text.slice(0, at)}${v.toLowerCase()} ` }));
    return { kind: "list", title, items, preselect: true };
  }
  if (option.type === OPTION_TYPES.ATTACHMENT) return { kind: "attachment", title, option, replaceFrom: at };
  if (option.autocomplete) {
    const leaves: OptionValue[] = [];
    for (const token of tokens) {
      const def = token.name === null ? undefined : head.options.find((o) => o.name === token.name!.toLowerCase());
      if (!def) continue;
      // Discord sends the focused option as the text typed so far, whatever its type.
      if (token === last) leaves.push({ type: def.type, name: def.name, value: raw, focused: true });
      else leaves.push({ type: def.type, name: def.name, value: lenientValue(def, token.raw, where) });
    }
    return {
      kind: "autocomplete",
      title,
      option,
      data: { name: head.command.name, type: 1, options: wrap(head, leaves) },
      replaceFrom: at,
    };
  }
  return { kind: "hint", title, option };
}

/** The line that picks an autocomplete choice (the bot's name/value pair) for the option at replaceFrom. */
export function applyChoice(text: string, replaceFrom: number, value: string | number): string {
  return `${text.slice(0, replaceFrom)}${quoteIfNeeded(String(value))} `;
}
