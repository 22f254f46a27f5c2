/**
 * Typed access to command options. Discord nests them (command → group → subcommand → leaves); this
 * flattens that once so handlers ask for `options.string("title")` and get a value of the right type or
 * undefined, never a crash on a payload that lacks or mistypes a field.
 */
import { isObject, type Interaction } from "./interaction.ts";

export const OptionType = {
  Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Role: 8,
  Mentionable: 9, Number: 10, Attachment: 11,
} as const;

export interface Attachment {
  readonly id: string;
  readonly filename: string;
  readonly url: string;
  readonly size: number | null;
  readonly contentType: string | null;
}

interface Leaf {
  readonly type: number;
  readonly value: unknown;
  readonly focused: boolean;
}

export class Options {
  /** Path of subcommand group and subcommand names, e.g. ["stats"] or ["config", "set"]. */
  readonly subcommandPath: readonly string[];
  private readonly leaves: ReadonlyMap<string, Leaf>;
  private readonly resolved: Record<string, unknown> | null;

  constructor(interaction: Pick<Interaction, "data">) {
    const path: string[] = [];
    const leaves = new Map<string, Leaf>();
    let level: unknown = interaction.data?.options;
    // At most two levels of nesting exist (group → subcommand); the bound also stops hostile payloads.
    for (let depth = 0; depth < 3 && Array.isArray(level); depth++) {
      const nested = level.find((o) => isObject(o) && (o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup));
      if (isObject(nested) && typeof nested.name === "string") {
        path.push(nested.name);
        level = nested.options;
        continue;
      }
      for (const option of level) {
        if (isObject(option) && typeof option.name === "string" && typeof option.type === "number") {
          leaves.set(option.name, { type: option.type, value: option.value, focused: option.focused === true });
        }
      }
      break;
    }
    this.subcommandPath = path;
    this.leaves = leaves;
    this.resolved = isObject(interaction.data?.resolved) ? interaction.data.resolved : null;
  }

  get subcommand(): string | undefined {
    return this.subcommandPath[this.subcommandPath.length - 1];
  }

  has(name: string): boolean {
    return this.leaves.has(name);
  }

  string(name: string): string | undefined {
    const value = this.leaves.get(name)?.value;
    return typeof value === "string" ? value : undefined;
  }

  number(name: string): number | undefined {
    const value = this.leaves.get(name)?.value;
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  }

  integer(name: string): number | undefined {
    const value = this.number(name);
    return value !== undefined && Number.isInteger(value) ? value : undefined;
  }

  boolean(name: string): boolean | undefined {
    const value = this.leaves.get(name)?.value;
    return typeof value === "boolean" ? value : undefined;
  }

  /** An ATTACHMENT option, resolved through `data.resolved.attachments`. */
  attachment(name: string): Attachment | undefined {
    const id = this.leaves.get(name)?.value;
    if (typeof id !== "string") return undefined;
    const table = this.resolved?.attachments;
    const entry = isObject(table) ? table[id] : undefined;
    if (!isObject(entry) || typeof entry.url !== "string") return undefined;
    return {
      id,
      filename: typeof entry.filename === "string" ? entry.filename : "file",
      url: entry.url,
      size: typeof entry.size === "number" ? entry.size : null,
      contentType: typeof entry.content_type === "string" ? entry.content_type : null,
    };
  }

  /** Autocomplete: the option the user is typing in, with its partial value as a string. */
  focused(): { name: string; value: string } | undefined {
    for (const [name, leaf] of this.leaves) {
      if (leaf.focused) return { name, value: leaf.value === undefined || leaf.value === null ? "" : String(leaf.value) };
    }
    return undefined;
  }
}
