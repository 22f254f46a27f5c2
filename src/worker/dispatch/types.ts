/**
 * The handler-module contract. A command module is data plus functions, exported by name:
 *
 *   export const definition = { name: "ping", description: "…" } satisfies CommandDefinition;
 *   export function command(ctx: CommandContext): HandlerResult { … }
 *   // optional: autocomplete, component (custom_id "<name>:…"), modal (custom_id "<name>:…")
 *
 * src/worker/commands/index.ts lists the modules once; dispatch, /help, registration and tests all read that list.
 */
import type { APIInteractionResponse, RESTPostAPIApplicationCommandsJSONBody } from "discord-api-types/v10";
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { ParsedCustomId } from "./custom-id.ts";
import type { Interaction } from "./interaction.ts";
import type { Options } from "./options.ts";
import type { Deferred } from "./deferred.ts";

export type CommandDefinition = RESTPostAPIApplicationCommandsJSONBody;

/** What a handler returns: an immediate response, or a deferral whose task finishes in the background. */
export type HandlerResult = APIInteractionResponse | Deferred;
export type MaybePromise<T> = T | Promise<T>;

export interface HandlerContext {
  readonly interaction: Interaction;
  readonly options: Options;
  readonly env: Env;
  readonly config: Config;
  /** The incoming HTTP request (e.g. `request.cf` for the edge location). */
  readonly request: Request;
  /** Every registered module, for commands that describe the bot (/help). */
  readonly commands: readonly CommandModule[];
  /**
   * Schedules a side effect (a storage write, a notification) to run after the response is sent, off the
   * 3-second path. It runs once per interaction id even when Discord delivers the interaction twice, and a
   * failure is logged with the interaction id.
   */
  readonly after: (name: string, task: () => Promise<void>) => void;
}

export type CommandContext = HandlerContext;
export type AutocompleteContext = HandlerContext;

export interface ComponentContext extends HandlerContext {
  readonly customId: ParsedCustomId;
  /** Select menus: the chosen values; empty for buttons. */
  readonly values: readonly string[];
}

export interface ModalContext extends HandlerContext {
  readonly customId: ParsedCustomId;
  /** Submitted text inputs by custom_id. */
  readonly fields: ReadonlyMap<string, string>;
}

export interface CommandModule {
  readonly definition: CommandDefinition;
  /** Heavy commands (and their components) count toward the per-user HEAVY_LIMITER before they run. */
  readonly heavy?: boolean;
  readonly command: (ctx: CommandContext) => MaybePromise<HandlerResult>;
  readonly autocomplete?: (ctx: AutocompleteContext) => MaybePromise<APIInteractionResponse>;
  readonly component?: (ctx: ComponentContext) => MaybePromise<HandlerResult>;
  readonly modal?: (ctx: ModalContext) => MaybePromise<HandlerResult>;
}
