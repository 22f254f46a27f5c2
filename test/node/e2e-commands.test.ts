// Every command of the bot, end to end, on the stack `npm start -- --backend worker` runs: the Worker under
// wrangler dev, the backend Worker under its own wrangler dev, the Discord emulator. Each command is used the
// way a user would (through the emulator, as the playground does: slash commands, the message command on a
// posted message, buttons on the bot's message, the modal's submit, autocomplete) and must end in its real answer.
//
// The list comes from the one module list (src/worker/app/commands/index.ts): a command without a script below, or a
// handler of a module (a subcommand, its buttons, its modal, its autocomplete) that its script never reaches,
// fails here naming it. No Node backend runs: the backend's port is served by workerd, and this process serves
// only the emulator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SendInput, SendOutcome, StoredMessage } from "../../src/emulator/index.ts";
import type { Stack } from "../../scripts/lib/stack.ts";
import { listenersOf, listeningPorts } from "../../scripts/lib/listeners.ts";
import { descendantsOf } from "../support/listeners.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

/** What this test needs of a handler module; loaded by URL, as scripts/lib/definitions.ts does (Worker code). */
interface ModuleShape {
  definition: { name: string; type?: number; options?: Array<{ type: number; name: string }> };
  command?: unknown;
  subcommands?: Record<string, unknown>;
  component?: unknown;
  modal?: unknown;
  autocomplete?: unknown;
}
const { commands } = (await import(new URL("../../src/worker/app/commands/index.ts", import.meta.url).href)) as {
  commands: readonly ModuleShape[];
};

/** The handlers a module exports, as the scripts below must reach them. */
function handlersOf(module: ModuleShape): string[] {
  return [
    ...(typeof module.command === "function" ? ["command"] : []),
    ...Object.keys(module.subcommands ?? {}).map((name) => `subcommand ${name}`),
    ...(typeof module.component === "function" ? ["component"] : []),
    ...(typeof module.modal === "function" ? ["modal"] : []),
    ...(typeof module.autocomplete === "function" ? ["autocomplete"] : []),
  ];
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

let local: TestStack;
let stack: Stack;
let output: string[];
/** Per command name, the handlers an interaction reached with a good answer. */
const reached = new Map<string, Set<string>>();

/** Which module and handler an interaction is for: by command name, or by its custom_id's `<module>:` prefix. */
function routeOf(input: SendInput): { command: string; handler: string } {
  const data = input.data ?? {};
  if (input.type === 2 || input.type === 4) {
    const first = (data.options as Array<{ type: number; name: string }> | undefined)?.[0];
    const handler = input.type === 4 ? "autocomplete" : first?.type === 1 ? `subcommand ${first.name}` : "command";
    return { command: String(data.name), handler };
  }
  const prefix = String(data.custom_id).split(":")[0]!;
  const module = commands.find((m) => m.definition.name === prefix);
  return { command: module?.definition.name ?? prefix, handler: input.type === 3 ? "component" : "modal" };
}

/** Sends one interaction as Discord would; it must be answered in time. Returns the answer and the token. */
async function send(input: SendInput): Promise<SendOutcome & { token: string }> {
  const result = await stack.emulator.emulator.send(input);
  if (!result.ok) throw new Error(`emulator refused the interaction: ${result.error}`);
  const { outcome } = result;
  expect(
    outcome.error,
    `${JSON.stringify(input.data)}: ${outcome.error}\n${output.slice(-30).join("\n")}`,
  ).toBeUndefined();
  expect(outcome.status).toBe(200);
  expect(outcome.timed_out).toBe(false);
  const token = stack.emulator.emulator.state.sends.find((s) => s.interaction_id === outcome.interaction.id)!.token;
  const { command, handler } = routeOf(input);
  if (!reached.has(command)) reached.set(command, new Set());
  reached.get(command)!.add(handler);
  return { ...outcome, token };
}

async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${what} within ${timeoutMs} ms\n${output.slice(-30).join("\n")}`);
}

/** The original response once "thinking…" has been replaced (and, given `done`, once it says so). */
function finalMessage(token: string, done: (message: StoredMessage) => boolean = () => true): Promise<StoredMessage> {
  return eventually(`final edit of ${token.slice(0, 8)}…`, () => {
    const [message] = stack.emulator.emulator.messagesFor(token);
    return message && !message.loading && done(message) ? message : undefined;
  });
}

type Embed = { title?: string; footer?: { text: string }; fields?: Array<{ name: string; value: string }> };
type Button = { type: number; label?: string; custom_id?: string; disabled?: boolean };

function expectChart(message: StoredMessage, kind: "line" | "bar", points: number): void {
  const embed = message.embeds[0] as Embed;
  expect(embed.footer?.text).toBe(`${kind} chart`);
  expect(embed.fields?.find((f) => f.name === "Points")?.value).toBe(String(points));
  expect(message.attachments.map((a) => a.filename)).toEqual(["chart.png"]);
  const file = stack.emulator.emulator.file(message.attachments[0]!.id)!;
  expect([...file.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
}

function buttons(message: StoredMessage): Button[] {
  return (message.components as Array<{ components: Button[] }>).flatMap((row) => row.components);
}

function upload(filename: string, contentType: string, text: string): string {
  const result = stack.emulator.emulator.upload(
    { filename, contentType, bytes: new TextEncoder().encode(text) },
    stack.emulatorUrl,
  );
  if (!result.ok) throw new Error(result.error);
  return result.attachment.id;
}

type ModalComponent = { type: number; custom_id: string; options?: Array<{ value: string }> };

/** Fills in the modal the Worker opened, as a user would: text in text inputs, the first choice, one file. */
function answer(
  modal: { components: Array<{ type: number; component: ModalComponent }> },
  text: string,
  fileId: string,
) {
  return modal.components.map(({ component }) => {
    if (component.type === 4) return { type: 18, component: { type: 4, custom_id: component.custom_id, value: text } };
    if (component.type === 21)
      return { type: 18, component: { type: 21, custom_id: component.custom_id, value: component.options![0]!.value } };
    if (component.type === 19)
      return { type: 18, component: { type: 19, custom_id: component.custom_id, values: [fileId] } };
    throw new Error(
      `no scripted answer for a modal component of type ${component.type}: add one to answer() in this file`,
    );
  });
}

/** /feedback, then its modal's submit; returns the submit's answer. */
async function giveFeedback(text: string): Promise<SendOutcome> {
  const opened = await send({ type: 2, data: { name: "feedback" } });
  const body = opened.body as {
    type: number;
    data: { custom_id: string; title: string; components: Array<{ type: number; component: ModalComponent }> };
  };
  expect(body.type).toBe(9);
  expect(body.data.title).toBe("Feedback");
  const screenshot = upload("screen.png", "image/png", "not really a png");
  return send({ type: 5, data: { custom_id: body.data.custom_id, components: answer(body.data, text, screenshot) } });
}

const reply = (outcome: SendOutcome) =>
  outcome.body as {
    type: number;
    data: { content?: string; flags?: number; components?: unknown[]; poll?: unknown; choices?: unknown };
  };

/** One scripted use per command of the bot, keyed by its name; each ends in its real answer. */
const SCRIPTS: Record<string, () => Promise<void>> = {
  async ping() {
    const answer = reply(await send({ type: 2, data: { name: "ping" } }));
    expect(answer.type).toBe(4);
    expect(answer.data.content).toMatch(/^🏓 Pong!/);
    // The translations are modules beside the bundle, imported on first use: under wrangler dev as once deployed.
    const german = reply(await send({ type: 2, data: { name: "ping" }, locale: "de" }));
    expect(german.data.content).toMatch(
      /^🏓 Pong! Geantwortet am Edge-Standort \*\*\w+\*\*\. Von Discord zum Worker: \d+ ms\.$/,
    );
    const french = reply(await send({ type: 2, data: { name: "nope" }, locale: "fr" }));
    expect(french.data.content).toMatch(/^Je ne connais pas `\/nope`/);
  },

  async help() {
    const overview = reply(await send({ type: 2, data: { name: "help" } }));
    expect(overview.type).toBe(4);
    const listed = JSON.stringify(overview.data.components);
    for (const module of commands)
      expect(listed, `/help lists ${module.definition.name}`).toContain(module.definition.name);
    const one = reply(
      await send({ type: 2, data: { name: "help", options: [{ type: 3, name: "command", value: "chart" }] } }),
    );
    expect(one.data.content).toMatch(/^• `\/chart` — Draw a line or bar chart/);
    expect(one.data.content).toContain("◦ `values` (optional)");
    const suggested = reply(
      await send({
        type: 4,
        data: { name: "help", options: [{ type: 3, name: "command", value: "ch", focused: true }] },
      }),
    );
    expect(suggested).toEqual({ type: 8, data: { choices: [{ name: "/chart", value: "chart" }] } });
  },

  async chart() {
    const typed = await send({
      type: 2,
      data: {
        name: "chart",
        options: [
          { type: 3, name: "values", value: "2,4,8,16,32" },
          { type: 3, name: "title", value: "Doubling" },
        ],
      },
    });
    expect(typed.body).toEqual({ type: 5 });
    const line = await finalMessage(typed.token);
    expectChart(line, "line", 5);
    expect((line.embeds[0] as Embed).title).toBe("Doubling");
    const bar = buttons(line).find((b) => b.label === "Bar")!;
    expect(buttons(line).map((b) => [b.label, b.disabled ?? false])).toEqual([
      ["Line", true],
      ["Bar", false],
    ]);

    const clicked = await send({ type: 3, message_id: line.id, data: { custom_id: bar.custom_id, component_type: 2 } });
    expect(clicked.body).toEqual({ type: 6 });
    // A type-6 acknowledgement: the job edits the message the button is on, in place.
    const redrawn = await finalMessage(
      clicked.token,
      (message) => (message.embeds[0] as Embed).footer?.text === "bar chart",
    );
    expect(redrawn.id).toBe(line.id);
    expectChart(redrawn, "bar", 5);
    expect(buttons(redrawn).map((b) => [b.label, b.disabled ?? false])).toEqual([
      ["Line", false],
      ["Bar", true],
    ]);

    const file = upload("sales.csv", "text/csv", "day,sales\nmon,3\ntue,5\nwed,2\nthu,9\n");
    const csv = await send({
      type: 2,
      data: {
        name: "chart",
        options: [
          { type: 11, name: "file", value: file },
          { type: 3, name: "kind", value: "bar" },
        ],
      },
    });
    expect(csv.body).toEqual({ type: 5 });
    expectChart(await finalMessage(csv.token), "bar", 4);
  },

  async "Chart numbers"() {
    const posted = stack.emulator.emulator.postMessage({ content: "Visitors this week: 120, 95, 143 and 180" });
    if (!posted.ok) throw new Error(posted.error);
    const ran = await send({ type: 2, data: { name: "Chart numbers", type: 3, target_id: posted.message.id } });
    expect(ran.body).toEqual({ type: 5 });
    expectChart(await finalMessage(ran.token), "line", 4);
  },

  async feedback() {
    const thanked = reply(await giveFeedback("The bar chart colours are lovely"));
    expect(thanked).toMatchObject({
      type: 4,
      data: { content: "Thanks! Your feedback was received. 💌 (with your screenshot)", flags: 64 },
    });
  },

  async admin() {
    const text = `Admin should read this ${Date.now()}`;
    expect(reply(await giveFeedback(text)).data.content).toMatch(/^Thanks!/);
    // The feedback is saved after the answer (waitUntil): ask until /admin shows it.
    const latest = await eventually("the feedback in /admin feedback", async () => {
      const shown = reply(
        await send({
          type: 2,
          role: "admin",
          data: {
            name: "admin",
            options: [{ type: 1, name: "feedback", options: [{ type: 4, name: "limit", value: 20 }] }],
          },
        }),
      );
      return shown.data.content?.includes(text) ? shown : undefined;
    });
    expect(latest.data.content).toMatch(/^\*\*Latest feedback\*\* \(\d+; scope: this server only\)\n/);
    expect(latest.data.content).toContain("📎 `screen.png`");
    // /admin stats defers (ephemeral): its job reads the usage counters and draws the charts.
    const asked = await send({
      type: 2,
      role: "admin",
      data: { name: "admin", options: [{ type: 1, name: "stats" }] },
    });
    expect(asked.body).toMatchObject({ type: 5, data: { flags: 64 } });
    const stats = { data: await finalMessage(asked.token) };
    expect(stats.data.content).toMatch(
      /^\*\*Stats\*\* \(scope: this server only\)\nInteractions: [1-9]\d* \([1-9]\d* in the last 24 h\)\nFeedback messages: [1-9]/,
    );
    // Not an administrator: refused, not answered.
    const refused = reply(await send({ type: 2, data: { name: "admin", options: [{ type: 1, name: "stats" }] } }));
    expect(refused.data.content).toMatch(
      /^You don't have permission to use `\/admin`: it needs the Administrator permission/,
    );
  },

  async poll() {
    const posted = reply(
      await send({
        type: 2,
        data: {
          name: "poll",
          options: [
            { type: 3, name: "question", value: "Tea or coffee?" },
            { type: 3, name: "answers", value: "tea | coffee | water" },
            { type: 4, name: "hours", value: 2 },
          ],
        },
      }),
    );
    expect(posted.type).toBe(4);
    expect(posted.data.poll).toMatchObject({
      question: { text: "Tea or coffee?" },
      answers: [{ poll_media: { text: "tea" } }, { poll_media: { text: "coffee" } }, { poll_media: { text: "water" } }],
      duration: 2,
      allow_multiselect: false,
    });
  },
};

describe("every command of the bot, with the backend Worker and no Node backend", () => {
  beforeAll(async () => {
    local = await startTestStack("e2e-commands", { backend: "worker" });
    ({ stack, output } = local);
  }, 120_000);

  afterAll(async () => {
    await local?.stop();
  }, 60_000);

  it("runs no Node backend: workerd serves the backend's port, not this process or a child of it", () => {
    expect(stack.backend.kind).toBe("worker");
    const backendPort = Number(new URL(stack.backendUrl).port);
    const serving = listenersOf(backendPort);
    expect(serving.length).toBeGreaterThan(0);
    for (const listener of serving) expect(listener.command).toMatch(/workerd/);
    // This process serves the emulator (so its sockets are seen), not the backend.
    const ours = listeningPorts(process.pid);
    expect(ours).toContain(Number(new URL(stack.emulatorUrl).port));
    expect(ours).not.toContain(backendPort);
    expect(descendantsOf(process.pid).filter((p) => p.command.includes("src/backend/server.ts"))).toEqual([]);
  });

  it.each(commands.map((module) => module.definition.name))(
    "%s ends in its real answer",
    async (name) => {
      const script = SCRIPTS[name];
      if (!script)
        throw new Error(
          `no scripted use of the command "${name}": add one to SCRIPTS in test/node/e2e-commands.test.ts`,
        );
      await script();
      const module = commands.find((m) => m.definition.name === name)!;
      const missed = handlersOf(module).filter((handler) => !reached.get(name)?.has(handler));
      expect(missed, `handlers of "${name}" its script never reached`).toEqual([]);
    },
    90_000,
  );

  it("never runs two runtimes on one state folder: the migrations end before the Worker starts, the backend has its own", () => {
    // Two workerd processes on one --persist-to folder fail with SQLITE_BUSY ("exited (1) before serving"), seen on
    // loaded machines: the D1 migrations' runtime against the Worker's, and the backend Worker's against both.
    const migrated = output.findIndex((line) => /^\[worker\] d1: /.test(line));
    const workerStarting = output.findIndex(
      (line) => line.startsWith("[worker]") && line.includes("has access to the following bindings"),
    );
    expect(migrated).toBeGreaterThanOrEqual(0);
    expect(workerStarting).toBeGreaterThan(migrated);
    // Each wrangler dev (a watchdog, wrangler's bin and its child all carry its arguments): its port and its state.
    const runtimes = new Map<string, string | undefined>();
    for (const p of descendantsOf(process.pid)) {
      const port = /wrangler\.js dev .*--port (\d+)/.exec(p.command)?.[1];
      if (port) runtimes.set(port, /--persist-to (\S+)/.exec(p.command)?.[1]);
    }
    expect(runtimes.size).toBe(2);
    expect(new Set(runtimes.values()).size).toBe(2);
  });

  it("has no script for a command the module list no longer has", () => {
    const names = new Set(commands.map((module) => module.definition.name));
    expect(Object.keys(SCRIPTS).filter((name) => !names.has(name))).toEqual([]);
  });

  it("sent every chart job to the backend Worker", () => {
    // wrangler dev's request log of the backend Worker: the jobs above were served by workerd.
    const jobs = output.filter((line) => /^\[backend\] .*POST \/v1\/jobs\/chart 200/.test(line));
    expect(jobs.length).toBeGreaterThanOrEqual(4);
  });
});
