/**
 * Options in one line each: `option.string("what", "What to remind you of", { required: true, autocomplete: true })`
 * is the JSON `{ type: 3, name: "what", description: "…", required: true, autocomplete: true }` that
 * `slashCommand({ options: [...] })` takes written out, with the same types: the name, `required` and the choices stay
 * literal (so OptionsOf<D> types the handler's `options` from them), and the extras are those discord-api-types allows
 * for that option type (`min_value` on an integer, `channel_types` on a channel; `autocomplete` and `choices` not
 * both), so a misspelt field is still a compile error. Subcommands and groups take their options as a list.
 * https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-structure
 */
import type {
  APIApplicationCommandAttachmentOption,
  APIApplicationCommandBooleanOption,
  APIApplicationCommandChannelOption,
  APIApplicationCommandIntegerOption,
  APIApplicationCommandMentionableOption,
  APIApplicationCommandNumberOption,
  APIApplicationCommandRoleOption,
  APIApplicationCommandStringOption,
  APIApplicationCommandSubcommandOption,
  APIApplicationCommandUserOption,
} from "discord-api-types/v10";
import type { DeepReadonly } from "./definitions.ts";

/** What an option of that kind may carry besides its type, name and description (per member of a union). */
type Extras<O> = O extends unknown ? Omit<DeepReadonly<O>, "type" | "name" | "description"> : never;
type Named<T extends number, N extends string> = { readonly type: T; readonly name: N; readonly description: string };
type Leaf = Named<number, string> & object;

function leaf<T extends number, O>(type: T) {
  return <const N extends string, const X extends Extras<O> = never>(
    name: N,
    description: string,
    extras?: X,
  ): Named<T, N> & ([X] extends [never] ? unknown : X) => ({ type, name, description, ...extras }) as never;
}

/** A subcommand and its options (`subcommands` in the module get one handler per subcommand). */
function subcommand<const N extends string>(name: N, description: string): Named<1, N>;
function subcommand<const N extends string, const O extends readonly Leaf[]>(
  name: N,
  description: string,
  options: O,
  extras?: Extras<APIApplicationCommandSubcommandOption>,
): Named<1, N> & { readonly options: O };
function subcommand(name: string, description: string, options?: readonly Leaf[], extras?: object): object {
  return { type: 1, name, description, ...extras, ...(options ? { options } : {}) };
}

export const option = {
  string: leaf<3, APIApplicationCommandStringOption>(3),
  integer: leaf<4, APIApplicationCommandIntegerOption>(4),
  boolean: leaf<5, APIApplicationCommandBooleanOption>(5),
  user: leaf<6, APIApplicationCommandUserOption>(6),
  channel: leaf<7, APIApplicationCommandChannelOption>(7),
  role: leaf<8, APIApplicationCommandRoleOption>(8),
  mentionable: leaf<9, APIApplicationCommandMentionableOption>(9),
  number: leaf<10, APIApplicationCommandNumberOption>(10),
  attachment: leaf<11, APIApplicationCommandAttachmentOption>(11),
  subcommand,
  /** A group of subcommands: handlers are named "<group> <subcommand>". */
  group<const N extends string, const S extends readonly (Named<1, string> & object)[]>(
    name: N,
    description: string,
    subcommands: S,
  ): Named<2, N> & { readonly options: S } {
    return { type: 2, name, description, options: subcommands } as never;
  },
};
