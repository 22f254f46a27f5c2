/**
 * Lookup tables over the module list, built once per isolate. Commands are keyed by (command type, name)
 * because a slash command and a context-menu command may share a name; components and modals are keyed
 * by their custom_id prefix, which is the module's command name.
 */
import type { CommandModule } from "./types.ts";

export interface Registry {
  readonly modules: readonly CommandModule[];
  command(commandType: number, name: string): CommandModule | undefined;
  byPrefix(prefix: string): CommandModule | undefined;
}

export class RegistryError extends Error {
  override readonly name = "RegistryError";
}

export function createRegistry(modules: readonly CommandModule[]): Registry {
  const commands = new Map<string, CommandModule>();
  const prefixes = new Map<string, CommandModule>();
  for (const module of modules) {
    const { name } = module.definition;
    const key = `${module.definition.type ?? 1}:${name}`;
    if (commands.has(key)) throw new RegistryError(`registry: two modules define the command "${name}" (type ${module.definition.type ?? 1})`);
    commands.set(key, module);
    if ((module.component || module.modal) && !prefixes.has(name)) prefixes.set(name, module);
  }
  return {
    modules,
    command: (commandType, name) => commands.get(`${commandType}:${name}`),
    byPrefix: (prefix) => prefixes.get(prefix),
  };
}
