/**
 * The test kit: a command module (or several) served by the real platform inside workerd, a Discord emulator on the
 * other side, typed builders for every interaction Discord sends, and what the user saw, in Discord's order.
 *
 *   const bot = testBot(roll);                                   // installs the emulator per test
 *   const run = await bot.command(roll, { sides: 20 });          // options typed from roll.definition
 *   expect(run.reply?.content).toMatch(/^🎲 \d+$/);
 *   const again = await bot.click(run, "Again");                 // the button with that label, on that message
 *
 * Each interaction is issued by the emulator (as Discord builds it: ids, member or user, contexts, entitlements,
 * the target of a context menu), signed, sent to the platform's ingress with the test's env, and its HTTP answer is
 * checked against Discord's API description and recorded as the interaction's initial response; the call returns
 * once the Worker's waitUntil work (jobs, follow-ups, the final edit) is done. Every body the Worker sent Discord is
 * checked against the description by the emulator (test/support/spec.ts fails the test otherwise).
 *
 * Here, not in src/worker/kit/: it runs only in the test pool (vitest, cloudflare:test, the emulator, the spec
 * checker) and must never reach the Worker's bundle; the kit's door stays what the deployed Worker runs.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach } from "vitest";
import { messages } from "../../src/worker/app/i18n/messages.ts";
import { importModule } from "../../src/worker/import-module.ts";
import {
  createRegistry,
  defineMiddleware,
  type AfterEvent,
  type CommandModule,
  type Middleware,
} from "../../src/worker/kit/index.ts";
import type { OptionsOf, SubcommandOptionsOf, SubcommandPath } from "../../src/worker/kit/dispatch/definitions.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { createDiscordEmulator, type DiscordEmulator, type StoredMessage } from "../../src/emulator/core.ts";
import type { BuildInteractionOptions, InteractionPayload } from "../../src/emulator/signed-interactions.ts";
import { buildSubmission, type Fill } from "../../src/emulator/modal-submission.ts";
import { resolveModalSubmit } from "../../src/emulator/modal-submit.ts";
import { routeOutbound, type Handler } from "./outbound.worker.ts";
import { conforming, signedRequest } from "./interactions.worker.ts";

/** Where and how the interaction happens. Default: in a server channel, through the server's install, in English. */
export interface Where {
  /** "server" (default), "dm" (the user's DM with the bot) or "group-dm" (a group DM the bot is not in). */
  readonly in?: "server" | "dm" | "group-dm";
  /** Which install authorised it: the server's (default in a server) or the user's (default, and only, outside). */
  readonly install?: "server" | "user";
  readonly locale?: string;
  /** The invoker; default the emulator's Tester (1000000000000000003). */
  readonly user?: { readonly id: string; readonly username?: string };
  /** The member's permissions in a server, as Discord's bitfield string (e.g. "8" for Administrator). */
  readonly permissions?: string;
  /** Entitlements the interaction carries (monetised apps). */
  readonly entitlements?: readonly unknown[];
}

/** A test's value for an option: what the user types or picks. Users, roles, channels by id; a file by its facts. */
type InputOf<V> = V extends string | number | boolean ? V : V extends { readonly filename: string } ? TestFile : string;
interface TestFile {
  readonly filename: string;
  readonly size?: number;
  readonly contentType?: string;
  readonly url?: string;
}
type Inputs<O> = { readonly [K in keyof O]: InputOf<NonNullable<O[K]>> };

/** A test's value for a modal field: text, a list of options, a checkbox's state, or files for an upload. */
export type ModalValue = string | readonly string[] | boolean | TestFile | readonly TestFile[];
const isTestFile = (value: unknown): value is TestFile =>
  typeof value === "object" && value !== null && "filename" in value;
/** A module's options as a test gives them, typed from its definition: `{ sides: 20 }`, a typo does not compile. */
export type CommandInput<M extends CommandModule> = Inputs<OptionsOf<M["definition"]>>;
export type SubcommandInput<M extends CommandModule, P extends string> = Inputs<
  SubcommandOptionsOf<M["definition"], P>
>;
/** Where autocomplete is typed: a command's option, or a subcommand's as "<path> <option>" ("set what"). */
export type AutocompleteTarget<M extends CommandModule> =
  | (keyof CommandInput<M> & string)
  | {
      [P in SubcommandPath<M["definition"]>]: `${P} ${keyof SubcommandInput<M, P> & string}`;
    }[SubcommandPath<M["definition"]>];
/** The options already filled beside the one being typed, typed for that command or subcommand. */
type FilledFor<M extends CommandModule, T> = T extends keyof CommandInput<M>
  ? Partial<CommandInput<M>>
  : {
      [P in SubcommandPath<M["definition"]>]: T extends `${P} ${string}` ? Partial<SubcommandInput<M, P>> : never;
    }[SubcommandPath<M["definition"]>];

/** A message as Discord shows it (content, embeds, components, flags …). */
export type Message = {
  readonly content?: string;
  readonly components?: readonly any[];
  readonly embeds?: readonly any[];
  readonly flags?: number;
  readonly [field: string]: any;
};

/** One interaction and everything that followed it. */
export interface Exchange {
  readonly payload: InteractionPayload;
  /** The Worker's HTTP answer (already checked against Discord's API description). */
  readonly response: { readonly type: number; readonly data?: Message };
  /** Type 4: the message answered at once; type 7: the component's message as updated. */
  readonly reply?: Message;
  /** Type 5 ("thinking…"; ephemeral when flags say so) or 6 (a component's deferred update). */
  readonly deferred?: { readonly update: boolean; readonly ephemeral: boolean };
  /** Type 9: the form the user sees. */
  readonly modal?: { readonly custom_id: string; readonly title: string; readonly components: readonly any[] };
  /** Type 8: autocomplete choices. */
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[];
  /** Each edit of @original the Worker made (its JSON body), in order: progress edits, then the final edit. */
  readonly edits: readonly Message[];
  /** The last edit of @original: a deferred job's result (or its readable error). */
  readonly finalEdit?: Message;
  /** The follow-up messages, in the order Discord received them, as they stand now. */
  readonly followUps: readonly StoredMessage[];
  /**
   * What Discord received for this interaction, in its order: the HTTP answer ("reply", "deferred", "deferred update",
   * "update", "modal", "choices", "launch activity"), then each call that succeeded ("edit original", "follow-up",
   * "edit follow-up", "delete follow-up", "delete original"). Retries that failed are not steps; `discord.calls()` has them.
   */
  readonly steps: readonly string[];
  /** The dispatcher's outcome ("ok", "deferred", "handler_error", a middleware's own …) and the error behind a failure. */
  readonly outcome: string;
  readonly error?: unknown;
}

export interface TestBotOptions {
  /** Bindings and vars over the test pool's env (default: the per-user limiter off, HEAVY_LIMITER: undefined). */
  readonly env?: Record<string, unknown>;
  /** After-steps for every interaction (the entry's is the log line). */
  readonly after?: readonly Middleware[];
  /** More hosts the Worker may call (a scripted backend), besides Discord's. */
  readonly outbound?: Record<string, Handler>;
}

const ANSWERS: Record<number, string> = {
  1: "pong",
  4: "reply",
  5: "deferred",
  6: "deferred update",
  7: "update",
  8: "choices",
  9: "modal",
  12: "launch activity",
};

function stepOf(method: string, path: string): string | null {
  if (/\/callback$/.test(path)) return "callback";
  if (path.endsWith("/messages/@original"))
    return method === "PATCH" ? "edit original" : method === "DELETE" ? "delete original" : null;
  if (/\/messages\/\d+$/.test(path))
    return method === "PATCH" ? "edit follow-up" : method === "DELETE" ? "delete follow-up" : null;
  return method === "POST" ? "follow-up" : null;
}

/** Discord's option type for each option name of a definition's (sub)command. */
function optionTypes(options: readonly any[] | undefined): Map<string, number> {
  return new Map((options ?? []).map((option) => [option.name as string, option.type as number]));
}

function buildOptions(types: Map<string, number>, input: Record<string, unknown>, inGuild: boolean) {
  const options: unknown[] = [];
  const resolved: Record<string, Record<string, unknown>> = {};
  const put = (table: string, id: string, value: unknown) => ((resolved[table] ??= {})[id] = value);
  let seq = 0;
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const type = types.get(name);
    if (type === undefined)
      throw new Error(
        `testBot: the definition has no option "${name}" (it has ${[...types.keys()].join(", ") || "none"})`,
      );
    if (type === 11) {
      const file = value as TestFile;
      const id = `90000000000000${String(seq++).padStart(4, "0")}`;
      put("attachments", id, {
        id,
        filename: file.filename,
        size: file.size ?? 100,
        url: file.url ?? `https://cdn.discordapp.com/attachments/1/${id}/${file.filename}`,
        proxy_url: `https://media.discordapp.net/attachments/1/${id}/${file.filename}`,
        ...(file.contentType ? { content_type: file.contentType } : {}),
      });
      options.push({ type, name, value: id });
      continue;
    }
    if (type === 6 || type === 9) {
      const id = String(value);
      put("users", id, { id, username: `user${id.slice(-4)}`, discriminator: "0", global_name: null, avatar: null });
      if (inGuild)
        put("members", id, { roles: [], joined_at: "2026-01-01T00:00:00.000Z", permissions: "0", nick: null });
    } else if (type === 7)
      put("channels", String(value), { id: String(value), type: 0, name: "general", permissions: "0" });
    else if (type === 8)
      put("roles", String(value), {
        id: String(value),
        name: "role",
        color: 0,
        hoist: false,
        position: 1,
        permissions: "0",
        managed: false,
        mentionable: true,
      });
    options.push({ type, name, value });
  }
  return { options, resolved };
}

function where(at: Where = {}): Partial<BuildInteractionOptions> {
  const context = at.in === "dm" ? 1 : at.in === "group-dm" ? 2 : 0;
  return {
    context,
    ...(context !== 0 ? { guildId: null } : {}),
    ...(at.install ? { integrationType: at.install === "user" ? 1 : 0 } : {}),
    ...(at.locale ? { locale: at.locale } : {}),
    ...(at.user ? { user: at.user } : {}),
    ...(at.permissions ? { member: { permissions: at.permissions } } : {}),
    ...(at.entitlements ? { entitlements: [...at.entitlements] } : {}),
  };
}

/** A definition's options, whatever its kind (a context-menu command has none). */
const optionsOf = (module: CommandModule): readonly any[] | undefined =>
  (module.definition as { options?: readonly any[] }).options;

/** Every component in a message's rows (and V2 containers), flattened. */
function componentsOf(message: Message | undefined): any[] {
  const out: any[] = [];
  const walk = (list: readonly any[] | undefined) => {
    for (const c of list ?? []) {
      out.push(c);
      walk(c.components);
      if (c.accessory) walk([c.accessory]);
      if (c.component) walk([c.component]);
    }
  };
  walk(message?.components);
  return out;
}

export function testBot(modules: CommandModule | readonly CommandModule[], options: TestBotOptions = {}) {
  const list = Array.isArray(modules) ? (modules as readonly CommandModule[]) : [modules as CommandModule];
  // What the dispatcher decided for each interaction, by id: a handler's mistake is reported by its sentence.
  const decided = new Map<string, AfterEvent["dispatched"]>();
  const record = defineMiddleware({
    name: "test-kit",
    after: ({ interaction, dispatched }) => void decided.set(interaction.id, dispatched),
  });
  const registry = createRegistry(list, { messages, importModule, after: [record, ...(options.after ?? [])] });
  const workerEnv = { ...env, HEAVY_LIMITER: undefined, ...options.env };
  let discord: DiscordEmulator | undefined;
  beforeEach(() => {
    discord = createDiscordEmulator();
    const emulator = discord;
    routeOutbound({ "discord.test": (request) => emulator.fetch(request), ...options.outbound });
  });
  afterEach(() => discord?.close());
  const emulator = () => {
    if (!discord)
      throw new Error("testBot: interactions are sent from a test (it/beforeEach), where the emulator runs");
    return discord;
  };

  async function send(build: BuildInteractionOptions | InteractionPayload, raw = false): Promise<Exchange> {
    const d = emulator();
    const payload = raw ? (build as InteractionPayload) : d.issueInteraction(build as BuildInteractionOptions);
    if (raw) d.registerInteraction(payload);
    const ctx = createExecutionContext();
    const http = await conforming(
      await handleInteractionRequest(
        (await signedRequest(JSON.stringify(payload))) as never,
        workerEnv as never,
        ctx,
        registry,
      ),
    );
    if (http.status !== 200) throw new Error(`testBot: the Worker answered ${http.status}: ${await http.text()}`);
    const response = (await http.json()) as Exchange["response"];
    // A module that answers something Discord would refuse (a custom_id no module routes, a job it does not export, a
    // bare deferral…) is a mistake in the module under test: fail with the dispatcher's sentence, which names it.
    const dispatched = decided.get(payload.id);
    if (dispatched?.outcome === "invalid_response")
      throw new Error(
        `testBot: ${dispatched.error instanceof Error ? dispatched.error.message : String(dispatched.error)}`,
      );
    const recorded = await d.recordInlineResponse(payload.token, response);
    if (!recorded.ok)
      throw new Error(
        `testBot: Discord would refuse this answer (${recorded.status}): ${JSON.stringify(recorded.error)}`,
      );
    await waitOnExecutionContext(ctx);
    return exchange(d, payload, response, decided.get(payload.id));
  }

  function exchange(
    d: DiscordEmulator,
    payload: InteractionPayload,
    response: Exchange["response"],
    dispatched: AfterEvent["dispatched"] | undefined,
  ): Exchange {
    const calls = d
      .calls()
      .filter((call) => call.path.includes(payload.token) && call.status !== null && call.status < 300);
    const steps = [
      ANSWERS[response.type] ?? `type ${response.type}`,
      ...calls.map((call) => stepOf(call.method, call.path)).filter((step): step is string => step !== null),
    ];
    const edits = calls
      .filter((call) => call.method === "PATCH" && call.path.endsWith("/messages/@original"))
      .map((call) => (call.body as { json?: Message }).json ?? {});
    const followUps = (d.conversation(payload.token)?.messages ?? []).filter((message) => message.role === "followup");
    const ephemeral = ((response.data?.flags ?? 0) & 64) !== 0;
    return {
      payload,
      response,
      ...(response.type === 4 || response.type === 7 ? { reply: response.data ?? {} } : {}),
      ...(response.type === 5 || response.type === 6 ? { deferred: { update: response.type === 6, ephemeral } } : {}),
      ...(response.type === 9 ? { modal: response.data as Exchange["modal"] } : {}),
      ...(response.type === 8 ? { choices: (response.data as { choices: Exchange["choices"] }).choices } : {}),
      edits,
      ...(edits.length > 0 ? { finalEdit: edits[edits.length - 1] } : {}),
      followUps,
      steps,
      outcome: dispatched?.outcome ?? "unknown",
      ...(dispatched?.error !== undefined ? { error: dispatched.error } : {}),
    };
  }

  /** The message a component is on: the reply, else the message as the last edit left it. */
  const messageOf = (from: Exchange): Message => from.reply ?? from.finalEdit ?? {};
  const withId = (from: Exchange, message: Message) => ({
    id: "1000000000000000042",
    channel_id: from.payload.channel_id,
    type: 0,
    flags: 0,
    timestamp: "2026-01-01T00:00:00.000Z",
    ...message,
  });

  return {
    /** The emulated Discord of the current test: `calls()`, `faults`, `messagesFor(token)`. */
    get discord(): DiscordEmulator {
      return emulator();
    },
    /** A payload built by hand (a stale registration, a malformed interaction), sent as it is. */
    sendRaw(payload: Record<string, unknown>): Promise<Exchange> {
      return send(payload as unknown as InteractionPayload, true);
    },
    /** A slash command with its options, typed from the module's definition. */
    command<M extends CommandModule>(module: M, input?: CommandInput<M>, at?: Where): Promise<Exchange> {
      const inGuild = (at?.in ?? "server") === "server";
      const { options, resolved } = buildOptions(
        optionTypes(optionsOf(module)),
        (input ?? {}) as Record<string, unknown>,
        inGuild,
      );
      return send({
        type: 2,
        data: { name: module.definition.name, type: 1, options, ...(Object.keys(resolved).length ? { resolved } : {}) },
        ...where(at),
      });
    },
    /**
     * A subcommand ("stats", or "config set" in a group) with its options, typed from the definition. `const P`: the
     * path is taken as written; otherwise `{}` for a subcommand without options was checked against every path's.
     */
    subcommand<M extends CommandModule, const P extends SubcommandPath<M["definition"]>>(
      module: M,
      path: P,
      input?: SubcommandInput<M, P>,
      at?: Where,
    ): Promise<Exchange> {
      const [first, second] = (path as string).split(" ") as [string, string | undefined];
      const top = optionsOf(module) ?? [];
      const group = second ? top.find((o) => o.name === first) : undefined;
      const sub = ((group ? group.options : top) as readonly any[]).find((o) => o.name === (second ?? first));
      const { options, resolved } = buildOptions(
        optionTypes(sub?.options),
        (input ?? {}) as Record<string, unknown>,
        (at?.in ?? "server") === "server",
      );
      const leaf = { type: 1, name: second ?? first, options };
      return send({
        type: 2,
        data: {
          name: module.definition.name,
          type: 1,
          options: [group ? { type: 2, name: first, options: [leaf] } : leaf],
          ...(Object.keys(resolved).length ? { resolved } : {}),
        },
        ...where(at),
      });
    },
    /**
     * What autocomplete asks while the user types `value` into `option` (other options already filled): an option of
     * the command, or of a subcommand by its path ("set what", "config set level"), nested as Discord nests it.
     */
    async autocomplete<M extends CommandModule, T extends AutocompleteTarget<M>>(
      module: M,
      option: T,
      value: string,
      filled: FilledFor<M, T> = {} as FilledFor<M, T>,
      at?: Where,
    ): Promise<Exchange> {
      const words = (option as string).split(" ");
      const name = words.pop()!;
      const [first, second] = words as [string | undefined, string | undefined];
      const top = optionsOf(module) ?? [];
      const group = second ? top.find((o) => o.name === first) : undefined;
      const sub = first
        ? ((group ? group.options : top) as readonly any[]).find((o) => o.name === (second ?? first))
        : undefined;
      if (first && !sub) throw new Error(`testBot: ${module.definition.name} has no subcommand "${words.join(" ")}"`);
      const types = optionTypes(first ? sub.options : top);
      if (!types.has(name))
        throw new Error(
          `testBot: ${[module.definition.name, ...words].join(" ")} has no option "${name}" (it has ${[...types.keys()].join(", ") || "none"})`,
        );
      const { options } = buildOptions(types, filled as Record<string, unknown>, true);
      const focusedList = [...options, { type: types.get(name) ?? 3, name, value, focused: true }];
      const leaf = first ? [{ type: 1, name: second ?? first, options: focusedList }] : focusedList;
      return send({
        type: 4,
        data: {
          name: module.definition.name,
          type: 1,
          options: group ? [{ type: 2, name: first, options: leaf }] : leaf,
        },
        ...where(at),
      });
    },
    /** A user command (right-click a member → Apps) on `targetId` (default: the emulator's Tester). */
    userCommand(module: CommandModule, targetId = "1000000000000000003", at?: Where): Promise<Exchange> {
      return send({ type: 2, data: { name: module.definition.name, type: 2, target_id: targetId }, ...where(at) });
    },
    /** A message command on a message someone posts first (`content`), as in the channel. */
    async messageCommand(module: CommandModule, content: string, at?: Where): Promise<Exchange> {
      const posted = emulator().postMessage({ content });
      if (!posted.ok) throw new Error(`testBot: could not post the target message: ${posted.error}`);
      return send({
        type: 2,
        data: { name: module.definition.name, type: 3, target_id: posted.message.id },
        ...where(at),
      });
    },
    /** A click on a button: by its label on the message an exchange left, or by a custom_id. */
    async click(on: Exchange | string, label?: string, at?: Where): Promise<Exchange> {
      if (typeof on === "string")
        return send({
          type: 3,
          data: { custom_id: on, component_type: 2 },
          message: { id: "1000000000000000042", content: "", flags: 0 },
          ...where(at),
        });
      const message = messageOf(on);
      const buttons = componentsOf(message).filter((c) => c.type === 2);
      const button = buttons.find((c) => c.label === label);
      if (!button?.custom_id)
        throw new Error(
          `testBot: no button "${label}" on that message (its buttons: ${buttons.map((b) => JSON.stringify(b.label)).join(", ") || "none"})`,
        );
      return send({
        type: 3,
        data: { custom_id: button.custom_id, component_type: 2 },
        message: withId(on, message),
        ...where(at),
      });
    },
    /** A pick in a string select (by custom_id, or the first select on the message an exchange left). */
    async select(on: Exchange | string, values: readonly string[], at?: Where): Promise<Exchange> {
      const message = typeof on === "string" ? undefined : messageOf(on);
      const customId = typeof on === "string" ? on : componentsOf(message).find((c) => c.type === 3)?.custom_id;
      if (!customId) throw new Error("testBot: no string select on that message");
      return send({
        type: 3,
        data: { custom_id: customId, component_type: 3, values: [...values] },
        message: typeof on === "string" ? { id: "1000000000000000042", content: "", flags: 0 } : withId(on, message!),
        ...where(at),
      });
    },
    /**
     * Submits the form an exchange opened, as Discord's client does (src/emulator/modal-submission.ts): fields by
     * label or custom_id; text for a text input or a radio group, a list for a select or a checkbox group (option
     * labels or values), true/false for a checkbox, a file (or files) for an upload, which the emulator hosts and
     * resolves. A field the form lacks, an option it does not offer or a required field left empty fails the test,
     * naming it. Given a custom_id instead of an exchange: a string fills a text input, an array a string select.
     */
    async submit(form: Exchange | string, fields: Readonly<Record<string, ModalValue>>, at?: Where): Promise<Exchange> {
      if (typeof form !== "string" && form.modal) {
        const d = emulator();
        // Files are uploaded first, as Discord's client does; the field carries their attachment ids.
        const upload = (file: TestFile): string => {
          const stored = d.upload(
            { filename: file.filename, contentType: file.contentType, bytes: new Uint8Array(file.size ?? 100) },
            "https://discord.test",
          );
          if (!stored.ok) throw new Error(`testBot: ${stored.error}`);
          return stored.attachment.id;
        };
        const fills = new Map<string, Fill>();
        for (const [name, value] of Object.entries(fields)) {
          const files = isTestFile(value) ? [value] : Array.isArray(value) && value.some(isTestFile) ? value : null;
          fills.set(name, files ? (files as readonly TestFile[]).map(upload) : (value as Fill));
        }
        const data = await buildSubmission(form.modal, fills).catch((error: Error) => {
          throw new Error(`testBot: ${error.message}`);
        });
        return send({ type: 5, data: resolveModalSubmit(d.state, data), ...where(at) });
      }
      const customId = typeof form === "string" ? form : undefined;
      if (!customId)
        throw new Error(
          `testBot: that exchange opened no modal (its answer was type ${typeof form === "string" ? "?" : form.response.type})`,
        );
      const components = Object.entries(fields).map(([id, value]) => ({
        type: 18,
        id: 0,
        component:
          typeof value === "string"
            ? { type: 4, id: 0, custom_id: id, value }
            : { type: 3, id: 0, custom_id: id, values: [...(value as readonly string[])] },
      }));
      return send({ type: 5, data: { custom_id: customId, components }, ...where(at) });
    },
  };
}
