// The pure parts of `npm run interact`'s steps: the order they are given in, finding the button or menu a user
// means on the bot's messages, and a form's submission shaped as Discord's client sends it.
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { buildSubmission, findButton, findSelect, stepsFrom } from "../../scripts/lib/interact-steps.ts";

const tokens = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    tokens: true,
    options: {
      press: { type: "string", multiple: true },
      pick: { type: "string", multiple: true },
      fill: { type: "string", multiple: true },
      submit: { type: "boolean", multiple: true },
    },
  }).tokens;

describe("the steps of npm run interact", () => {
  it("keeps the command line's order, and submits a form after its last --fill unless --submit says when", () => {
    expect(
      stepsFrom(
        tokens([
          "/feedback",
          "--fill",
          "Your feedback=Nice",
          "--fill",
          "Category=Idea",
          "--press",
          "Bar",
          "--pick",
          "Kind=Bar,Line",
        ]),
      ),
    ).toEqual([
      { kind: "fill", field: "Your feedback", value: "Nice" },
      { kind: "fill", field: "Category", value: "Idea" },
      { kind: "submit" },
      { kind: "press", label: "Bar" },
      { kind: "pick", select: "Kind", choices: ["Bar", "Line"] },
    ]);
    expect(stepsFrom(tokens(["--fill", "a=1", "--submit", "--pick", "x"]))).toEqual([
      { kind: "fill", field: "a", value: "1" },
      { kind: "submit" },
      { kind: "pick", select: null, choices: ["x"] },
    ]);
    expect(() => stepsFrom(tokens(["--fill", "novalue"]))).toThrow(
      '--fill takes <field>=<value> (the field\'s label or custom_id), got "novalue"',
    );
  });

  const chart = {
    id: "m1",
    components: [
      {
        type: 1,
        components: [
          { type: 2, label: "Line", custom_id: "chart:line:k", disabled: true },
          { type: 2, label: "Bar", custom_id: "chart:bar:k" },
        ],
      },
    ],
  };
  const v2 = {
    id: "m2",
    components: [
      {
        type: 17,
        components: [
          {
            type: 9,
            components: [{ type: 10, content: "hi" }],
            accessory: { type: 2, label: "More", custom_id: "help:more" },
          },
          {
            type: 1,
            components: [
              {
                type: 3,
                custom_id: "pick:letter",
                placeholder: "Letter",
                options: [
                  { label: "Alpha", value: "a" },
                  { label: "Beta", value: "b" },
                ],
              },
            ],
          },
        ],
      },
    ],
  };

  it("finds a button by label on the newest message that has it, in action rows and Components V2, and says why one cannot be pressed", () => {
    expect(findButton([v2, chart], "Bar")).toMatchObject({
      message: { id: "m1" },
      button: { custom_id: "chart:bar:k" },
    });
    expect(findButton([v2, chart], "more").button.custom_id).toBe("help:more");
    expect(() => findButton([v2, chart], "Line")).toThrow('the button "Line" is disabled on message m1');
    expect(() => findButton([v2, chart], "Pie")).toThrow(
      'no button "Pie" on the bot\'s messages; the buttons are "More", "Line" (disabled), "Bar"',
    );
  });

  it("finds the select menu offering the choices, by label or value, or the one it is told", () => {
    expect(findSelect([chart, v2], null, ["Beta"])).toMatchObject({ message: { id: "m2" }, values: ["b"] });
    expect(findSelect([v2], "Letter", ["a"]).values).toEqual(["a"]);
    expect(() => findSelect([v2], "Letter", ["Gamma"])).toThrow(
      'the select "Letter" has no option "Gamma"; its options are "Alpha", "Beta"',
    );
    expect(() => findSelect([v2], null, ["Alpha", "Beta"])).toThrow('the select "Letter" takes 1 choice, got 2');
    expect(() => findSelect([chart], null, ["Beta"])).toThrow('no select menu on the bot\'s messages offers "Beta"');
  });

  const feedback = {
    custom_id: "feedback:v1",
    title: "Feedback",
    components: [
      { type: 18, label: "Your feedback", component: { type: 4, custom_id: "text", style: 2 } },
      {
        type: 18,
        label: "Category",
        component: {
          type: 21,
          custom_id: "category",
          options: [
            { label: "Bug", value: "bug" },
            { label: "Idea", value: "idea" },
          ],
        },
      },
      { type: 18, label: "Screenshot", component: { type: 19, custom_id: "screenshot", required: false } },
      { type: 1, components: [{ type: 4, custom_id: "legacy", label: "Legacy", required: false }] },
    ],
  };

  it("builds a form's submission with values by label, uploads files, and refuses a required field left empty or an unknown one", async () => {
    const uploads: string[] = [];
    const upload = async (path: string) => (uploads.push(path), "att-1");
    const howToFill = (label: string) => `add --fill "${label}=…"`;
    const submission = await buildSubmission(
      feedback,
      new Map([
        ["Your feedback", "Nice"],
        ["category", "Idea"],
        ["Screenshot", "shot.png"],
      ]),
      { upload, howToFill },
    );
    expect(submission).toEqual({
      custom_id: "feedback:v1",
      components: [
        { type: 18, id: 1, component: { type: 4, id: 2, custom_id: "text", value: "Nice" } },
        { type: 18, id: 3, component: { type: 21, id: 4, custom_id: "category", value: "idea" } },
        { type: 18, id: 5, component: { type: 19, id: 6, custom_id: "screenshot", values: ["att-1"] } },
        { type: 1, id: 7, components: [{ type: 4, id: 8, custom_id: "legacy", value: "" }] },
      ],
    });
    expect(uploads).toEqual(["shot.png"]);
    await expect(buildSubmission(feedback, new Map([["Category", "Bug"]]), { upload, howToFill })).rejects.toThrow(
      'the form\'s field "Your feedback" is required: add --fill "Your feedback=…"',
    );
    await expect(
      buildSubmission(
        feedback,
        new Map([
          ["Your feedback", "x"],
          ["Category", "Praise"],
        ]),
        { upload, howToFill },
      ),
    ).rejects.toThrow('the form\'s field "Category" has no option "Praise"; its options are "Bug", "Idea"');
    await expect(buildSubmission(feedback, new Map([["Colour", "red"]]), { upload, howToFill })).rejects.toThrow(
      'the form "Feedback" has no field "Colour"; its fields are "Your feedback", "Category", "Screenshot", "Legacy"',
    );
  });
});
