/**
 * Command definitions, checked against Discord's published types and kept literal, so the handler's types can be
 * computed from them. `slashCommand({...})` is the same JSON `npm run register` sends; its `const` type parameter
 * keeps every option name, type, `required` and choice as a literal, and the readonly mirror of discord-api-types'
 * body type rejects a misspelt field at compile time. Types only: at run time each helper returns its argument.
 *
 * From a definition, OptionsOf<D> is the handler's `options` object: one property per option of the right type
 * (a choice option is the union of its values), required ones without `undefined`; a wrong name is a compile error.
 */
import type {
  RESTPostAPIBaseApplicationCommandsJSONBody,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIPrimaryEntryPointApplicationCommandJSONBody,
} from "discord-api-types/v10";
import type { Attachment, ResolvedChannel, ResolvedRole, ResolvedUser } from "./resolved.ts";

export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type SlashDefinition = DeepReadonly<RESTPostAPIChatInputApplicationCommandsJSONBody>;
/** What a context-menu command has: a name (spaces and capitals allowed) and the common fields; no description, no options. */
export type ContextMenuFields = DeepReadonly<
  Omit<RESTPostAPIBaseApplicationCommandsJSONBody, "type" | "description" | "description_localizations" | "options">
>;
export type UserCommandDefinition = ContextMenuFields & { readonly type: 2 };
export type MessageCommandDefinition = ContextMenuFields & { readonly type: 3 };
/**
 * An Activity's Entry Point command (PRIMARY_ENTRY_POINT, type 4): the "Launch" button in the App Launcher. `handler`
 * says who answers it: the app (1, APP_HANDLER: the module's `command` runs, e.g. `return launchActivity()`) or
 * Discord (2, DISCORD_LAUNCH_ACTIVITY: Discord launches the Activity and sends the app nothing). One per app, and
 * only for apps with Activities enabled (discord.com/developers/docs/interactions/application-commands#entry-point-commands).
 */
export type EntryPointDefinition = DeepReadonly<
  Omit<RESTPostAPIPrimaryEntryPointApplicationCommandJSONBody, "type" | "handler" | "options">
> & {
  readonly type: 4;
  readonly handler: (typeof EntryPointHandler)[keyof typeof EntryPointHandler];
};
export type CommandDefinition =
  | SlashDefinition
  | UserCommandDefinition
  | MessageCommandDefinition
  | EntryPointDefinition;

/** Who answers an Entry Point command. @public */
export const EntryPointHandler = { AppHandler: 1, DiscordLaunchActivity: 2 } as const;

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

/** @public */
export const CommandType = { Slash: 1, User: 2, Message: 3, PrimaryEntryPoint: 4 } as const;

/** Who can install the app for a command to be offered: a server (guild install) or a user (user install). @public */
export const IntegrationType = { GuildInstall: 0, UserInstall: 1 } as const;

/** Where a command may run: a server channel, the DM with the bot, or a private channel (a DM or group DM the bot is not in). @public */
export const InteractionContext = { Guild: 0, BotDm: 1, PrivateChannel: 2 } as const;

/**
 * The install and context fields of a command usable everywhere: installable by a server and by a user, and
 * offered in servers, the bot's DM and private channels (which only a user install reaches).
 */
export const EVERYWHERE = {
  integration_types: [IntegrationType.GuildInstall, IntegrationType.UserInstall],
  contexts: [InteractionContext.Guild, InteractionContext.BotDm, InteractionContext.PrivateChannel],
} as const;

/** A command for servers only: installed by a server, run in its channels (server data, server permissions). */
export const SERVER_ONLY = {
  integration_types: [IntegrationType.GuildInstall],
  contexts: [InteractionContext.Guild],
} as const;

/** A slash command (type 1). */
export function slashCommand<const D extends SlashDefinition>(definition: D): D {
  return definition;
}

/** A user command: right-click a user → Apps. Names may have spaces and capitals; no description, no options. */
export function userCommand<const D extends ContextMenuFields>(definition: D): D & { readonly type: 2 } {
  return { ...definition, type: CommandType.User };
}

/** An Entry Point command (type 4) for an app with an Activity; see EntryPointDefinition. @public */
export function entryPointCommand<const D extends Omit<EntryPointDefinition, "type">>(
  definition: D,
): D & { readonly type: 4 } {
  return { ...definition, type: CommandType.PrimaryEntryPoint };
}

/** A message command: right-click a message → Apps. */
export function messageCommand<const D extends ContextMenuFields>(definition: D): D & { readonly type: 3 } {
  return { ...definition, type: CommandType.Message };
}

// ---- options, typed from the definition ----

/** The fields of an option that its type and the checks at the boundary depend on. */
export interface OptionShape {
  readonly type: number;
  readonly name: string;
  readonly required?: boolean;
  readonly choices?: readonly { readonly value: string | number }[];
  readonly options?: readonly OptionShape[];
}

type ValueOfType<T> = T extends 3
  ? string
  : T extends 4 | 10
    ? number
    : T extends 5
      ? boolean
      : T extends 6
        ? ResolvedUser
        : T extends 7
          ? ResolvedChannel
          : T extends 8
            ? ResolvedRole
            : T extends 9
              ? ResolvedUser | ResolvedRole
              : T extends 11
                ? Attachment
                : never;

type ValueOf<O extends OptionShape> = O["choices"] extends readonly { readonly value: infer V }[]
  ? V
  : ValueOfType<O["type"]>;

type Leaf<O> = O extends OptionShape ? (O["type"] extends 1 | 2 ? never : O) : never;

type LeafOptions<L extends readonly OptionShape[] | undefined> = L extends readonly (infer O)[] ? Leaf<O> : never;

/** The handler's `options` for a list of leaf options. */
type OptionsFrom<L extends readonly OptionShape[] | undefined> = {
  readonly [O in LeafOptions<L> as O["required"] extends true ? O["name"] : never]: ValueOf<O>;
} & {
  readonly [O in LeafOptions<L> as O["required"] extends true ? never : O["name"]]?: ValueOf<O>;
};

type OptionListOf<D> = D extends { readonly options?: infer L }
  ? L extends readonly OptionShape[]
    ? L
    : undefined
  : undefined;

/** Options of a command without subcommands. */
export type OptionsOf<D> = OptionsFrom<OptionListOf<D>>;

/** "stats", or "config set" for a subcommand in a group. */
export type SubcommandPath<D> =
  OptionListOf<D> extends readonly (infer O)[]
    ? O extends { readonly type: 1; readonly name: infer N extends string }
      ? N
      : O extends { readonly type: 2; readonly name: infer G extends string; readonly options?: readonly (infer S)[] }
        ? S extends { readonly type: 1; readonly name: infer N extends string }
          ? `${G} ${N}`
          : never
        : never
    : never;

type SubcommandOption<D, P extends string> =
  OptionListOf<D> extends readonly (infer O)[]
    ? P extends `${infer G} ${infer N}`
      ? O extends { readonly type: 2; readonly name: G; readonly options?: readonly (infer S)[] }
        ? S extends { readonly type: 1; readonly name: N }
          ? S
          : never
        : never
      : O extends { readonly type: 1; readonly name: P }
        ? O
        : never
    : never;

/** Options of one subcommand (by path). */
export type SubcommandOptionsOf<D, P extends string> = OptionsFrom<OptionListOf<SubcommandOption<D, P>>>;
