// Application command routes: bulk overwrite (PUT), list (GET), upsert (POST), and per-command GET/PATCH/DELETE,
// globally and per guild. A bulk overwrite keeps the id of a command whose type and name survive, and gives a new
// version to any command whose definition changed, as Discord does.

import { SPEC_OPERATIONS, type SpecOperation } from "../conformance.ts";
import { invalidFormBody, unknownCommand } from "../errors.ts";
import { validateCommand, validateCommandSet } from "../commands.ts";
import type { Route, RouteContext } from "../router.ts";
import { snowflake } from "../snowflake.ts";
import type { EmulatorState, StoredCommand } from "../state.ts";

const BUCKET = { limit: 5, windowMs: 20_000 };
const SERVER_FIELDS = new Set(["id", "application_id", "version", "guild_id"]);

function list(state: EmulatorState, guildId: string | undefined): StoredCommand[] {
  if (guildId === undefined) return state.commands.global;
  let commands = state.commands.guilds.get(guildId);
  if (!commands) state.commands.guilds.set(guildId, (commands = []));
  return commands;
}

function replaceList(state: EmulatorState, guildId: string | undefined, commands: StoredCommand[]): void {
  if (guildId === undefined) state.commands.global = commands;
  else state.commands.guilds.set(guildId, commands);
}

const definitionOf = (command: Record<string, unknown>) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(command)
        .filter(([k]) => !SERVER_FIELDS.has(k))
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
  );

/** The stored form: what Discord returns, with its defaults filled in. */
function store(
  state: EmulatorState,
  input: Record<string, unknown>,
  guildId: string | undefined,
  previous?: StoredCommand,
): StoredCommand {
  const type = (input.type as number | undefined) ?? 1;
  const command: StoredCommand = {
    ...input,
    id: previous?.id ?? snowflake(),
    application_id: state.applicationId,
    version: "",
    type,
    name: input.name as string,
    description: (input.description as string | undefined) ?? "",
    default_member_permissions:
      input.default_member_permissions === undefined || input.default_member_permissions === null
        ? null
        : String(input.default_member_permissions),
    nsfw: input.nsfw ?? false,
  };
  if (guildId !== undefined) {
    // Discord keeps install types and contexts for global commands only; a guild command has neither.
    command.guild_id = guildId;
    delete command.contexts;
    delete command.integration_types;
  } else {
    command.contexts = input.contexts ?? null;
    command.integration_types = input.integration_types ?? [0];
  }
  command.name_localizations = input.name_localizations ?? null;
  if (type === 1) command.description_localizations = input.description_localizations ?? null;
  const unchanged = previous !== undefined && definitionOf(previous) === definitionOf(command);
  command.version = unchanged ? previous.version : snowflake();
  return command;
}

/**
 * The list as GET returns it: with `?with_localizations=true` the full name/description dictionaries (what
 * `npm run register -- --check` compares); without, Discord leaves them out (it would send the requester's
 * `name_localized` instead, which the emulator has no locale for).
 */
function listed(ctx: RouteContext): Response {
  const commands = list(ctx.state, ctx.params.guild);
  if (ctx.url.searchParams.get("with_localizations") === "true") return Response.json(commands);
  return Response.json(commands.map((command) => withoutLocalizations(command) as StoredCommand));
}

function withoutLocalizations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocalizations);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.endsWith("_localizations"))
      .map(([key, v]) => [key, withoutLocalizations(v)]),
  );
}

const badBody = () =>
  invalidFormBody([
    {
      path: "",
      code: "BASE_TYPE_LIST",
      message: "emulator(commands): the body must be a JSON array of command objects",
    },
  ]);

function bulkOverwrite(ctx: RouteContext): Response {
  const body = ctx.body.payload;
  if (!Array.isArray(body)) return badBody();
  const errors = body.flatMap((command, i) => validateCommand(command, String(i)));
  if (errors.length === 0) errors.push(...validateCommandSet(body as Record<string, unknown>[]));
  if (errors.length > 0) return invalidFormBody(errors);

  const guildId = ctx.params.guild;
  const before = list(ctx.state, guildId);
  const next = (body as Record<string, unknown>[]).map((input) => {
    const previous = before.find((c) => c.name === input.name && c.type === ((input.type as number | undefined) ?? 1));
    return store(ctx.state, input, guildId, previous);
  });
  replaceList(ctx.state, guildId, next);
  ctx.log({
    event: "emulator.commands.overwrite",
    scope: guildId ? "guild" : "global",
    guild_id: guildId,
    count: next.length,
  });
  return Response.json(next);
}

function upsert(ctx: RouteContext): Response {
  const input = ctx.body.payload;
  const errors = validateCommand(input, "");
  if (errors.length > 0) return invalidFormBody(errors);
  const command = input as Record<string, unknown>;
  const guildId = ctx.params.guild;
  const commands = list(ctx.state, guildId);
  const index = commands.findIndex(
    (c) => c.name === command.name && c.type === ((command.type as number | undefined) ?? 1),
  );
  const stored = store(ctx.state, command, guildId, index >= 0 ? commands[index] : undefined);
  if (index >= 0) commands[index] = stored;
  else commands.push(stored);
  return Response.json(stored, { status: index >= 0 ? 200 : 201 });
}

function findById(ctx: RouteContext): { commands: StoredCommand[]; index: number } {
  const commands = list(ctx.state, ctx.params.guild);
  return { commands, index: commands.findIndex((c) => c.id === ctx.params.command) };
}

function getOne(ctx: RouteContext): Response {
  const { commands, index } = findById(ctx);
  return index < 0 ? unknownCommand() : Response.json(commands[index]);
}

function editOne(ctx: RouteContext): Response {
  const { commands, index } = findById(ctx);
  if (index < 0) return unknownCommand();
  const patch = ctx.body.payload;
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return badBody();
  const previous = commands[index]!;
  const merged = { ...previous, ...(patch as Record<string, unknown>) };
  const errors = validateCommand(merged, "");
  if (errors.length > 0) return invalidFormBody(errors);
  const stored = store(ctx.state, merged, ctx.params.guild, previous);
  commands[index] = stored;
  return Response.json(stored);
}

function deleteOne(ctx: RouteContext): Response {
  const { commands, index } = findById(ctx);
  if (index < 0) return unknownCommand();
  commands.splice(index, 1);
  return new Response(null, { status: 204 });
}

const GLOBAL = "/applications/:app/commands";
const GUILD = "/applications/:app/guilds/:guild/commands";

function routesFor(base: string, major: readonly string[]): Route[] {
  const route = (method: string, template: string, handler: Route["handler"], spec?: SpecOperation): Route => ({
    method,
    template,
    auth: true,
    bucket: BUCKET,
    major,
    handler,
    ...(spec ? { spec } : {}),
  });
  return [
    route("GET", base, listed),
    route("PUT", base, bulkOverwrite, SPEC_OPERATIONS.bulkSetCommands),
    route("POST", base, upsert, SPEC_OPERATIONS.createCommand),
    route("GET", `${base}/:command`, getOne),
    route("PATCH", `${base}/:command`, editOne, SPEC_OPERATIONS.updateCommand),
    route("DELETE", `${base}/:command`, deleteOne),
  ];
}

export const commandRoutes: Route[] = [...routesFor(GLOBAL, ["app"]), ...routesFor(GUILD, ["app", "guild"])];
