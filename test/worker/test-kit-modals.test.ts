// The test kit's modal submits (test/support/bot.worker.ts `submit`): built from the modal the handler opened, as
// Discord's client sends them (src/emulator/modal-submission.ts, shared with `npm run interact -- --fill`), for
// every input a modal can hold, with the client's refusals. The bot's own /feedback form, and a form with the rest.
import { describe, expect, it } from "vitest";
import {
  checkbox,
  checkboxGroup,
  EVERYWHERE,
  labelled,
  modalForm,
  reply,
  showModal,
  slashCommand,
  stringSelect,
  textInput,
  userSelect,
  type CommandContext,
  type ModalContext,
} from "../../src/worker/kit/index.ts";
import * as feedback from "../../src/worker/app/commands/feedback.ts";
import { testBot } from "../support/bot.worker.ts";

const form = modalForm({
  size: labelled(
    "Size",
    stringSelect({
      customId: "",
      options: [
        { label: "Small", value: "s" },
        { label: "Large", value: "l" },
      ],
    }),
  ),
  toppings: labelled(
    "Toppings",
    checkboxGroup({
      options: [
        { value: "olive", label: "Olives" },
        { value: "basil", label: "Basil" },
        { value: "chili", label: "Chili" },
      ],
      minValues: 0,
    }),
  ),
  friend: labelled("For whom", userSelect({ required: false })),
  hot: labelled("Extra hot", checkbox()),
  note: labelled("Note", textInput({ required: false })),
});

const surveyDefinition = slashCommand({ name: "survey", description: "opens a form", ...EVERYWHERE });
const survey = {
  definition: surveyDefinition,
  command: ({ customId }: CommandContext<typeof surveyDefinition>) =>
    showModal({ custom_id: customId("v1"), title: "Order", components: form.components }),
  modal: ({ fields }: ModalContext) => {
    const values = form.read(fields);
    if (!values) return reply({ content: "unreadable" });
    const { size, toppings, friend, hot, note } = values;
    return reply({
      content: `size=${size} toppings=${toppings.join("+")} friend=${friend.map((u) => u.id).join(",") || "-"} hot=${hot} note=${note || "-"}`,
    });
  },
};

describe("the test kit's modal submits", () => {
  const bot = testBot([survey, feedback]);

  it("submits /feedback's form by its labels: text, a radio group by option label, an uploaded screenshot", async () => {
    const opened = await bot.command(feedback, {});
    const thanked = await bot.submit(opened, {
      "Your feedback": "Handy",
      Category: "Idea",
      Screenshot: { filename: "shot.png", contentType: "image/png" },
    });
    expect(thanked.reply?.content).toContain("with your screenshot");
    expect(thanked.reply?.flags).toBe(64);
  });

  it("fills selects, checkbox groups, entity selects and checkboxes with typed values", async () => {
    const opened = await bot.command(survey, {});
    const done = await bot.submit(opened, {
      Size: ["Large"],
      toppings: ["olive", "Chili"],
      "For whom": ["1000000000000000003"],
      "Extra hot": true,
    });
    expect(done.reply?.content).toBe("size=l toppings=olive+chili friend=1000000000000000003 hot=true note=-");
  });

  it("refuses what Discord's client would not send, naming the field", async () => {
    const opened = await bot.command(survey, {});
    await expect(bot.submit(opened, { toppings: [] })).rejects.toThrow(`testBot: the form's field "Size" is required`);
    await expect(bot.submit(opened, { Size: ["Medium"] })).rejects.toThrow(
      `testBot: the form's field "Size" has no option "Medium"; its options are "Small", "Large"`,
    );
    await expect(bot.submit(opened, { Size: ["Small"], Colour: "red" })).rejects.toThrow(
      `testBot: the form "Order" has no field "Colour"`,
    );
  });
});
