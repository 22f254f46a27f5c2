/**
 * Routes a parsed interaction to its handler module and always comes back with a valid response for
 * Discord: unknown commands, handler exceptions and invalid handler results become an ephemeral sentence
 * (with a reference id for failures) rather than an HTTP error, which Discord would show as
 * "The application did not respond".
 */
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { Config } from "../config.ts";
import { autocomplete, deferReply, deferUpdate, ephemeral, validateResponse } from "../discord/responses.ts";
import type { Env } from "../env.ts";
import { newReference } from "../log.ts";
import { parseCustomId } from "./custom-id.ts";
import { isDeferred, type Deferred } from "./deferred.ts";
import { InteractionType, isObject, type Interaction } from "./interaction.ts";
import { Options } from "./options.ts";
import type { Registry } from "./registry.ts";
import type { CommandModule, HandlerContext, HandlerResult, MaybePromise } from "./types.ts";

export type Outcome = "ok" | "deferred" | "unknown_command" | "unknown_component" | "handler_error" | "invalid_response" | "rate_limited";

export interface BackgroundTask {
  readonly name: string;
  readonly task: () => Promise<void>;
}

export interface Dispatched {
  readonly response: APIInteractionResponse;
  readonly deferred?: Deferred;
  /** Side effects the handler scheduled with `ctx.after`. */
  readonly background?: readonly BackgroundTask[];
  /** What was routed: "/help", "chart:" (component prefix), "ping" … for the log line. */
  readonly route: string | null;
  readonly outcome: Outcome;
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

/**
 * Synchronous handlers (most of them: /ping, /help, buttons) are dispatched synchronously, and a promise is
 * returned only when something on the way is asynchronous (an async handler, the heavy-command limiter):
 * each promise layer is a microtask turn and an allocation on the 3-second path. Callers `await` either.
 */
export function dispatch(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  // Handler failures are settled below; this catches a fault in routing itself, so that even then Discord
  // gets a valid answer rather than a 500 ("The application did not respond").
  try {
    const routed = route(interaction, deps);
    return routed instanceof Promise ? routed.catch((error: unknown) => failed(interaction, null, "handler_error", error)) : routed;
  } catch (error) {
    return failed(interaction, null, "handler_error", error);
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

/**
 * The context handlers receive. A class, not an object literal with a lazy getter: a literal's getter is a
 * new closure per call, so every context got its own hidden class, which V8 allocates in old space pointing
 * at this request's objects; they then survived young-generation GCs. On workerd that multiplied the bytes
 * promoted per scavenge about eightfold, and the scavenges' pauses with them (bench/README.md).
 */
class Context implements HandlerContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  readonly request: Request;
  readonly commands: readonly CommandModule[];
  /** An own property, so handlers may destructure it. */
  readonly after: HandlerContext["after"];
  #options: Options | undefined;

  constructor(interaction: Interaction, deps: DispatchDeps, background: BackgroundTask[]) {
    this.interaction = interaction;
    this.env = deps.env;
    this.config = deps.config;
    this.request = deps.request;
    this.commands = deps.registry.modules;
    this.after = (name, task) => void background.push({ name, task });
  }

  /** Built on first use: most handlers of the fast path (/ping, buttons) never read options. */
  get options(): Options {
    return (this.#options ??= new Options(this.interaction));
  }
}

function dispatchCommand(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  const name = interaction.commandName;
  const module = name ? deps.registry.command(interaction.commandType, name) : undefined;
  const route = name ? `/${name}` : null;
  if (!module) {
    const what = name ? `the command \`/${name}\`` : "that command";
    return {
      response: ephemeral(`I don't know ${what}. It may have been renamed or removed; run \`/help\` to see what I can do.`),
      route,
      outcome: "unknown_command",
    };
  }
  const run = (): MaybePromise<Dispatched> => {
    const background: BackgroundTask[] = [];
    return settle(interaction, route, () => module.command(new Context(interaction, deps, background)), background);
  };
  return module.heavy ? unlessRateLimited(interaction, deps, route, run) : run();
}

function dispatchAutocomplete(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  const name = interaction.commandName;
  const module = name ? deps.registry.command(interaction.commandType, name) : undefined;
  const route = name ? `/${name}` : null;
  // Autocomplete accepts only type 8: with no handler, or a failing one, the user sees no suggestions.
  if (!module?.autocomplete) return { response: autocomplete([]), route, outcome: module ? "ok" : "unknown_command" };
  const handler = module.autocomplete;
  return settle(interaction, route, () => handler(new Context(interaction, deps, [])), []);
}

function dispatchCustomId(interaction: Interaction, deps: DispatchDeps): MaybePromise<Dispatched> {
  const customId = parseCustomId(interaction.customId ?? "");
  const route = `${customId.prefix}:`;
  const module = deps.registry.byPrefix(customId.prefix);
  const isModal = interaction.type === InteractionType.ModalSubmit;
  const handler = isModal ? module?.modal : module?.component;
  if (!handler) {
    return {
      response: ephemeral(
        isModal
          ? "This form belongs to a feature this bot no longer has, so nothing was saved. Run `/help` to see what I can do."
          : "This button or menu belongs to a feature this bot no longer has. Run the command again, or `/help` to see what I can do.",
      ),
      route,
      outcome: "unknown_component",
    };
  }
  const run = (): MaybePromise<Dispatched> => {
    const background: BackgroundTask[] = [];
    const ctx = new Context(interaction, deps, background);
    const handle = isModal
      ? () => module!.modal!(Object.assign(ctx, { customId, fields: modalFields(interaction.data?.components) }))
      : () => module!.component!(Object.assign(ctx, { customId, values: selectValues(interaction.data?.values) }));
    return settle(interaction, route, handle, background);
  };
  return module!.heavy ? unlessRateLimited(interaction, deps, route, run) : run();
}

/**
 * Per-user limit on heavy modules, checked before the handler runs. The binding is a local, in-location
 * counter (no network round trip), so it is cheap enough for the 3-second path. If it fails, the request
 * goes through: a limiter outage must not take the command down with it.
 */
async function unlessRateLimited(
  interaction: Interaction,
  deps: DispatchDeps,
  route: string | null,
  run: () => MaybePromise<Dispatched>,
): Promise<Dispatched> {
  const limiter = deps.env.HEAVY_LIMITER;
  const userId = interaction.user?.id;
  if (!limiter || !userId) return run();
  let allowed: boolean;
  try {
    allowed = (await limiter.limit({ key: userId })).success;
  } catch {
    allowed = true;
  }
  if (allowed) return run();
  const period = Number(deps.env.HEAVY_LIMIT_PERIOD_SECONDS) || 60;
  return {
    response: ephemeral(`You're using \`${route}\` faster than I can keep up. Please try again in about ${period} seconds.`),
    route,
    outcome: "rate_limited",
  };
}

/**
 * Runs a handler and turns whatever happens into a Dispatched: the one place handler failures are caught.
 * Synchronous when the handler is.
 */
function settle(
  interaction: Interaction,
  route: string | null,
  run: () => MaybePromise<HandlerResult>,
  background: readonly BackgroundTask[],
): MaybePromise<Dispatched> {
  let returned: MaybePromise<HandlerResult>;
  try {
    returned = run();
  } catch (error) {
    return failed(interaction, route, "handler_error", error);
  }
  if (returned instanceof Promise) {
    return returned.then(
      (result) => settled(interaction, route, result, background),
      (error: unknown) => failed(interaction, route, "handler_error", error),
    );
  }
  return settled(interaction, route, returned, background);
}

/** A handler or routing failure: an ephemeral sentence (no suggestions for autocomplete) with a reference id. */
function failed(interaction: Interaction, route: string | null, outcome: "handler_error" | "invalid_response", error: unknown): Dispatched {
  const ref = newReference();
  const response = interaction.type === InteractionType.Autocomplete ? autocomplete([]) : failureMessage(route, ref);
  return { response, route, outcome, ref, error };
}

function settled(interaction: Interaction, route: string | null, result: HandlerResult, background: readonly BackgroundTask[]): Dispatched {
  if (isDeferred(result)) {
    const response = result.update && interaction.type !== InteractionType.Command ? deferUpdate() : deferReply({ ephemeral: result.ephemeral });
    return { response, deferred: result, background, route, outcome: "deferred" };
  }
  const problem = validateResponse(result, interaction.type);
  if (problem) return failed(interaction, route, "invalid_response", new Error(`dispatch(${route}): ${problem}`));
  return { response: result, background, route, outcome: "ok" };
}

function failureMessage(route: string | null, ref: string): APIInteractionResponse {
  const what = route?.startsWith("/") ? `\`${route}\`` : "that";
  return ephemeral(`Something went wrong while running ${what}. It has been logged with reference \`${ref}\`; please try again, and mention the reference if it keeps happening.`);
}

/** Text inputs arrive in action rows (legacy) or in Label components (current); read both. */
function modalFields(components: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > 4 || !isObject(node)) return;
    if (typeof node.custom_id === "string") {
      if (typeof node.value === "string") fields.set(node.custom_id, node.value);
      else if (Array.isArray(node.values)) fields.set(node.custom_id, node.values.filter((v) => typeof v === "string").join(","));
    }
    if (Array.isArray(node.components)) for (const child of node.components) visit(child, depth + 1);
    if (node.component !== undefined) visit(node.component, depth + 1);
  };
  if (Array.isArray(components)) for (const component of components) visit(component, 0);
  return fields;
}

function selectValues(values: unknown): string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
}
