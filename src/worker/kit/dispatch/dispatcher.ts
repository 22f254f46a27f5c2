/**
 * Routes a parsed interaction to its handler module and always comes back with a valid response for
 * Discord: unknown commands, options that do not fit the definition, handler exceptions and invalid handler
 * results become an ephemeral sentence (with a reference id for failures) rather than an HTTP error, which
 * Discord would show as "The application did not respond".
 */
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { Config } from "../config.ts";
import { grantsSku } from "./entitlements.ts";
import {
  autocompleteChoices,
  deferReply,
  deferUpdate,
  ephemeral,
  isComponentsV2,
  validateResponse,
  withMessageDefaults,
} from "../discord/responses.ts";
import type { Env } from "../env.ts";
import type { Translate, Translators } from "../i18n/messages.ts";
import { platformTranslator } from "../i18n/translators.ts";
import { newReference } from "../log.ts";
import { customId as buildCustomId, parseCustomId, type ParsedCustomId } from "./custom-id.ts";
import { InteractionType, isObject, type Interaction } from "./interaction.ts";
import { isDeferral, makeDeferral, type Deferral } from "../engine/jobs.ts";
import { isWithResponse, makeWithResponse, type UseCreated } from "../engine/with-response.ts";
import type { Middleware, MiddlewareOutcome } from "./middleware.ts";
import { readModalFields } from "./modal-fields.ts";
import { focusedOption, readOptions } from "./read-options.ts";
import { unroutedCustomId } from "./routable-ids.ts";
import { targetMessage, targetUser, type ResolvedMessage, type ResolvedUser } from "./resolved.ts";
import type { Registry } from "./registry.ts";
import type { BaseContext, CommandModule, HandlerResult, ImmediateResponse, MaybePromise } from "./types.ts";

/** What the dispatcher decided; a middleware step that answered names its own outcome (middleware.ts). */
type Outcome =
  | "ok"
  | "deferred"
  | "unknown_command"
  | "unknown_component"
  | "invalid_options"
  | "answered_by_middleware"
  | "handler_error"
  | "invalid_response"
  | MiddlewareOutcome;

interface BackgroundTask {
  readonly name: string;
  readonly task: () => Promise<void>;
}

export interface Dispatched {
  readonly response: APIInteractionResponse;
  readonly deferred?: Deferral;
  /** The deferral's input as JSON, serialised once when the handler returned it (see settled). */
  readonly jobInput?: string;
  /** The module that answered, when there was one: its jobs run the deferral, its after-steps see the outcome. */
  readonly module?: CommandModule;
  /** The handler answered with `ctx.withResponse`: answer through the callback endpoint, then this (with-response.ts). */
  readonly withResponse?: UseCreated;
  /** Side effects the handler scheduled with `ctx.after`. */
  readonly background?: readonly BackgroundTask[];
  /** What was routed: "/help", "chart:" (component prefix), "/Chart numbers" … for the log line. */
  readonly route: string | null;
  readonly outcome: Outcome;
  /** The middleware step that answered instead of the handler. */
  readonly answeredBy?: string;
  readonly ref?: string;
  readonly error?: unknown;
}

export interface DispatchDeps {
  readonly registry: Registry;
  readonly env: Env;
  readonly config: Config;
  readonly request: Request;
}

const PONG: APIInteractionResponse = { type: 1 };
const NO_VALUES: readonly string[] = [];

/**
 * Synchronous handlers (most of them: /ping, /help, buttons) are dispatched synchronously, and a promise is
 * returned only when something on the way is asynchronous (an async handler, a middleware step): each promise
 * layer is a microtask turn and an allocation on the 3-second path. Callers `await` either.
 */
export function dispatch(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  // Handler failures are settled below; this catches a fault in routing itself, so that even then Discord
  // gets a valid answer rather than a 500 ("The application did not respond").
  try {
    const routed = route(interaction, deps);
    return routed instanceof Promise
      ? routed.catch((error: unknown) => failed(interaction, null, undefined, "handler_error", error))
      : routed;
  } catch (error) {
    return failed(interaction, null, undefined, "handler_error", error);
  }
}

function route(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  switch (interaction.type) {
    case InteractionType.Ping:
      return { response: PONG, route: null, outcome: "ok" };
    case InteractionType.Command:
      return dispatchCommand(interaction, deps);
    case InteractionType.Autocomplete:
      return dispatchAutocomplete(interaction, deps);
    case InteractionType.Component:
    case InteractionType.ModalSubmit:
      return dispatchCustomId(interaction, deps);
  }
}

function deferJob(job: string, input: unknown, options?: { ephemeral?: boolean }): Deferral {
  return makeDeferral(job, input, false, options?.ephemeral ?? false);
}

function deferUpdateJob(job: string, input: unknown): Deferral {
  return makeDeferral(job, input, true, false);
}

/**
 * The context handlers receive. A class, not an object literal with lazy getters: a literal's getter is a new
 * closure per call, so every context got its own hidden class, which V8 allocates in old space pointing at this
 * request's objects; they then survived young-generation GCs. On workerd that multiplied the bytes promoted per
 * scavenge about eightfold, and the scavenges' pauses with them (bench/README.md). Everything a fast handler does
 * not use (the custom_id builder) is built on first use.
 */
class Context implements BaseContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  readonly request: Request;
  readonly commands: readonly CommandModule[];
  /** Own properties, so handlers may destructure them. */
  readonly after: BaseContext["after"];
  readonly defer = deferJob;
  readonly deferUpdate = deferUpdateJob;
  readonly withResponse = makeWithResponse;
  readonly options: Readonly<Record<string, unknown>>;
  readonly subcommand: string | undefined;
  /** Context-menu commands: the user or message, resolved once when the dispatcher checked it. */
  readonly target: ResolvedUser | ResolvedMessage | undefined;
  readonly #module: CommandModule;
  readonly #translator: Translators;
  #customId: BaseContext["customId"] | undefined;

  constructor(
    interaction: Interaction,
    deps: DispatchDeps,
    module: CommandModule,
    background: BackgroundTask[],
    options: Readonly<Record<string, unknown>>,
    subcommand: string | undefined,
    target?: ResolvedUser | ResolvedMessage,
  ) {
    this.interaction = interaction;
    this.env = deps.env;
    this.config = deps.config;
    this.request = deps.request;
    this.commands = deps.registry.modules;
    this.#translator = deps.registry.translator;
    this.after = (name, task) => void background.push({ name, task });
    this.options = options;
    this.subcommand = subcommand;
    this.target = target;
    this.#module = module;
  }

  hasEntitlement(skuId: string): boolean {
    return grantsSku(this.interaction.entitlements, skuId);
  }

  get customId(): BaseContext["customId"] {
    const prefix = this.#module.definition.name;
    return (this.#customId ??= (...state) => buildCustomId(prefix, ...state));
  }

  /** One translator per catalogue, made once per registry: asking for it allocates nothing. */
  get t(): Translate {
    return this.#translator(this.interaction.locale);
  }
}

const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

function dispatchCommand(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  const name = interaction.commandName;
  const module = name ? deps.registry.command(interaction.commandType, name) : undefined;
  const route = name ? `/${name}` : null;
  if (!module) {
    return {
      response: ephemeral(platformTranslator(interaction.locale)("unknownCommand", name)),
      route,
      outcome: "unknown_command",
    };
  }
  let handler: CommandModule["command"];
  let options = NO_OPTIONS;
  let subcommand: string | undefined;
  let target: ResolvedUser | ResolvedMessage | undefined;
  if (interaction.commandType === 1) {
    // A command without options and a payload without options is the common fast case: nothing to read.
    const given = interaction.data?.options;
    if (
      ("options" in module.definition && module.definition.options?.length) ||
      (Array.isArray(given) && given.length > 0)
    ) {
      const read = readOptions(module.definition, interaction);
      if (!read.ok) return staleCommand(interaction, route, module, read.problem);
      options = read.values;
      subcommand = read.path;
    }
    handler = subcommand !== undefined ? (module.subcommands?.[subcommand] ?? module.command) : module.command;
  } else if (interaction.commandType === 4) {
    // An Entry Point command (an Activity's Launch button) with handler APP_HANDLER: the app answers, typically with
    // LAUNCH_ACTIVITY (type 12). With DISCORD_LAUNCH_ACTIVITY Discord answers itself and sends the app nothing
    // (discord.com/developers/docs/interactions/application-commands#entry-point-handler-types).
    handler = (module.definition as { handler?: number }).handler === 1 ? module.command : undefined;
  } else {
    handler = module.command;
    target = interaction.commandType === 2 ? targetUser(interaction.data) : targetMessage(interaction.data);
    if (!target)
      return staleCommand(interaction, route, module, "the context-menu target is missing from data.resolved");
  }
  if (!handler)
    return staleCommand(
      interaction,
      route,
      module,
      `no handler for ${subcommand ? `subcommand "${subcommand}"` : "the command"}`,
    );
  const run = handler as (ctx: Context) => MaybePromise<HandlerResult>;
  const background: BackgroundTask[] = [];
  const ctx = new Context(interaction, deps, module, background, options, subcommand, target);
  return withMiddleware(interaction, module, route ?? "", ctx, () =>
    settle(interaction, route, module, () => run(ctx), background, deps.registry),
  );
}

/** Options that do not fit the definition: Discord's copy of the command is older (or newer) than this Worker's. */
function staleCommand(
  interaction: Interaction,
  route: string | null,
  module: CommandModule,
  problem: string,
): Dispatched {
  return {
    response: ephemeral(platformTranslator(interaction.locale)("staleCommand", route)),
    route,
    module,
    outcome: "invalid_options",
    error: new Error(`dispatch(${route}): ${problem}`),
  };
}

function dispatchAutocomplete(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  const name = interaction.commandName;
  const module = name ? deps.registry.command(interaction.commandType, name) : undefined;
  const route = name ? `/${name}` : null;
  // Autocomplete accepts only type 8: with no handler, or a failing one, the user sees no suggestions.
  if (!module?.autocomplete)
    return { response: autocompleteChoices([]), route, outcome: module ? "ok" : "unknown_command" };
  const handler = module.autocomplete;
  const ctx = Object.assign(new Context(interaction, deps, module, [], NO_OPTIONS, undefined), {
    focused: focusedOption(interaction),
  });
  return settle(interaction, route, module, () => handler(ctx), [], deps.registry);
}

function dispatchCustomId(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  const id = parseCustomId(interaction.customId ?? "");
  const route = `${id.prefix}:`;
  const module = deps.registry.byPrefix(id.prefix);
  const isModal = interaction.type === InteractionType.ModalSubmit;
  const handler = isModal ? module?.modal : module?.component;
  if (!module || !handler) {
    return {
      response: ephemeral(platformTranslator(interaction.locale)(isModal ? "unknownForm" : "unknownComponent")),
      route,
      outcome: "unknown_component",
    };
  }
  const background: BackgroundTask[] = [];
  const ctx: Context & { id: ParsedCustomId } = Object.assign(
    new Context(interaction, deps, module, background, NO_OPTIONS, undefined),
    isModal
      ? { id, fields: readModalFields(interaction.data) }
      : { id, values: selectValues(interaction.data?.values) },
  );
  const run = handler as (ctx: Context) => MaybePromise<HandlerResult>;
  return withMiddleware(interaction, module, route, ctx, () =>
    settle(interaction, route, module, () => run(ctx), background, deps.registry),
  );
}

/**
 * Runs the module's before-steps, in order (the first that answers ends it), then the handler; when the handler
 * deferred, the beforeJob steps may still answer instead. No steps: the handler directly.
 */
function withMiddleware(
  interaction: Interaction,
  module: CommandModule,
  route: string,
  ctx: Context,
  run: () => MaybePromise<Dispatched>,
): MaybePromise<Dispatched> {
  const steps = module.use;
  if (!steps || steps.length === 0) return run();
  return runSteps(interaction, module, route, ctx, steps, run);
}

async function runSteps(
  interaction: Interaction,
  module: CommandModule,
  route: string,
  ctx: Context,
  steps: readonly Middleware[],
  run: () => MaybePromise<Dispatched>,
): Promise<Dispatched> {
  for (const step of steps) {
    if (!step.before) continue;
    const answered = await answerOf(interaction, module, route, step, () => step.before!(ctx, route));
    if (answered) return answered;
  }
  const dispatched = await run();
  if (!dispatched.deferred) return dispatched;
  for (const step of steps) {
    if (!step.beforeJob) continue;
    const answered = await answerOf(interaction, module, route, step, () => step.beforeJob!(ctx, route));
    if (answered) return answered;
  }
  return dispatched;
}

/** A step's answer as the Dispatched outcome, or undefined when it lets the interaction through. */
async function answerOf(
  interaction: Interaction,
  module: CommandModule,
  route: string,
  step: Middleware,
  call: () => MaybePromise<ImmediateResponse | undefined>,
): Promise<Dispatched | undefined> {
  let answer;
  try {
    answer = await call();
  } catch (error) {
    return failed(interaction, route, module, "handler_error", error);
  }
  if (answer === undefined) return undefined;
  const problem = validateResponse(answer, interaction.type);
  if (problem)
    return failed(interaction, route, module, "invalid_response", new Error(`middleware(${step.name}): ${problem}`));
  return { response: answer, route, module, outcome: step.outcome ?? "answered_by_middleware", answeredBy: step.name };
}

/**
 * Runs a handler and turns whatever happens into a Dispatched: the one place handler failures are caught.
 * Synchronous when the handler is.
 */
function settle(
  interaction: Interaction,
  route: string | null,
  module: CommandModule,
  run: () => MaybePromise<HandlerResult | APIInteractionResponse>,
  background: readonly BackgroundTask[],
  registry: Registry,
): MaybePromise<Dispatched> {
  let returned: MaybePromise<HandlerResult | APIInteractionResponse>;
  try {
    returned = run();
  } catch (error) {
    return failed(interaction, route, module, "handler_error", error);
  }
  if (returned instanceof Promise) {
    return returned.then(
      (result) => settled(interaction, route, module, result, background, registry),
      (error: unknown) => failed(interaction, route, module, "handler_error", error),
    );
  }
  return settled(interaction, route, module, returned, background, registry);
}

/** A handler or routing failure: an ephemeral sentence (no suggestions for autocomplete) with a reference id. */
function failed(
  interaction: Interaction,
  route: string | null,
  module: CommandModule | undefined,
  outcome: "handler_error" | "invalid_response",
  error: unknown,
): Dispatched {
  const ref = newReference();
  const response =
    interaction.type === InteractionType.Autocomplete
      ? autocompleteChoices([])
      : failureMessage(interaction, route, ref);
  return { response, route, ...(module ? { module } : {}), outcome, ref, error };
}

function settled(
  interaction: Interaction,
  route: string | null,
  module: CommandModule,
  result: HandlerResult | APIInteractionResponse,
  background: readonly BackgroundTask[],
  registry: Registry,
): Dispatched {
  if (isDeferral(result)) {
    if (typeof module.jobs?.[result.job]?.run !== "function") {
      const known = Object.keys(module.jobs ?? {});
      return failed(
        interaction,
        route,
        module,
        "invalid_response",
        new Error(
          `dispatch(${route}): defer names the job "${result.job}", but the module's jobs are: ${known.join(", ") || "none"}`,
        ),
      );
    }
    // Serialised here, before "thinking…" is promised: an input JSON cannot carry (a BigInt, a cycle) is a handler
    // error the user sees now, not a job that could never start. The JSON is what both relay modes run from.
    let jobInput: string | undefined;
    try {
      jobInput = JSON.stringify(result.input);
    } catch (error) {
      return failed(
        interaction,
        route,
        module,
        "invalid_response",
        new Error(
          `dispatch(${route}): the input of job "${result.job}" is not JSON: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    const response =
      result.update && interaction.type !== InteractionType.Command
        ? deferUpdate()
        : deferReply({ ephemeral: result.ephemeral });
    return {
      response,
      deferred: result,
      ...(jobInput !== undefined ? { jobInput } : {}),
      module,
      background,
      route,
      outcome: "deferred",
    };
  }
  const viaCallback = isWithResponse(result) ? result : undefined;
  const answer = viaCallback ? viaCallback.response : result;
  if (isObject(answer) && (answer.type === 5 || answer.type === 6)) {
    // A bare acknowledgement has no work behind it: the user would watch "thinking…" forever.
    return failed(
      interaction,
      route,
      module,
      "invalid_response",
      new Error(
        `dispatch(${route}): a handler returned a bare deferral (type ${answer.type}); return ctx.defer(job, input) so a job makes the final message`,
      ),
    );
  }
  const problem =
    validateResponse(answer, interaction.type, interaction.message !== null && isComponentsV2(interaction.message)) ??
    unroutedCustomId(answer as APIInteractionResponse, registry);
  if (problem)
    return failed(interaction, route, module, "invalid_response", new Error(`dispatch(${route}): ${problem}`));
  return {
    response: withMessageDefaults(answer as APIInteractionResponse),
    ...(viaCallback ? { withResponse: viaCallback.use } : {}),
    module,
    background,
    route,
    outcome: "ok",
  };
}

function failureMessage(interaction: Interaction, route: string | null, ref: string): APIInteractionResponse {
  return ephemeral(platformTranslator(interaction.locale)("failed", route?.startsWith("/") ? route : null, ref));
}

function selectValues(values: unknown): readonly string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : NO_VALUES;
}
