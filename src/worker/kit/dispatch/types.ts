/**
 * The handler-module contract. A command module is data plus functions, exported by name:
 *
 *   export const definition = slashCommand({ name: "roll", description: "…", options: [...] });
 *   export function command({ options }: CommandContext<typeof definition>): HandlerResult { … }
 *   // optional: subcommands, autocomplete, component, modal, jobs, use — see README "Adding a command"
 *
 * The contexts are computed from the definition (typed options, the context-menu target) and from the module's
 * `jobs` (which names `defer` accepts, with which input), so a typo is a compile error. src/worker/app/commands/index.ts
 * lists the modules once, through `listModules`, whose types check each module's exports where it is listed;
 * dispatch/module-checks.ts checks the rest at run time, in the tests and the scripts that load the list.
 */
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { Translate } from "../i18n/messages.ts";
import type { ImmediateResponse } from "../discord/responses.ts";
import type {
  CommandDefinition,
  MessageCommandDefinition,
  OptionsOf,
  SubcommandOptionsOf,
  SubcommandPath,
  UserCommandDefinition,
} from "./definitions.ts";
import type { ParsedCustomId } from "./custom-id.ts";
import type { Interaction } from "./interaction.ts";
import type { Deferral, Jobs, JobInput } from "../engine/jobs.ts";
import type { UseCreated, WithResponse } from "../engine/with-response.ts";
import type { Middleware } from "./middleware.ts";
import type { ModalFields } from "./modal-fields.ts";
import type { ResolvedMessage, ResolvedUser } from "./resolved.ts";

export type MaybePromise<T> = T | Promise<T>;

export type { ImmediateResponse };

/**
 * What a handler returns: an immediate response, a deferral naming one of its module's jobs, or an immediate response
 * sent through the callback endpoint so the handler gets back what it created (`ctx.withResponse`).
 */
export type HandlerResult = ImmediateResponse | Deferral | WithResponse;

export interface BaseContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  /** The incoming HTTP request (e.g. `request.cf` for the edge location). */
  readonly request: Request;
  /** Every registered module, for commands that describe the bot (/help). */
  readonly commands: readonly CommandModule[];
  /**
   * Schedules a side effect (a storage write, a notification) to run after the response is sent, off the
   * 3-second path, in either relay mode. It runs once per interaction id even when Discord delivers the
   * interaction twice, and a failure is logged with the interaction id.
   */
  readonly after: (name: string, task: () => Promise<void>) => void;
  /** `<this module's name>:<state…>`, checked against Discord's 100-character cap. */
  readonly customId: (...state: readonly (string | number)[]) => string;
  /**
   * Whether the user (or the server) holds an entitlement to `skuId` now, from the interaction's `entitlements`:
   * no API call. Pair a refusal with `premiumButton({ skuId })` (src/worker/kit/discord/components.ts).
   */
  hasEntitlement(skuId: string): boolean;
  /** A sentence of the bot's catalogue or the platform's (i18n/messages.ts) in the user's locale, English by default. */
  readonly t: Translate;
  /**
   * Answers with `response` through Create Interaction Response with `with_response=true`, then calls `use` with what
   * Discord created: `resource.message` (a reply or an update) or `resource.activity_instance` (LAUNCH_ACTIVITY), or
   * null when the answer had to go another way. `use` runs after the answer, off the 3-second path
   * (src/worker/kit/engine/with-response.ts).
   */
  readonly withResponse: (response: ImmediateResponse, use: UseCreated) => WithResponse;
}

/** @public */
export interface DeferringContext<J extends Jobs> {
  /** Answer "thinking…" (type 5) now; the job named here produces the final message from `input`. */
  readonly defer: <K extends keyof J & string>(
    job: K,
    input: JobInput<J[K]>,
    options?: { ephemeral?: boolean },
  ) => Deferral;
}

/** @public */
export interface UpdatingContext<J extends Jobs> extends DeferringContext<J> {
  /** Acknowledge the component (type 6) now; the job's final message replaces the message it is on. */
  readonly deferUpdate: <K extends keyof J & string>(job: K, input: JobInput<J[K]>) => Deferral;
}

type TargetOf<D> = D extends UserCommandDefinition
  ? { readonly target: ResolvedUser }
  : D extends MessageCommandDefinition
    ? { readonly target: ResolvedMessage }
    : { readonly options: OptionsOf<D> };

export type CommandContext<D extends CommandDefinition = CommandDefinition, J extends Jobs = Jobs> = BaseContext &
  DeferringContext<J> &
  TargetOf<D>;

/** @public */
export type SubcommandContext<D extends CommandDefinition, P extends string, J extends Jobs = Jobs> = BaseContext &
  DeferringContext<J> & { readonly subcommand: P; readonly options: SubcommandOptionsOf<D, P> };

/** Handlers by subcommand path ("stats", "config set"); each sees only its own options. */
export type Subcommands<D extends CommandDefinition, J extends Jobs = Jobs> = {
  readonly [P in SubcommandPath<D>]: (ctx: SubcommandContext<D, P, J>) => MaybePromise<HandlerResult>;
};

export interface AutocompleteContext extends BaseContext {
  /** The option being typed and its partial text. */
  readonly focused: { readonly name: string; readonly value: string } | undefined;
}

export interface ComponentContext<J extends Jobs = Jobs> extends BaseContext, UpdatingContext<J> {
  /** The clicked component's id, split: `state` is what follows `<module>:`. */
  readonly id: ParsedCustomId;
  /** Select menus: the chosen values; empty for buttons. */
  readonly values: readonly string[];
}

export interface ModalContext<J extends Jobs = Jobs> extends BaseContext, UpdatingContext<J> {
  readonly id: ParsedCustomId;
  /** Submitted inputs by custom_id, typed by kind; `form.read(fields)` types them from the form (modal-form.ts). */
  readonly fields: ModalFields;
}

/** The runtime shape every listed module has; the contexts above are what its functions see. */
export interface CommandModule {
  readonly definition: CommandDefinition;
  readonly command?: (ctx: never) => MaybePromise<HandlerResult>;
  readonly subcommands?: Readonly<Record<string, (ctx: never) => MaybePromise<HandlerResult>>>;
  readonly autocomplete?: (ctx: AutocompleteContext) => MaybePromise<APIInteractionResponse>;
  readonly component?: (ctx: never) => MaybePromise<HandlerResult>;
  readonly modal?: (ctx: never) => MaybePromise<HandlerResult>;
  /** Deferred work by name; see jobs.ts. */
  readonly jobs?: Jobs;
  /** Before/after steps for this module (the heavy-command limiter, the admin gate); see middleware.ts. */
  readonly use?: readonly Middleware[];
}

/**
 * A module as one typed object, for modules built in code (tests, generated commands) rather than as a file of
 * named exports: each function's context is computed from `definition` and `jobs` exactly as for a file module.
 */
export function defineModule<const D extends CommandDefinition, const J extends Jobs = Jobs>(module: {
  readonly definition: D;
  readonly command?: (ctx: CommandContext<NoInfer<D>, NoInfer<J>>) => MaybePromise<HandlerResult>;
  readonly subcommands?: Subcommands<NoInfer<D>, NoInfer<J>>;
  readonly autocomplete?: (ctx: AutocompleteContext) => MaybePromise<APIInteractionResponse>;
  readonly component?: (ctx: ComponentContext<NoInfer<J>>) => MaybePromise<HandlerResult>;
  readonly modal?: (ctx: ModalContext<NoInfer<J>>) => MaybePromise<HandlerResult>;
  readonly jobs?: J;
  readonly use?: readonly Middleware[];
}): CommandModule & { readonly definition: D } {
  return module as unknown as CommandModule & { readonly definition: D };
}
