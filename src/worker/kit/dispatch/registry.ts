/**
 * Lookup tables over the module list, built once per isolate. Commands are keyed by (command type, name) because
 * a slash command and a context-menu command may share a name; components and modals are keyed by their custom_id
 * prefix, which is the module's command name. Two modules claiming one key would make routing ambiguous, so that is
 * refused here, when the Worker builds the tables.
 *
 * A module's own rules are checked before it can reach a Worker: at compile time by `listModules`' types, and at
 * run time by module-checks.ts, which the tests, `npm run register` and `npm start` run on the list. What a module
 * sends is checked where it is sent: a component or modal whose custom_id reaches no handler of the right kind is
 * a handler error naming the module (routable-ids.ts).
 */
import type { Messages, Translators } from "../i18n/messages.ts";
import { createCatalogue, type ImportModule } from "../i18n/translators.ts";
import type { Middleware } from "./middleware.ts";
import type { CommandModule } from "./types.ts";

export interface Registry {
  readonly modules: readonly CommandModule[];
  /** After-steps applied to every interaction (the log line), before each module's own. */
  readonly after: readonly Middleware[];
  command(commandType: number, name: string): CommandModule | undefined;
  byPrefix(prefix: string): CommandModule | undefined;
  /** The platform's sentences merged with the bot's catalogue (`ctx.t`, `task.t`), built once. */
  readonly translator: Translators;
  /**
   * Loads the translations `locale` needs, the first time (i18n/translators.ts): the ingress and the queue consumer
   * await it before anything is worded in that language. Undefined when there is nothing to load (English).
   */
  loadTranslations(locale: string | null | undefined): Promise<void> | undefined;
}

export interface RegistryOptions {
  /** After-steps applied to every interaction (the log line), before each module's own. */
  readonly after?: readonly Middleware[];
  /** The bot's message catalogue (`defineMessages`), merged with the platform's own sentences. */
  readonly messages?: Messages;
  /**
   * How the Worker loads its translations (the platform's and the bot's): src/worker/import-module.ts. Without it,
   * every user reads English, and each language's first interaction logs why.
   */
  readonly importModule?: ImportModule;
}

export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

/** What listModules requires of a definition at compile time: the install and context fields. */
interface Installable {
  readonly definition: { readonly integration_types: readonly number[]; readonly contexts: readonly number[] };
}

type KnownExport = "definition" | "command" | "subcommands" | "autocomplete" | "component" | "modal" | "jobs" | "use";

/**
 * The one list of modules, checked at compile time: an export name the dispatcher would never call, or a
 * definition without `integration_types` and `contexts`, is an error on that module's line. The run-time checks
 * (module-checks.ts) stay out of the Worker: they can only fail on a code change, so the tests and the scripts
 * that load the list run them, and no isolate pays for them at every cold start.
 */
export function listModules<const M extends readonly object[]>(
  ...modules: {
    readonly [I in keyof M]: M[I] &
      CommandModule &
      Installable & { readonly [K in Exclude<keyof M[I], KnownExport>]: never };
  }
): readonly CommandModule[] {
  return modules as unknown as readonly CommandModule[];
}

export function createRegistry(modules: readonly CommandModule[], options: RegistryOptions = {}): Registry {
  const commands = new Map<string, CommandModule>();
  const prefixes = new Map<string, CommandModule>();
  modules.forEach((module) => {
    const { name } = module.definition;
    const key = `${module.definition.type ?? 1}:${name}`;
    if (commands.has(key))
      throw new RegistryError(
        `registry: two modules define the command "${name}" (type ${module.definition.type ?? 1})`,
      );
    commands.set(key, module);
    if (module.component || module.modal) {
      if (name.includes(":"))
        throw new RegistryError(
          `registry: the module for "${name}" has components, so its name is their custom_id prefix and may not contain ":"`,
        );
      if (prefixes.has(name))
        throw new RegistryError(
          `registry: two modules named "${name}" both handle components; their custom_ids would collide`,
        );
      prefixes.set(name, module);
    }
  });
  const catalogue = createCatalogue(options.messages, options.importModule);
  return {
    modules,
    after: options.after ?? [],
    command: (commandType, name) => commands.get(`${commandType}:${name}`),
    byPrefix: (prefix) => prefixes.get(prefix),
    translator: catalogue.translator,
    loadTranslations: catalogue.load,
  };
}
