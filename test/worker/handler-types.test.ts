// Compile-time guarantees of the handler API. `npm test` type-checks this file first (`npm run typecheck`):
// every `@ts-expect-error` below must be an error, or the type-check fails; the rest must compile. The runtime
// test at the end only keeps the file in vitest's list.
import { describe, expect, it } from "vitest";
import {
  EVERYWHERE,
  messageCommand,
  OptionType,
  slashCommand,
  userCommand,
} from "../../src/worker/kit/dispatch/definitions.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { listModules } from "../../src/worker/kit/dispatch/registry.ts";
import { componentState } from "../../src/worker/kit/dispatch/custom-id.ts";
import type { CommandContext, HandlerResult, Subcommands } from "../../src/worker/kit/dispatch/types.ts";
import { deferReply, ephemeral } from "../../src/worker/kit/discord/responses.ts";
import { labelled, textInput } from "../../src/worker/kit/discord/components.ts";
import {
  checkbox,
  checkboxGroup,
  fileUpload,
  radioGroup,
  userSelect,
} from "../../src/worker/kit/discord/modal-inputs.ts";
import { modalForm } from "../../src/worker/kit/dispatch/modal-form.ts";
import type { ModalFields } from "../../src/worker/kit/dispatch/modal-fields.ts";

const roll = slashCommand({
  name: "roll",
  description: "Roll dice",
  ...EVERYWHERE,
  options: [
    { type: OptionType.Integer, name: "sides", description: "Sides", min_value: 2 },
    {
      type: OptionType.String,
      name: "mode",
      description: "Mode",
      required: true,
      choices: [
        { name: "sum", value: "sum" },
        { name: "max", value: "max" },
      ],
    },
    { type: OptionType.User, name: "for", description: "Roll for someone" },
    { type: OptionType.Attachment, name: "table", description: "A table" },
  ],
});
const rollJobs = { big: job<{ sides: number }>(async ({ sides }) => ({ data: { content: String(sides) } })) };

export function rollCommand({ options, defer }: CommandContext<typeof roll, typeof rollJobs>): HandlerResult {
  const sides: number | undefined = options.sides;
  const mode: "sum" | "max" = options.mode; // required: no undefined; choices: the union of their values
  const someone: string | undefined = options.for?.username;
  const url: string | undefined = options.table?.url;
  // @ts-expect-error a misspelt option name is a compile error
  void options.side;
  // @ts-expect-error an integer option is not a string
  const wrong: string | undefined = options.sides;
  // @ts-expect-error an optional option may be undefined
  const sure: number = options.sides;
  // @ts-expect-error defer names one of the module's jobs
  void defer("huge", { sides: 6 });
  // @ts-expect-error with that job's input
  void defer("big", { sides: "six" });
  void [sides, mode, someone, url, wrong, sure];
  return mode === "max" ? defer("big", { sides: sides ?? 6 }) : ephemeral("ok");
}

// @ts-expect-error a bare deferral is not a handler result: the user would watch "thinking…" forever
export const bare: HandlerResult = deferReply();

// @ts-expect-error a job's input must survive JSON (the queue carries it)
export const notJson = job<{ at: Date }>(async () => ({ data: {} }));

// @ts-expect-error a definition field Discord does not have is a compile error
export const typo = slashCommand({ name: "x", descripton: "y" });

const admin = slashCommand({
  name: "admin",
  description: "Admin",
  options: [
    { type: OptionType.Subcommand, name: "stats", description: "Stats" },
    {
      type: OptionType.SubcommandGroup,
      name: "config",
      description: "Config",
      options: [
        {
          type: OptionType.Subcommand,
          name: "set",
          description: "Set",
          options: [{ type: OptionType.Integer, name: "level", description: "L", required: true }],
        },
      ],
    },
  ],
});
export const adminHandlers = {
  stats: () => ephemeral("stats"),
  "config set": ({ options }) => ephemeral(`level ${options.level + 1}`),
} satisfies Subcommands<typeof admin>;
// @ts-expect-error every subcommand path needs its handler, and only real paths are keys
export const missing = { stats: () => ephemeral("x"), "config get": () => ephemeral("y") } satisfies Subcommands<
  typeof admin
>;

const menu = messageCommand({ name: "Quote it" });
export function quote({ target }: CommandContext<typeof menu>): HandlerResult {
  return ephemeral(`${target.author?.username ?? "someone"} said ${target.content.length} characters`);
}
const whois = userCommand({ name: "Who is this" });
export function who({ target }: CommandContext<typeof whois>): HandlerResult {
  // @ts-expect-error a user command has no options, only its target
  void target.options;
  return ephemeral(target.member?.nick ?? target.username);
}

const state = componentState("kind", "key");
export const built = state.build({ kind: "bar", key: "abc" });
// @ts-expect-error a state field the module did not declare
export const wrongField = state.build({ kind: "bar", ky: "abc" });
export function readState(args: readonly string[]): string | undefined {
  const read = state.read(args);
  // @ts-expect-error reading a field that is not declared
  void read?.kyd;
  return read?.key;
}

const form = modalForm({
  note: labelled("Note", textInput({})),
  urgent: labelled("Urgent", checkbox()),
  kind: labelled(
    "Kind",
    radioGroup({
      options: [
        { value: "bug", label: "Bug" },
        { value: "idea", label: "Idea" },
      ],
    }),
  ),
  maybe: labelled(
    "Maybe",
    radioGroup({
      required: false,
      options: [
        { value: "a", label: "A" },
        { value: "b", label: "B" },
      ],
    }),
  ),
  tags: labelled(
    "Tags",
    checkboxGroup({
      options: [
        { value: "ui", label: "UI" },
        { value: "api", label: "API" },
      ],
    }),
  ),
  people: labelled("People", userSelect()),
  shots: labelled("Shots", fileUpload({ maxValues: 3 })),
});
export function readForm(fields: ModalFields): string {
  const values = form.read(fields);
  if (!values) return "out of date";
  const note: string = values.note;
  const urgent: boolean = values.urgent; // booleans stay booleans
  const kind: "bug" | "idea" = values.kind; // a required radio group: one of its values, never null
  const maybe: "a" | "b" | null = values.maybe;
  const tags: readonly ("ui" | "api")[] = values.tags; // groups and selects are arrays
  const names: string[] = values.people.map((u) => u.username); // user selects resolve to users
  const files: string[] = values.shots.map((a) => a.filename); // uploads resolve to attachments
  // @ts-expect-error a key the form does not declare
  void values.notes;
  // @ts-expect-error a checkbox is not a string
  const wrong: string = values.urgent;
  // @ts-expect-error an optional radio group may be null
  const sure: string = values.maybe;
  return [note, urgent, kind, maybe, tags, names, files, wrong, sure].join();
}

const good = { definition: roll, command: rollCommand, jobs: rollJobs };
export const listed = () => listModules(good);
// @ts-expect-error a listed command says who can install it and where it runs (integration_types, contexts)
export const unplaced = () => listModules({ ...good, definition: { name: "roll", description: "Roll dice" } });
// @ts-expect-error an export nothing would call (`autoComplete`, not `autocomplete`) fails where the module is listed
export const misspelt = () => listModules({ ...good, autoComplete: () => ephemeral("x") });

describe("handler types", () => {
  it("compile (see the type-check of this file)", () => {
    expect(listed()).toHaveLength(1);
    expect(built).toEqual(["bar", "abc"]);
    expect(readState(["line", "k"])).toBe("k");
    expect(readState(["line"])).toBeUndefined();
    expect(readForm(new Map())).toBe("out of date");
  });
});
