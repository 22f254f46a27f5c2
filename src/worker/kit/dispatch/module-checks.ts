/**
 * The run-time half of "a module is checked when it is listed" (the compile-time half is `listModules`' types):
 * an export the dispatcher would never call (`autoComplete`), a job that is not a job, a definition Discord would
 * refuse — each is a RegistryError naming the module. The tests run it on the real list (commands.test.ts), and
 * `npm run register` and `npm start` run it whenever they load the list (scripts/lib/definitions.ts), so a bad
 * module stops there, with a sentence, before it is registered or deployed. The Worker does not import this file:
 * these checks can only fail on a code change, so running them in every isolate would cost each cold start for
 * nothing (and the bundle ≈ 1.2 KB gzip).
 */
import { fileTypesProblem } from "../discord/file-types.ts";
import { RegistryError } from "./registry.ts";
import type { CommandModule } from "./types.ts";

/** Every check on every module of a list, in order: the first problem throws, naming its module. */
export function checkModules(modules: readonly CommandModule[]): void {
  modules.forEach((module, index) => {
    checkModule(module, index);
    checkInstallFields(module, index);
  });
  // Discord keeps one Entry Point command per app.
  const entryPoints = modules.filter((m) => (m.definition as { type?: number }).type === 4);
  if (entryPoints.length > 1)
    throw new RegistryError(
      `registry: ${entryPoints.length} Entry Point commands (${entryPoints.map((m) => m.definition.name).join(", ")}); an app has at most one`,
    );
}

const KNOWN_EXPORTS = new Set([
  "definition",
  "command",
  "subcommands",
  "autocomplete",
  "component",
  "modal",
  "jobs",
  "use",
]);
const FUNCTIONS = ["command", "autocomplete", "component", "modal"] as const;
// Discord's rules for names: slash commands lower-case without spaces; context-menu names free text.
const SLASH_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function label(module: CommandModule, index: number): string {
  const name = (module as { definition?: { name?: unknown } }).definition?.name;
  return typeof name === "string" ? `the module for "${name}"` : `module #${index + 1} in the list`;
}

/** Throws RegistryError, naming the module, for anything listed that the dispatcher could not serve as written. */
export function checkModule(module: CommandModule, index = 0): void {
  const where = label(module, index);
  const fail = (problem: string): never => {
    throw new RegistryError(`registry: ${where}: ${problem}`);
  };
  const definition = module.definition as unknown as Record<string, unknown> | undefined;
  if (typeof definition !== "object" || definition === null) fail("exports no `definition`");
  for (const key of Object.keys(module)) {
    if (!KNOWN_EXPORTS.has(key))
      fail(
        `exports \`${key}\`, which nothing calls; the names a module may export are ${[...KNOWN_EXPORTS].join(", ")}`,
      );
  }
  for (const key of FUNCTIONS) {
    if (module[key] !== undefined && typeof module[key] !== "function") fail(`\`${key}\` must be a function`);
  }
  const type = definition!.type ?? 1;
  const name = definition!.name;
  if (typeof name !== "string" || name.length === 0 || name.length > 32)
    fail("definition.name must be 1 to 32 characters");
  if (type === 1) {
    if (!SLASH_NAME.test(name as string) || (name as string).toLowerCase() !== name)
      fail(`definition.name "${name}" must be lower-case letters, digits, - or _ (a slash command)`);
    const description = definition!.description;
    if (typeof description !== "string" || description.length < 1 || description.length > 100)
      fail("definition.description must be 1 to 100 characters");
    if (!module.command && !module.subcommands) fail("needs a `command` or `subcommands` handler");
  } else if (type === 2 || type === 3) {
    if ("description" in definition! && definition!.description) fail("a context-menu command has no description");
    if ("options" in definition! && definition!.options) fail("a context-menu command has no options");
    if (!module.command) fail("needs a `command` handler (it receives the target)");
  } else if (type === 4) {
    // Entry Point: named like a slash command, with a description, no options; APP_HANDLER needs the handler.
    if (!SLASH_NAME.test(name as string) || (name as string).toLowerCase() !== name)
      fail(`definition.name "${name}" must be lower-case letters, digits, - or _ (an Entry Point command)`);
    const description = definition!.description;
    if (typeof description !== "string" || description.length < 1 || description.length > 100)
      fail("definition.description must be 1 to 100 characters");
    if ("options" in definition! && definition!.options) fail("an Entry Point command has no options");
    if (definition!.handler !== 1 && definition!.handler !== 2)
      fail(
        "definition.handler must be 1 (the app answers: APP_HANDLER) or 2 (Discord launches the Activity: DISCORD_LAUNCH_ACTIVITY)",
      );
    if (definition!.handler === 1 && !module.command)
      fail("needs a `command` handler (handler 1: the app answers the launch, e.g. with launchActivity())");
  } else {
    fail(`definition.type ${String(type)} is not a command type (1 slash, 2 user, 3 message, 4 entry point)`);
  }
  checkLocalizations(definition!, type, fail);
  checkFileTypes(definition!.options, "definition", fail);
  if (module.subcommands !== undefined) {
    for (const [path, handler] of Object.entries(module.subcommands)) {
      if (typeof handler !== "function") fail(`subcommands["${path}"] must be a function`);
    }
  }
  if (module.jobs !== undefined) {
    for (const [jobName, job] of Object.entries(module.jobs)) {
      if (typeof job !== "object" || job === null || typeof job.run !== "function")
        fail(`jobs.${jobName} is not a job; build it with job(run)`);
    }
  }
  if (module.use !== undefined) {
    if (!Array.isArray(module.use)) fail("`use` must be an array of middleware");
    for (const step of module.use) {
      if (typeof step?.name !== "string" || (!step.before && !step.beforeJob && !step.after))
        fail("every entry of `use` must be a middleware (a name and a before, beforeJob or after step)");
    }
  }
}

/** ATTACHMENT options (at any depth) with `file_types` keep to Discord's limits (file-types.ts). */
function checkFileTypes(options: unknown, path: string, fail: (problem: string) => never): void {
  if (!Array.isArray(options)) return;
  options.forEach((option: { type?: unknown; name?: unknown; file_types?: unknown; options?: unknown }) => {
    const where = `${path}.options["${String(option.name)}"]`;
    if (option.type === 11 && option.file_types !== undefined) {
      const problem = Array.isArray(option.file_types)
        ? fileTypesProblem(option.file_types as string[])
        : "file_types must be an array";
      if (problem) fail(`${where}: ${problem}`);
    }
    checkFileTypes(option.options, where, fail);
  });
}

/** Localized names follow the default name's rules; context-menu commands have no description to localize. */
function checkLocalizations(
  definition: Record<string, unknown>,
  type: unknown,
  fail: (problem: string) => never,
): void {
  const names = (definition.name_localizations ?? {}) as Record<string, unknown>;
  for (const [locale, name] of Object.entries(names)) {
    const bad =
      typeof name !== "string" ||
      name.length === 0 ||
      name.length > 32 ||
      (type === 1 && (!SLASH_NAME.test(name) || name.toLowerCase() !== name));
    if (bad)
      fail(
        `definition.name_localizations.${locale} ${JSON.stringify(name)} must be 1 to 32 characters${type === 1 ? ", lower-case letters, digits, - or _ (a slash command)" : ""}`,
      );
  }
  const descriptions = definition.description_localizations;
  if (descriptions && type !== 1) fail("a context-menu command has no description_localizations (names only)");
  for (const [locale, text] of Object.entries((descriptions ?? {}) as Record<string, unknown>)) {
    if (typeof text !== "string" || text.length < 1 || text.length > 100)
      fail(`definition.description_localizations.${locale} must be 1 to 100 characters`);
  }
}

/**
 * Every listed command says who can install it (integration_types: 0 a server, 1 a user) and where it runs
 * (contexts: 0 a server, 1 the bot's DM, 2 a private channel). Discord's defaults (the app's settings) would
 * silently offer a server-only command in DMs, or hide a DM-friendly one; naming them makes the choice visible.
 */
export function checkInstallFields(module: CommandModule, index: number): void {
  const definition = module.definition as unknown as Record<string, unknown>;
  for (const [field, max] of [
    ["integration_types", 1],
    ["contexts", 2],
  ] as const) {
    const value = definition[field];
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.some((v) => !Number.isInteger(v) || v < 0 || v > max) ||
      new Set(value).size !== value.length
    ) {
      throw new RegistryError(
        `registry: ${label(module, index)}: definition.${field} must list where it applies (0 to ${max}, no repeats); spread EVERYWHERE or SERVER_ONLY from dispatch/definitions.ts`,
      );
    }
  }
}
