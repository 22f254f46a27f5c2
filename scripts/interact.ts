// `npm run interact -- "/chart values:3,5,2,8 kind:bar"`: the playground for a terminal. Parses the command line
// against the registered definitions, sends one interaction signed with the dev key to the running Worker (as
// Discord would), prints the Worker's answer, then follows the edits and follow-ups the emulator receives and
// saves their files. A context-menu command runs on a target: `"Chart numbers" --message "3 5 8 13"` posts the
// message in the channel first, `"User Info" --user <id>` picks a member. `--cron` runs the Worker's daily cron
// instead and prints what the bot posted. Exit 0 when the interaction ends well, 1 when it fails, 2 for a bad
// command line.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
// The emulator's modules one by one, not its barrel (core.ts): that loads the whole emulator and Discord's API
// schemas, ≈ 0.25 CPU-s of every run of this script, for nothing it uses.
import { CALLBACK_TYPES } from "../src/emulator/callback-types.ts";
import type { Conversation } from "../src/emulator/conversation.ts";
import { describeDiscordError } from "../src/emulator/errors.ts";
import { renderPost } from "../src/emulator/messages.ts";
import {
  ADMINISTRATOR,
  buildInteraction,
  buildMessageCommandInteraction,
  buildUserCommandInteraction,
  CHANNEL_OF_CONTEXT,
  CONTEXTS,
  DEFAULT_USER,
  DEFAULT_USER_ID,
  MEMBER_PERMISSIONS,
  sendInteraction,
  type InteractionContext,
  type InteractionPayload,
} from "../src/emulator/signed-interactions.ts";
import { snowflake } from "../src/emulator/snowflake.ts";
import type { StoredAttachment, StoredMessage } from "../src/emulator/state.ts";
import { applyChoice, complete, parseCommandLine, type CommandDef } from "../src/emulator/playground/command-line.ts";
import { loadDefinitions } from "./lib/definitions.ts";
import { describeMessage, describeModal } from "./lib/interact-describe.ts";
import {
  buildSubmission,
  findButton,
  findSelect,
  stepsFrom,
  StepError,
  type Shown,
  type Step,
} from "./lib/interact-steps.ts";
import { linkRoles, LinkRolesError } from "./lib/interact-linked-role.ts";
import { ModalSubmissionError } from "../src/emulator/modal-submission.ts";

const USAGE = `Usage: npm run interact -- "/command option:value …" [steps] [options]
       npm run interact -- "Message command" --message "text" [steps]
       npm run interact -- "User command" --user <user id> [steps]
       npm run interact -- [steps]          (continues the conversation of the last run)
       npm run interact -- --cron
       npm run interact -- /linked-role

Sends a command to the local Worker, signed with the dev key as Discord would sign it, prints the answer and
every edit and follow-up the bot makes (files are saved), and waits until the conversation settles: the Worker
has said it finished (its final edit and follow-ups sent), or --timeout passed, which it names. Then it runs
the steps, in the order given, each waiting the same way:

  --press <label>     press the button with that label (or custom_id) on the bot's newest message that has it
  --pick <option>[,<option>…]
                      choose in the select menu that offers these options (label or value);
                      --pick "<select>=<option>,…" names the menu (placeholder or custom_id); user, role and
                      channel menus take ids
  --fill <field>=<value>
                      fill a field of the form the bot opened (label or custom_id); choices by label, several
                      comma-separated, a checkbox true/false, a file upload a path; the form is submitted at the
                      next step that is not a --fill, or at the end
  --submit            submit the open form as it is (only needed for a form with nothing to fill)
  --complete <option>=<text>
                      before sending: type <text> into the command's autocomplete option <option> and print
                      the bot's suggestions (the command is sent only with --choose)
  --choose <choice>   take that suggestion (its name, or its number in the list) as the option's value
  --print-png         at the end, print the path of the last PNG the bot sent (one line, for scripts)
  --conversation <interaction id>
                      run the steps in that interaction's conversation (the playground's log shows the ids)
                      instead of the last run's

  --message <text>    run a message command (right-click a message → Apps): posts <text> in #general as
                      Tester first, then runs the command on that message
  --user <id>         run a user command (right-click a person → Apps) on that member: Tester is
                      ${DEFAULT_USER_ID}, the bot is its application id, or anyone who posted in the channel
  --admin             act as a member with the Administrator permission (default: a plain member)
  /linked-role        link your account as a server's Linked Roles menu would: the Worker's Verification URL,
                      Authorize on the emulated Discord page, the bot's callback; prints each step and the
                      role connection Discord then holds (npm start runs the Linked Roles Worker)
  --cron              run the Worker's daily cron instead (its scheduled handler, through the emulator): it
                      prunes old records and posts the daily report in #general; prints what the bot posted
  --dm                run it in your DM with the bot (context 1: \`user\`, no member; the user's install)
  --group-dm          run it in a group DM the bot is not in (context 2: only a user install reaches it)
  --locale <code>     the Discord client language it carries, e.g. de, fr (default en-US); the bot answers in it
  --url <url>         the Worker's interactions URL (default http://127.0.0.1:\${WORKER_PORT:-8787}/interactions);
                      another Worker must verify with the dev public key (.emulator/dev-key.json)
  --emulator <url>    the Discord emulator (default http://127.0.0.1:\${EMULATOR_PORT:-8790})
  --key <file>        the dev key (default .emulator/dev-key.json, written by npm start)
  --out <dir>         where files go (default .emulator/out/<interaction id>/)
  --timeout <s>       how long to wait for each interaction to settle (default 30)

Values run until the next " name:"; quote one that contains such text: title:"Ratio a: b".
ATTACHMENT options take a file path: /chart file:./data.csv

Examples:
  npm run interact -- "/ping"
  npm run interact -- "/chart values:3,5,2,8 kind:bar title:Sales"
  npm run interact -- "/admin stats" --admin
  npm run interact -- "/ping" --group-dm --locale de
  npm run interact -- "Chart numbers" --message "3 5 8 13"
  npm run interact -- /chart values:1,2,3 --press Bar --print-png
  npm run interact -- /feedback --fill "Your feedback=Handy" --fill Category=Idea
  npm run interact -- /help --complete command=ch --choose /chart
  npm run interact -- --press Line     (on the chart of the previous run)
  npm run interact -- --cron
  npm run interact -- /linked-role`;

const RESPONSE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(CALLBACK_TYPES).map(([name, value]) => [value, name]),
);
const POLL_MS = 150;
/** After the last change, how long to keep watching for more follow-ups. */
const SETTLE_MS = 700;

class InteractError extends Error {
  override readonly name = "InteractError";
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(`interact: ${message}`);
    this.exitCode = exitCode;
  }
}

const out = (line = "") => process.stdout.write(line + "\n");
const indent = (lines: string[], by = "  ") => lines.map((l) => by + l);

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        message: { type: "string" },
        user: { type: "string" },
        admin: { type: "boolean", default: false },
        cron: { type: "boolean", default: false },
        dm: { type: "boolean", default: false },
        "group-dm": { type: "boolean", default: false },
        locale: { type: "string" },
        url: { type: "string" },
        emulator: { type: "string" },
        key: { type: "string", default: join(".emulator", "dev-key.json") },
        out: { type: "string" },
        timeout: { type: "string", default: "30" },
        press: { type: "string", multiple: true },
        pick: { type: "string", multiple: true },
        fill: { type: "string", multiple: true },
        submit: { type: "boolean", multiple: true },
        complete: { type: "string" },
        choose: { type: "string" },
        "print-png": { type: "boolean", default: false },
        conversation: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      tokens: true,
    });
  } catch (error) {
    throw new InteractError(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE);
    return null;
  }
  const line = positionals.join(" ").trim();
  let steps: Step[];
  try {
    steps = stepsFrom(parsed.tokens ?? []);
  } catch (error) {
    throw new InteractError((error as Error).message, 2);
  }
  if (values.cron && (line || steps.length > 0))
    throw new InteractError("--cron runs the Worker's daily cron and takes no command or steps", 2);
  if (!line && !values.cron && steps.length === 0)
    throw new InteractError(`give a command to send, e.g. npm run interact -- "/ping"\n\n${USAGE}`, 2);
  if (values.complete !== undefined && !/^[\w-]+=/u.test(values.complete))
    throw new InteractError(
      `--complete takes <option>=<text typed so far>, e.g. --complete command=ch, got "${values.complete}"`,
      2,
    );
  if ((values.complete !== undefined || values.choose !== undefined) && !line.startsWith("/"))
    throw new InteractError(
      "--complete and --choose apply to a slash command's autocomplete option: give the command, e.g. /help --complete command=ch",
      2,
    );
  if (values.conversation !== undefined && (line || steps.length === 0))
    throw new InteractError(
      "--conversation <interaction id> continues that conversation with steps (--press, --pick, --fill), without a command",
      2,
    );
  if (values.choose !== undefined && values.complete === undefined)
    throw new InteractError("--choose picks one of --complete's suggestions: add --complete <option>=<text>", 2);
  if (values.message !== undefined && values.user !== undefined)
    throw new InteractError(
      "--message and --user do not combine: a message command targets a message, a user command a person",
      2,
    );
  if (values.user !== undefined && !/^\d{15,21}$/.test(values.user))
    throw new InteractError(`--user takes a user id (a snowflake such as ${DEFAULT_USER_ID}), got "${values.user}"`, 2);
  const target: Target | null =
    values.message !== undefined
      ? { kind: "message", text: values.message }
      : values.user !== undefined
        ? { kind: "user", id: values.user }
        : null;
  if (values.dm && values["group-dm"]) throw new InteractError("--dm and --group-dm do not combine: pick one place", 2);
  if (values.admin && (values.dm || values["group-dm"]))
    throw new InteractError("--admin applies in a server only: outside one there is no member and no permission", 2);
  if (values.locale !== undefined && !/^[a-z]{2}(-[A-Z0-9]{2,3})?$/.test(values.locale))
    throw new InteractError(`--locale takes a Discord locale such as de, fr or en-US, got "${values.locale}"`, 2);
  const context: InteractionContext = values["group-dm"]
    ? CONTEXTS.PRIVATE_CHANNEL
    : values.dm
      ? CONTEXTS.BOT_DM
      : CONTEXTS.GUILD;
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new InteractError(`--timeout must be a number of seconds, got "${values.timeout}"`, 2);
  const workerPort = process.env.WORKER_PORT || "8787";
  const emulatorPort = process.env.EMULATOR_PORT || "8790";
  let url = values.url ?? `http://127.0.0.1:${workerPort}/interactions`;
  if (/^https?:\/\/[^/]+\/?$/.test(url)) url = url.replace(/\/?$/, "/interactions");
  return {
    line,
    cron: values.cron,
    target,
    admin: values.admin,
    context,
    locale: values.locale,
    url,
    urlGiven: values.url !== undefined,
    emulator: (values.emulator ?? `http://127.0.0.1:${emulatorPort}`).replace(/\/$/, ""),
    key: values.key,
    out: values.out,
    timeoutMs: timeout * 1000,
    timeoutText: `${values.timeout} s (--timeout)`,
    steps,
    complete: values.complete,
    choose: values.choose,
    printPng: values["print-png"],
    conversation: values.conversation,
  };
}

/** What a context-menu command runs on: a message to post first, or a member by id. */
type Target = { kind: "message"; text: string } | { kind: "user"; id: string };

type Options = NonNullable<ReturnType<typeof options>>;

function readKey(path: string): { privateKeyHex: string; publicKeyHex: string } {
  if (!existsSync(path)) {
    throw new InteractError(
      `no dev key at ${path}: run \`npm start\` once (it generates the key and gives the local Worker its public half), or pass --key`,
    );
  }
  let key: { privateKeyHex?: unknown; publicKeyHex?: unknown };
  try {
    key = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InteractError(
      `${path} is not JSON (${(error as Error).message}); delete it and run \`npm start\` to make a new one`,
    );
  }
  if (typeof key.privateKeyHex !== "string" || typeof key.publicKeyHex !== "string") {
    throw new InteractError(
      `${path} has no privateKeyHex/publicKeyHex; delete it and run \`npm start\` to make a new one`,
    );
  }
  return { privateKeyHex: key.privateKeyHex, publicKeyHex: key.publicKeyHex };
}

/** The emulator's control surface; null when nothing answers there. */
async function control(base: string, path: string, init?: RequestInit): Promise<unknown | null> {
  let response: Response;
  try {
    response = await fetch(`${base}/__emulator${path}`, { ...init, signal: AbortSignal.timeout(5_000) });
  } catch {
    return null;
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 300);
    try {
      const error = (JSON.parse(text) as { error?: unknown }).error;
      if (typeof error === "string") detail = error;
    } catch {
      // Not JSON: show the text.
    }
    throw new InteractError(
      `the emulator answered ${init?.method ?? "GET"} /__emulator${path} with HTTP ${response.status}: ${detail}`,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

async function definitionsFrom(
  emulator: string,
  urlGiven: boolean,
): Promise<{ commands: CommandDef[]; emulatorUp: boolean }> {
  const registered = (await control(emulator, "/commands")) as CommandDef[] | null;
  if (registered === null) {
    if (!urlGiven) {
      throw new InteractError(
        `nothing answers at ${emulator} (the Discord emulator): is the local stack running? Run \`npm start\` in another terminal (or pass --emulator)`,
      );
    }
    out(
      `note: no emulator at ${emulator}; using src/worker/app/commands for the definitions, and edits cannot be followed`,
    );
    return { commands: (await loadDefinitions()) as CommandDef[], emulatorUp: false };
  }
  if (registered.length === 0) {
    out("note: the emulator has no registered commands; using the definitions in src/worker/app/commands");
    return { commands: (await loadDefinitions()) as CommandDef[], emulatorUp: true };
  }
  return { commands: registered, emulatorUp: true };
}

async function upload(emulator: string, path: string, option: string): Promise<StoredAttachment> {
  const file = resolve(path);
  if (!existsSync(file)) throw new InteractError(`file ${path} for option ${option} does not exist`, 2);
  const bytes = readFileSync(file);
  const stored = await control(emulator, `/uploads?filename=${encodeURIComponent(basename(file))}`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: bytes,
  });
  if (stored === null)
    throw new InteractError(
      `option ${option} needs the emulator to host the file, and nothing answers at ${emulator}: run \`npm start\``,
    );
  return stored as StoredAttachment;
}

function formatBytes(size: number): string {
  return size < 1024
    ? `${size} B`
    : size < 1024 * 1024
      ? `${(size / 1024).toFixed(1)} KB`
      : `${(size / 1024 / 1024).toFixed(2)} MB`;
}

type Json = Record<string, any>;

class FileSaver {
  private readonly saved = new Set<string>();
  private readonly names = new Set<string>();
  /** Where files go: --out, or .emulator/out/<the first interaction's id>/ once it is known. */
  dir: string | null;
  count = 0;
  /** The last PNG saved, for --print-png. */
  lastPng: string | null = null;
  constructor(dir: string | null) {
    this.dir = dir;
  }

  async save(attachments: StoredAttachment[]): Promise<string[]> {
    const lines: string[] = [];
    for (const a of attachments) {
      if (this.saved.has(a.id)) continue;
      this.saved.add(a.id);
      const response = await fetch(a.url);
      if (!response.ok)
        throw new InteractError(`could not download ${a.filename} from ${a.url}: HTTP ${response.status}`);
      let name = a.filename.replace(/[/\\]/g, "_");
      for (let n = 2; this.names.has(name); n++) name = a.filename.replace(/(\.[^.]*)?$/, `-${n}$1`);
      this.names.add(name);
      const dir = (this.dir ??= join(".emulator", "out", "files"));
      mkdirSync(dir, { recursive: true });
      const path = join(dir, name);
      writeFileSync(path, new Uint8Array(await response.arrayBuffer()));
      this.count++;
      if (a.content_type === "image/png" || name.endsWith(".png")) this.lastPng = relative(process.cwd(), path) || path;
      lines.push(
        `file ${a.filename} (${a.content_type}, ${formatBytes(a.size)}) saved to ${relative(process.cwd(), path) || path}`,
      );
    }
    return lines;
  }
}

/** What every interaction of one run shares while it is followed. */
interface Following {
  /** What was printed of each message (by id): a message is printed again only when what the user sees changed. */
  printed: Map<string, string>;
  files: FileSaver;
  /** The emulator hears the Worker's log (npm start): "settled" is the Worker saying it finished. */
  workerLogs: boolean;
}

/** What the user sees of a message: a change here is news, a copy of it (a component's message) is not. */
const seenAs = (m: StoredMessage) =>
  m.deleted ? "deleted" : JSON.stringify([describeMessage(m as unknown as Json), m.attachments.map((a) => a.id)]);

/**
 * Prints the bot's edits and follow-ups for one interaction as the emulator receives them, until the conversation
 * settles: the Worker has logged that it finished the interaction (its answer, or its job's final edit and every
 * follow-up; scripts/lib/worker-done.ts), and nothing shows "thinking…". `started` is when it was sent; the wait is
 * bounded by --timeout, and running out of it is an error that says what is still missing.
 */
async function follow(
  opts: Options,
  query: string,
  initialType: number,
  ctx: Following,
  started: number,
): Promise<Conversation & { worker_done?: { outcome: string } | null }> {
  let lastChange = Date.now();
  for (;;) {
    const conversation = (await control(opts.emulator, `/messages?${query}`)) as
      | (Conversation & { worker_done?: { outcome: string } | null })
      | null;
    if (conversation === null)
      throw new InteractError(`the emulator at ${opts.emulator} stopped answering while waiting for edits`);
    for (const message of conversation.messages as StoredMessage[]) {
      if (message.loading) continue;
      const seen = seenAs(message);
      if (ctx.printed.get(message.id) === seen) continue;
      ctx.printed.set(message.id, seen);
      lastChange = Date.now();
      const after = `${Date.now() - started} ms after sending`;
      const what = message.deleted
        ? `deleted ${message.role === "original" ? "@original" : `follow-up ${message.id}`}`
        : message.role === "original"
          ? message.edited_timestamp
            ? "edited @original"
            : "sent @original"
          : message.edited_timestamp
            ? `edited follow-up ${message.id}`
            : "sent a follow-up";
      out(`… ${after}, the bot ${what}:`);
      if (!message.deleted) {
        out(indent(describeMessage(message as unknown as Json)).join("\n"));
        const saved = await ctx.files.save(message.attachments);
        if (saved.length) out(indent(saved).join("\n"));
      }
    }
    const original = (conversation.messages as StoredMessage[]).find((m) => m.role === "original");
    const thinking =
      initialType === CALLBACK_TYPES.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE && (!original || original.loading);
    const done = conversation.worker_done ?? null;
    if (ctx.workerLogs && done) {
      if (thinking)
        throw new InteractError(
          `the Worker finished interaction ${conversation.interaction_id} (${done.outcome}) without editing its deferred reply: the user still sees "thinking…"`,
        );
      return conversation;
    }
    if (!ctx.workerLogs && !thinking && Date.now() - lastChange >= SETTLE_MS) return conversation;
    if (Date.now() - started > opts.timeoutMs) {
      const missing = thinking
        ? 'no edit yet: the user still sees "thinking…"'
        : `the Worker has not said it finished interaction ${conversation.interaction_id}`;
      throw new InteractError(
        `the conversation did not settle within ${opts.timeoutText}: ${missing} (its output is in the npm start terminal); what arrived is above`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** What a later step (or a later run: .emulator/interact-last.json) acts on. */
interface Session {
  /** The interactions of the conversation, oldest first: their messages hold the buttons and menus to use. */
  interactions: string[];
  /** The form the bot's last answer opened, and the message it was opened from; null when none is open. */
  modal: { data: Json; message_id: string | null } | null;
}

const SESSION_FILE = join(".emulator", "interact-last.json");

function loadSession(): Session {
  if (!existsSync(SESSION_FILE))
    throw new InteractError(
      `no conversation to continue (${SESSION_FILE} is written by a run with a command): give a command first, e.g. npm run interact -- /chart values:1,2,3 --press Bar`,
      2,
    );
  return JSON.parse(readFileSync(SESSION_FILE, "utf8")) as Session;
}

function saveSession(session: Session): void {
  mkdirSync(".emulator", { recursive: true });
  writeFileSync(SESSION_FILE, JSON.stringify(session) + "\n");
}

/** The bot's messages in the conversation, newest first (the ones a button or menu can be on). */
async function shownMessages(opts: Options, session: Session): Promise<Shown[]> {
  const messages: Shown[] = [];
  const seen = new Set<string>();
  for (const id of [...session.interactions].reverse()) {
    const conversation = (await control(
      opts.emulator,
      `/messages?interaction_id=${encodeURIComponent(id)}`,
    )) as Conversation | null;
    if (conversation === null)
      throw new InteractError(
        `nothing answers at ${opts.emulator} (the Discord emulator): is the local stack running? Run \`npm start\``,
      );
    for (const message of [...(conversation.messages as StoredMessage[])].reverse()) {
      if (message.deleted || message.loading || seen.has(message.id)) continue;
      seen.add(message.id);
      messages.push(message as unknown as Shown);
    }
  }
  return messages;
}

interface SendOutcome {
  interaction: { id: string; type: number; label: string };
  status: number | null;
  body: Json | null;
  ms: number;
  timed_out: boolean;
  error?: string;
}

/** A component click or a form submission, built, signed and sent to the Worker by the emulator (as the playground does). */
async function sendThroughEmulator(opts: Options, input: Record<string, unknown>): Promise<SendOutcome> {
  const body = {
    ...input,
    role: opts.admin ? "admin" : "member",
    context: opts.context,
    ...(opts.locale ? { locale: opts.locale } : {}),
  };
  const outcome = (await control(opts.emulator, "/send", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  })) as SendOutcome | null;
  if (outcome === null)
    throw new InteractError(
      `nothing answers at ${opts.emulator} (the Discord emulator): is the local stack running? Run \`npm start\``,
    );
  return outcome;
}

/** Prints a step's answer and follows it until it settles; the session learns the interaction (and any form it opened). */
async function answerOfStep(
  opts: Options,
  outcome: SendOutcome,
  session: Session,
  ctx: Following,
  sourceMessage: string | null,
): Promise<number> {
  const body = outcome.body;
  out(
    `← ${outcome.status ?? "no answer"}${outcome.status !== null ? ` in ${outcome.ms} ms` : ""}${typeof body?.type === "number" ? ` · type ${body.type} ${RESPONSE_NAMES[body.type] ?? ""}` : ""}`,
  );
  if (outcome.error !== undefined) {
    out(indent([`the user sees "${outcome.error}"`]).join("\n"));
    return 1;
  }
  session.interactions.push(outcome.interaction.id);
  ctx.files.dir ??= join(".emulator", "out", outcome.interaction.id);
  if (body?.type === CALLBACK_TYPES.MODAL) {
    out(indent(describeModal(body.data ?? {}, false)).join("\n"));
    session.modal = { data: body.data ?? {}, message_id: sourceMessage };
    return 0;
  }
  session.modal = null;
  if (body?.type === CALLBACK_TYPES.DEFERRED_UPDATE_MESSAGE)
    out("  the message stays as it is until the bot edits it; waiting…");
  await follow(
    opts,
    `interaction_id=${encodeURIComponent(outcome.interaction.id)}`,
    Number(body?.type ?? 0),
    ctx,
    Date.now() - outcome.ms,
  );
  return 0;
}

async function runStep(
  opts: Options,
  step: Step,
  session: Session,
  ctx: Following,
  fills: Map<string, string>,
): Promise<number> {
  switch (step.kind) {
    case "fill":
      if (!session.modal)
        throw new InteractError(`--fill "${step.field}=…": no form is open (the bot's last answer was not a form)`, 2);
      fills.set(step.field, step.value);
      return 0;
    case "submit": {
      const modal = session.modal;
      if (!modal) throw new InteractError("--submit: no form is open (the bot's last answer was not a form)", 2);
      const data = await buildSubmission(modal.data, fills, {
        upload: async (path, field) => (await upload(opts.emulator, path, field)).id,
        howToFill: (label) => `add --fill "${label}=…"`,
      });
      fills.clear();
      out(`→ submit the form "${modal.data.title}"`);
      return answerOfStep(
        opts,
        await sendThroughEmulator(opts, {
          type: 5,
          data,
          ...(modal.message_id ? { message_id: modal.message_id } : {}),
          label: String(modal.data.title ?? ""),
        }),
        session,
        ctx,
        modal.message_id,
      );
    }
    case "press": {
      const { message, button } = findButton(await shownMessages(opts, session), step.label);
      // The message as it is now is not news; what the bot does to it is.
      ctx.printed.set(message.id, seenAs(message as unknown as StoredMessage));
      out(`→ press [${button.label ?? button.custom_id}] on message ${message.id}`);
      return answerOfStep(
        opts,
        await sendThroughEmulator(opts, {
          type: 3,
          data: { custom_id: button.custom_id, component_type: 2 },
          message_id: message.id,
          label: String(button.label ?? button.custom_id),
        }),
        session,
        ctx,
        message.id,
      );
    }
    case "pick": {
      const { message, menu, values } = findSelect(await shownMessages(opts, session), step.select, step.choices);
      ctx.printed.set(message.id, seenAs(message as unknown as StoredMessage));
      out(`→ pick ${step.choices.join(", ")} in [${menu.placeholder ?? "select"}] on message ${message.id}`);
      return answerOfStep(
        opts,
        await sendThroughEmulator(opts, {
          type: 3,
          data: { custom_id: menu.custom_id, component_type: menu.type, values },
          message_id: message.id,
          label: step.choices.join(", "),
        }),
        session,
        ctx,
        message.id,
      );
    }
  }
}

/** --complete: the bot's suggestions for an autocomplete option as typed so far; --choose puts one in the command. */
async function autocomplete(opts: Options, commands: readonly CommandDef[]): Promise<string | null> {
  const eq = opts.complete!.indexOf("=");
  const option = opts.complete!.slice(0, eq);
  const text = `${opts.line} ${option}:${opts.complete!.slice(eq + 1)}`;
  const completion = complete(text, commands);
  if (completion?.kind !== "autocomplete")
    throw new InteractError(
      `--complete ${option}=…: ${completion && "option" in completion ? `option ${option} has no autocomplete` : `"${text}" has no option ${option} to complete`} (the command line up to it must be a slash command and its options)`,
      2,
    );
  out(`→ type "${opts.complete!.slice(eq + 1)}" into ${option} of ${opts.line.split(/\s/)[0]}`);
  const outcome = await sendThroughEmulator(opts, { type: 4, data: completion.data });
  const body = outcome.body;
  out(
    `← ${outcome.status ?? "no answer"}${outcome.status !== null ? ` in ${outcome.ms} ms` : ""}${typeof body?.type === "number" ? ` · type ${body.type} ${RESPONSE_NAMES[body.type] ?? ""}` : ""}`,
  );
  if (outcome.error !== undefined)
    throw new InteractError(`the bot's autocomplete failed: the user sees "${outcome.error}"`);
  const choices = (body?.data?.choices as Json[] | undefined) ?? [];
  out(
    choices.length
      ? indent(choices.map((c, i) => `${i + 1}. ${c.name}${String(c.value) !== c.name ? ` (${c.value})` : ""}`)).join(
          "\n",
        )
      : "  (no suggestions)",
  );
  if (opts.choose === undefined) {
    out("  the command was not sent: add --choose <suggestion> to take one, or give the option's value");
    return null;
  }
  const choice =
    choices.find((c) => c.name === opts.choose || String(c.value) === opts.choose) ??
    (/^\d+$/.test(opts.choose) ? choices[Number(opts.choose) - 1] : undefined);
  if (!choice)
    throw new InteractError(
      `--choose ${opts.choose}: not one of the suggestions (${choices.map((c) => c.name).join(", ") || "none"})`,
      2,
    );
  return applyChoice(text, completion.replaceFrom, choice.value).trim();
}

const TYPE_WORDS: Record<number, string> = { 2: "user", 3: "message" };

/** A context-menu command by name: exact first, then ignoring case (Discord's names are case-sensitive). */
function findContextCommand(name: string, type: 2 | 3, commands: readonly CommandDef[]): CommandDef {
  const ofType = commands.filter((c) => c.type === type);
  const found = ofType.find((c) => c.name === name) ?? ofType.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found) return found;
  const other = commands.find(
    (c) => (c.type ?? 1) !== type && c.name.toLowerCase() === name.replace(/^\//, "").toLowerCase(),
  );
  const hint = other
    ? ` ("${other.name}" is a ${other.type === 2 || other.type === 3 ? `${TYPE_WORDS[other.type]} command` : "slash command"})`
    : "";
  const names = ofType.map((c) => `"${c.name}"`).join(", ");
  throw new InteractError(
    `no ${TYPE_WORDS[type]} command "${name}"${hint}; the ${TYPE_WORDS[type]} commands are ${names || "(none)"}`,
    2,
  );
}

/** The interaction to send, what it is ("/ping", "Chart numbers on the message …"), and lines to print under that. */
interface Prepared {
  payload: InteractionPayload;
  headline: string;
  notes?: string[];
}

const PLACE_NAMES: Record<InteractionContext, string> = {
  0: "in #general",
  1: "in your DM with the bot",
  2: "in a group DM the bot is not in (user install)",
};

/** Where the interaction happens and in which language, as the emulator's builders take it. */
const where = (opts: Options) => ({ context: opts.context, ...(opts.locale ? { locale: opts.locale } : {}) });

/**
 * Discord offers a command only in the contexts it lists, and to the installs its integration_types name (here
 * the server's install in #general, the user's in DMs); refuse what the user could not run there.
 */
function checkOffered(command: CommandDef, opts: Options, shown: string): void {
  if (Array.isArray(command.contexts) && !command.contexts.includes(opts.context)) {
    throw new InteractError(
      `${shown} is not offered ${PLACE_NAMES[opts.context]}: its contexts are [${command.contexts.join(",")}] (0 a server, 1 the bot's DM, 2 a group DM)`,
      2,
    );
  }
  const install = opts.context === CONTEXTS.GUILD ? 0 : 1;
  if (Array.isArray(command.integration_types) && !command.integration_types.includes(install)) {
    throw new InteractError(
      `${shown} is not offered ${PLACE_NAMES[opts.context]}: its integration_types are [${command.integration_types.join(",")}] and this is a ${install === 0 ? "server" : "user"} install`,
      2,
    );
  }
}

/** Issued by the emulator when it runs, so it knows the token (and the registered command's id) for the edits. */
async function issue(
  opts: Options,
  emulatorUp: boolean,
  build: Record<string, unknown>,
  offline: () => InteractionPayload,
): Promise<InteractionPayload> {
  if (!emulatorUp) return offline();
  return (await control(opts.emulator, "/interactions", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(build),
  })) as InteractionPayload;
}

async function slashCommand(
  opts: Options,
  commands: readonly CommandDef[],
  emulatorUp: boolean,
  permissions: string,
): Promise<Prepared> {
  const result = parseCommandLine(opts.line, commands);
  if (!result.ok) {
    // A context-menu command's name typed without its target: say what it needs.
    const named = commands.find(
      (c) => (c.type === 2 || c.type === 3) && c.name.toLowerCase() === opts.line.toLowerCase(),
    );
    if (named)
      throw new InteractError(
        `"${named.name}" is a ${TYPE_WORDS[named.type!]} command: add ${named.type === 3 ? '--message "text to run it on"' : "--user <user id>"}`,
        2,
      );
    throw new InteractError(result.error, 2);
  }
  const { data, leaves } = result.parsed;
  checkOffered(result.parsed.command, opts, `/${result.parsed.command.name}`);
  for (const { option, entry } of leaves) {
    if (option.type !== 11) continue;
    const attachment = await upload(opts.emulator, String(entry.value), option.name);
    entry.value = attachment.id;
    const resolved = (data.resolved ??= {});
    (resolved.attachments ??= {})[attachment.id] = { ...attachment, ephemeral: true };
  }
  const build = { type: 2, data, member: { permissions }, ...where(opts) };
  return { payload: await issue(opts, emulatorUp, build, () => buildInteraction(build)), headline: opts.line };
}

async function contextMenuCommand(
  opts: Options,
  target: Target,
  commands: readonly CommandDef[],
  emulatorUp: boolean,
  permissions: string,
): Promise<Prepared> {
  const type = target.kind === "user" ? 2 : 3;
  const command = findContextCommand(opts.line, type, commands);
  checkOffered(command, opts, `"${command.name}"`);
  const member = { permissions };
  if (target.kind === "user") {
    const build = { type: 2, data: { name: command.name, type, target_id: target.id }, member, ...where(opts) };
    const user = target.id === DEFAULT_USER_ID ? DEFAULT_USER : { id: target.id };
    const payload = await issue(opts, emulatorUp, build, () =>
      buildUserCommandInteraction({ name: command.name }, { user }, { member, ...where(opts) }),
    );
    const resolved = (payload.data?.resolved as { users?: Record<string, Json> } | undefined)?.users?.[target.id];
    return {
      payload,
      headline: `${command.name} on ${resolved?.global_name ?? resolved?.username ?? "user"} (${target.id})`,
    };
  }
  let message: Json;
  const notes: string[] = [];
  if (emulatorUp) {
    const channelId = CHANNEL_OF_CONTEXT[opts.context];
    message = (await control(opts.emulator, "/channel/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: target.text, channel_id: channelId }),
    })) as Json;
    notes.push(`  posted ${PLACE_NAMES[opts.context]} as ${DEFAULT_USER.global_name} · message ${message.id}`);
  } else {
    // No emulator to hold the channel: the message exists only in this interaction.
    message = renderPost({
      id: snowflake(),
      channel_id: CHANNEL_OF_CONTEXT[opts.context],
      author: DEFAULT_USER,
      content: target.text,
      embeds: [],
      attachments: [],
      timestamp: new Date().toISOString(),
    });
  }
  const build = { type: 2, data: { name: command.name, type, target_id: message.id }, member, ...where(opts) };
  const payload = await issue(opts, emulatorUp, build, () =>
    buildMessageCommandInteraction({ name: command.name }, message, { member, ...where(opts) }),
  );
  return { payload, headline: `${command.name} on the message ${JSON.stringify(target.text)}`, notes };
}

/** --cron: the emulator calls the Worker's /__scheduled (wrangler dev --test-scheduled) and lists what the bot posted. */
async function runCron(opts: Options): Promise<number> {
  out(`→ the Worker's daily cron, through the emulator at ${opts.emulator}`);
  const result = (await control(opts.emulator, "/cron", { method: "POST" })) as { ms: number; messages: Json[] } | null;
  if (result === null)
    throw new InteractError(
      `nothing answers at ${opts.emulator} (the Discord emulator): is the local stack running? Run \`npm start\` (or pass --emulator)`,
    );
  out(`← the scheduled handler finished in ${result.ms} ms`);
  if (result.messages.length === 0)
    out("  the bot posted nothing (is REPORT_CHANNEL_ID set? npm start sets it to #general)");
  for (const message of result.messages) {
    out(`  the bot posted in #general:`);
    out(indent(describeMessage(message), "    ").join("\n"));
    for (const attachment of (message.attachments as Json[] | undefined) ?? [])
      out(`    file: ${attachment.filename} ${attachment.url}`);
  }
  return 0;
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) return 0;
  if (opts.cron) return runCron(opts);
  if (opts.line === "/linked-role") {
    return linkRoles({ worker: new URL(opts.url).origin, emulator: opts.emulator, decision: "approve", out }).catch(
      (error: unknown) => {
        throw error instanceof LinkRolesError ? new InteractError(error.message) : error;
      },
    );
  }
  const health = (await control(opts.emulator, "/health")) as { worker_logs?: boolean } | null;
  const ctx: Following = {
    printed: new Map(),
    files: new FileSaver(opts.out ?? null),
    workerLogs: health?.worker_logs === true,
  };
  if (health && !ctx.workerLogs)
    out(
      `note: the emulator at ${opts.emulator} does not hear the Worker's log, so "settled" means no change for ${SETTLE_MS} ms`,
    );
  let session: Session;
  if (opts.line) {
    const sent = await runCommand(opts, ctx);
    if (sent.code !== 0 || !sent.session) return sent.code;
    session = sent.session;
  } else if (opts.conversation !== undefined) {
    session = { interactions: [opts.conversation], modal: null };
  } else {
    session = loadSession();
  }
  const fills = new Map<string, string>();
  for (const step of opts.steps) {
    let code: number;
    try {
      code = await runStep(opts, step, session, ctx, fills);
    } catch (error) {
      if (error instanceof StepError || error instanceof ModalSubmissionError)
        throw new InteractError(error.message, 2);
      throw error;
    }
    if (code !== 0) return code;
  }
  saveSession(session);
  if (ctx.files.count > 0 && ctx.files.dir)
    out(
      `✓ ${ctx.files.count} file${ctx.files.count === 1 ? "" : "s"} in ${relative(process.cwd(), ctx.files.dir) || ctx.files.dir}`,
    );
  if (opts.printPng) {
    if (!ctx.files.lastPng) throw new InteractError("--print-png: the bot sent no PNG in this run");
    out(ctx.files.lastPng);
  }
  return 0;
}

/** The command itself: sent to the Worker as Discord would, then followed until it settles. */
async function runCommand(opts: Options, ctx: Following): Promise<{ code: number; session?: Session }> {
  const key = readKey(opts.key);
  const { commands, emulatorUp } = await definitionsFrom(opts.emulator, opts.urlGiven);
  if (opts.complete !== undefined) {
    if (!emulatorUp)
      throw new InteractError(
        `--complete asks the bot through the emulator, and nothing answers at ${opts.emulator}: run \`npm start\``,
      );
    const line = await autocomplete(opts, commands);
    if (line === null) return { code: 0 };
    out(`→ chose it: ${line}`);
    opts.line = line;
  }
  const permissions = opts.admin ? (BigInt(MEMBER_PERMISSIONS) | BigInt(ADMINISTRATOR)).toString() : MEMBER_PERMISSIONS;
  const {
    payload,
    headline,
    notes = [],
  } = opts.target
    ? await contextMenuCommand(opts, opts.target, commands, emulatorUp, permissions)
    : await slashCommand(opts, commands, emulatorUp, permissions);

  out(`→ ${headline}`);
  for (const note of notes) out(note);
  out(
    `  POST ${opts.url} as ${opts.context !== CONTEXTS.GUILD ? `the user ${PLACE_NAMES[opts.context]}` : opts.admin ? "an admin" : "a member"}${opts.locale ? ` · locale ${opts.locale}` : ""} · interaction ${payload.id}`,
  );
  const started = Date.now();
  const sent = await sendInteraction(opts.url, payload, key.privateKeyHex, {
    ...(emulatorUp ? { emulator: opts.emulator } : {}),
  });

  if (sent.status === null && !sent.timedOut) {
    const detail = /emulator\(interactions\): (.*)\)$/.exec(sent.error ?? "")?.[1] ?? String(sent.error);
    const code = /\((E[A-Z]+)\)$/.exec(detail)?.[1];
    const reason = code === "ECONNREFUSED" ? "connection refused" : (code ?? detail);
    throw new InteractError(
      `the Worker at ${opts.url} is not reachable (${reason}): is the local stack running? Run \`npm start\`${opts.urlGiven ? "" : " (or pass --url)"}`,
    );
  }
  if (sent.timedOut) {
    out(`← no answer within 3 s: the user sees "${sent.error}"`);
    return { code: 1 };
  }
  const body = sent.body as Json | null;
  out(
    `← ${sent.status} in ${sent.ms} ms${typeof body?.type === "number" ? ` · type ${body.type} ${RESPONSE_NAMES[body.type] ?? ""}` : ""}`,
  );
  if (sent.error) {
    out(
      indent([`the user sees "${sent.error}"`, ...(body ? JSON.stringify(body).slice(0, 500).split("\n") : [])]).join(
        "\n",
      ),
    );
    if (sent.status === 401)
      out(
        `  The Worker refused the signature: it must verify with the dev public key ${key.publicKeyHex} (DISCORD_PUBLIC_KEY).`,
      );
    return { code: 1 };
  }
  if (sent.inlineError !== undefined) {
    out(
      `  Discord would refuse this answer (${describeDiscordError(sent.inlineError)}); the user sees "The application did not respond"`,
    );
    return { code: 1 };
  }

  ctx.files.dir ??= join(".emulator", "out", payload.id);
  const session: Session = { interactions: [payload.id], modal: null };
  switch (body?.type) {
    case CALLBACK_TYPES.CHANNEL_MESSAGE_WITH_SOURCE:
      out(indent(describeMessage(body.data ?? {})).join("\n"));
      break;
    case CALLBACK_TYPES.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
      out(
        `  the user sees "thinking…"${(Number(body.data?.flags ?? 0) & 64) !== 0 ? " (ephemeral)" : ""}; waiting for the bot's edit…`,
      );
      break;
    case CALLBACK_TYPES.MODAL:
      out(indent(describeModal(body.data ?? {}, opts.steps.length === 0)).join("\n"));
      session.modal = { data: body.data ?? {}, message_id: null };
      return { code: 0, session };
    case CALLBACK_TYPES.LAUNCH_ACTIVITY:
      out("  the bot launched its Activity: Discord opens it for the user (apps with Activities only)");
      return { code: 0 };
    default:
      out(indent([JSON.stringify(body)]).join("\n"));
  }
  if (!emulatorUp) {
    if (body?.type === CALLBACK_TYPES.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE)
      out("note: without the emulator the bot's edit cannot be shown");
    if (opts.steps.length > 0)
      throw new InteractError(
        "the steps (--press, --pick, --fill) go through the emulator, and nothing answers there: run `npm start`",
      );
    return { code: 0 };
  }
  if (body?.type === CALLBACK_TYPES.CHANNEL_MESSAGE_WITH_SOURCE) {
    // Already printed from the answer itself: only later edits and follow-ups are news.
    const conversation = (await control(
      opts.emulator,
      `/messages?token=${encodeURIComponent(payload.token)}`,
    )) as Conversation | null;
    for (const m of (conversation?.messages ?? []) as StoredMessage[])
      if (m.role === "original" && !m.edited_timestamp) ctx.printed.set(m.id, seenAs(m));
  }
  await follow(opts, `token=${encodeURIComponent(payload.token)}`, body?.type ?? 0, ctx, started);
  return { code: 0, session };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InteractError) {
      console.error(error.message);
      process.exitCode = error.exitCode;
    } else {
      console.error(`interact: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
    }
  },
);
