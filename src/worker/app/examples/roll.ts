// src/worker/app/examples/roll.ts
import {
  actionRow,
  button,
  ephemeral,
  EVERYWHERE,
  job,
  labelled,
  modalForm,
  OptionType,
  reply,
  showModal,
  slashCommand,
  textInput,
  type CommandContext,
  type ComponentContext,
  type HandlerResult,
  type ModalContext,
  type Translate,
} from "../../kit/index.ts";

export const definition = slashCommand({
  name: "roll",
  name_localizations: { de: "würfeln", fr: "dés" },
  description: "Roll a die, or many",
  description_localizations: { de: "Einen Würfel werfen, oder viele", fr: "Lancer un dé, ou plusieurs" },
  ...EVERYWHERE, // servers, the bot's DM and group DMs; installable by a server or by a user
  options: [
    { type: OptionType.Integer, name: "sides", description: "How many sides", min_value: 2, max_value: 1000 },
    { type: OptionType.Integer, name: "times", description: "How many rolls", min_value: 1, max_value: 1_000_000 },
  ],
});

// Heavy work is a named job with a JSON input. It runs after the acknowledgement (waitUntil or the queue, the
// same function either way) and its return value is the one final edit of the "thinking…" message.
export const jobs = {
  many: job<{ sides: number; times: number }>(async ({ sides, times }, task) => {
    let total = 0;
    for (let i = 0; i < times; i++) total += 1 + Math.floor(Math.random() * sides);
    // A follow-up only the user sees. Sent while "thinking…" shows, it would replace it (publicly): the engine holds it
    // and sends it right after the final edit, so the user reads the result, then this note.
    await task.followUp(task.t("rollCount", times), { ephemeral: true });
    return { data: { content: `🎲 ${times} × d${sides}: ${total}` } };
  }),
};

// A modal's inputs, keyed by custom_id: one declaration for the form and for reading its submit. Its label is in the
// user's language, like every word the bot shows (`t`, the message catalogue), so the form is made per language.
const nameForm = (t: Translate) => modalForm({ name: labelled(t("rollName"), textInput({ maxLength: 40 })) });

export function command({
  options,
  defer,
  customId,
  t,
}: CommandContext<typeof definition, typeof jobs>): HandlerResult {
  const sides = options.sides ?? 6; // number | undefined, from the definition; `options.side` does not compile
  const times = options.times ?? 1;
  if (times > 1000) return defer("many", { sides, times }); // "thinking…" now, the job's message later
  let total = 0;
  for (let i = 0; i < times; i++) total += 1 + Math.floor(Math.random() * sides);
  return reply({
    content: `🎲 ${total}`,
    components: [
      actionRow(
        button({ label: t("rollAgain"), customId: customId("again", sides) }),
        button({ label: t("rollNameIt"), customId: customId("name") }),
      ),
    ],
  });
}

// Clicks on this module's buttons: customId() put "roll:" in front, and routes them back here.
export function component({ id, customId, t }: ComponentContext): HandlerResult {
  if (id.args[0] === "name") {
    return showModal({ custom_id: customId("named"), title: t("rollNameTitle"), components: nameForm(t).components });
  }
  const sides = Number(id.args[1]) || 6;
  return reply(`🎲 ${1 + Math.floor(Math.random() * sides)}`);
}

// The modal's submit: its custom_id also starts with "roll:". read() types the values from the form (null when the
// submit has another shape), so `.nmae` does not compile.
export function modal({ fields, t }: ModalContext): HandlerResult {
  return ephemeral(t("rollSaved", nameForm(t).read(fields)?.name ?? ""));
}
