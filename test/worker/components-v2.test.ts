// Components V2 and the modal components: the builders' JSON, the rules checked before anything is sent (in the
// response and in a job's follow-ups, progress and final edit), and typed modal values read from a real submit.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { actionRow, button, labelled, stringSelect, textInput } from "../../src/worker/kit/discord/components.ts";
import {
  container,
  file,
  layoutMessage,
  mediaGallery,
  section,
  separator,
  SeparatorSpacing,
  textDisplay,
  thumbnail,
} from "../../src/worker/kit/discord/layout.ts";
import {
  channelSelect,
  checkbox,
  checkboxGroup,
  fileUpload,
  mentionableSelect,
  radioGroup,
  roleSelect,
  userSelect,
} from "../../src/worker/kit/discord/modal-inputs.ts";
import { ephemeral, messageProblem, showModal, reply, update } from "../../src/worker/kit/discord/responses.ts";
import { layoutProblem } from "../../src/worker/kit/discord/v2-rules.ts";
import { readModalFields } from "../../src/worker/kit/dispatch/modal-fields.ts";
import { modalForm } from "../../src/worker/kit/dispatch/modal-form.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, component, interaction, signedRequest } from "../support/interactions.worker.ts";

const V2 = 1 << 15;
const text = (content: string) => ({ type: 10, content });
const rowButton = { type: 1, components: [{ type: 2, style: 2, label: "Go", custom_id: "x:go" }] };

describe("layout builders", () => {
  it("build Discord's JSON for container, section, text display, thumbnail, media gallery, file and separator", () => {
    const message = layoutMessage(
      container(
        { accentColor: 0xff0000, spoiler: true },
        section(
          thumbnail({ url: "https://example.com/a.png", description: "A" }),
          textDisplay("# Title"),
          textDisplay("body"),
        ),
        separator({ divider: false, spacing: SeparatorSpacing.Large }),
        mediaGallery({ url: "attachment://chart.png", spoiler: true }, { url: "https://example.com/b.png" }),
        file("data.csv"),
      ),
      actionRow(button({ label: "Go", customId: "x:go" })),
    );
    expect(message).toEqual({
      flags: V2,
      components: [
        {
          type: 17,
          accent_color: 0xff0000,
          spoiler: true,
          components: [
            {
              type: 9,
              components: [
                { type: 10, content: "# Title" },
                { type: 10, content: "body" },
              ],
              accessory: { type: 11, media: { url: "https://example.com/a.png" }, description: "A" },
            },
            { type: 14, divider: false, spacing: 2 },
            {
              type: 12,
              items: [
                { media: { url: "attachment://chart.png" }, spoiler: true },
                { media: { url: "https://example.com/b.png" } },
              ],
            },
            { type: 13, file: { url: "attachment://data.csv" } },
          ],
        },
        rowButton,
      ],
    });
    expect(messageProblem(message as never)).toBeNull();
    expect(ephemeral(message)).toMatchObject({ data: { flags: V2 | 64 } });
  });

  it("leave the rules to the checker, which names the component and the rule", () => {
    expect(messageProblem(layoutMessage(textDisplay("")) as never)).toMatch(/text display: needs content/);
    expect(messageProblem(layoutMessage(container({ accentColor: 0x1000000 }, textDisplay("x"))) as never)).toMatch(
      /container: accent_color is 0x000000-0xFFFFFF/,
    );
    expect(messageProblem(layoutMessage(section(thumbnail({ url: "https://e.x/a.png" }))) as never)).toMatch(
      /section holds 0 components; Discord allows 1-3/,
    );
    expect(
      messageProblem(layoutMessage(section(thumbnail({ url: "ftp://e.x/a.png" }), textDisplay("x"))) as never),
    ).toMatch(/thumbnail: needs media.url/);
    expect(messageProblem(layoutMessage(mediaGallery()) as never)).toMatch(
      /media gallery holds 0 items; Discord allows 1-10/,
    );
  });
});

describe("Components V2 rules", () => {
  it.each([
    ["content with the flag", { flags: V2, content: "hi", components: [text("x")] }, /cannot have content/],
    ["embeds with the flag", { flags: V2, embeds: [{ title: "t" }], components: [text("x")] }, /cannot have embeds/],
    [
      "a poll with the flag",
      { flags: V2, poll: { question: { text: "q" } }, components: [text("x")] },
      /cannot have poll/,
    ],
    [
      "a text display without the flag",
      { components: [text("x")] },
      /text display cannot be at the top of a message without the IS_COMPONENTS_V2 flag/,
    ],
    [
      "41 components in all",
      { flags: V2, components: [{ type: 17, components: Array.from({ length: 40 }, () => text("x")) }] },
      /41 components in all/,
    ],
    [
      "a thumbnail at the top",
      { flags: V2, components: [{ type: 11, media: { url: "https://e.x/a.png" } }] },
      /thumbnail cannot be at the top/,
    ],
    [
      "a container in a container",
      { flags: V2, components: [{ type: 17, components: [{ type: 17, components: [text("x")] }] }] },
      /container cannot be in a container/,
    ],
    [
      "a section without an accessory",
      { flags: V2, components: [{ type: 9, components: [text("x")] }] },
      /needs an accessory/,
    ],
    [
      "four texts in a section",
      {
        flags: V2,
        components: [
          {
            type: 9,
            components: [text("a"), text("b"), text("c"), text("d")],
            accessory: { type: 11, media: { url: "https://e.x/a.png" } },
          },
        ],
      },
      /section holds 4 components; Discord allows 1-3/,
    ],
    [
      "a file that is not an attachment",
      { flags: V2, components: [{ type: 13, file: { url: "https://e.x/a.csv" } }] },
      /attachment:\/\//,
    ],
    [
      "4,001 characters of text",
      { flags: V2, components: [text("x".repeat(2000)), text("y".repeat(2001))] },
      /4001 characters; Discord allows 4000/,
    ],
    [
      "a select beside a button",
      {
        flags: V2,
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 1, custom_id: "a:b" },
              { type: 3, custom_id: "a:c", options: [] },
            ],
          },
        ],
      },
      /select menu must be alone/,
    ],
    [
      "a label in a message",
      { flags: V2, components: [{ type: 18, label: "x", component: { type: 4, custom_id: "a" } }] },
      /label cannot be at the top/,
    ],
    [
      "a bad separator spacing",
      { flags: V2, components: [{ type: 14, spacing: 3 }] },
      /spacing is 1 \(small\) or 2 \(large\)/,
    ],
  ])("refuses %s", (_name, data, problem) => {
    expect(messageProblem(data as never)).toMatch(problem);
    expect(() => reply(data as never)).toThrow(problem);
  });

  it("counts nested components: 40 in all passes, and empty content may clear a message being switched to V2", () => {
    const forty = {
      flags: V2,
      content: "",
      embeds: [],
      components: [{ type: 17, components: Array.from({ length: 39 }, () => text("x")) }],
    };
    expect(messageProblem(forty)).toBeNull();
    expect(layoutProblem([rowButton], "message")).toBeNull();
  });

  it("holds an edit of a message that already has the flag to the V2 rules (the flag cannot be removed)", () => {
    expect(messageProblem({ content: "plain" }, true)).toMatch(/cannot have content/);
    expect(messageProblem({ components: [text("ok")] }, true)).toBeNull();
  });

  it("checks a modal's components: labels around one input each, text displays, and the new inputs' option counts", () => {
    const ok = showModal({
      custom_id: "m:1",
      title: "T",
      components: [
        text("Intro") as never,
        labelled(
          "Pick",
          radioGroup({
            customId: "r",
            options: [
              { value: "a", label: "A" },
              { value: "b", label: "B" },
            ],
          }),
        ),
      ],
    });
    expect(ok.type).toBe(9);
    expect(() =>
      showModal({
        custom_id: "m:1",
        title: "T",
        components: [
          { type: 18, label: "Pick", component: { type: 21, custom_id: "r", options: [{ value: "a", label: "A" }] } },
        ] as never,
      }),
    ).toThrow(/radio group holds 1 options; Discord allows 2-10/);
    expect(() =>
      showModal({
        custom_id: "m:1",
        title: "T",
        components: [{ type: 18, label: "x", component: { type: 10, content: "no" } }] as never,
      }),
    ).toThrow(/text display cannot be in a label/);
    expect(() =>
      showModal({
        custom_id: "m:1",
        title: "T",
        components: [{ type: 18, label: "x", component: { type: 23, custom_id: "" } }] as never,
      }),
    ).toThrow(/custom_id/);
  });
});

let discord: DiscordEmulator;
beforeEach(() => {
  discord = createDiscordEmulator();
  routeOutbound({ "discord.test": (request) => discord.fetch(request) });
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

async function send(registry: ReturnType<typeof createRegistry>, payload: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const response = await handleInteractionRequest(
    (await signedRequest(JSON.stringify(payload))) as never,
    { ...env, HEAVY_LIMITER: undefined } as never,
    ctx,
    registry,
  );
  await waitOnExecutionContext(ctx);
  return (await response.json()) as { type: number; data?: Record<string, any> };
}

const patches = () => discord.calls({ method: "PATCH" }).map((c) => (c.body as { json: Record<string, any> }).json);

describe("V2 mistakes are handler errors with a reference id, in the response and in jobs", () => {
  it("a handler's V2 reply with content becomes an ephemeral error with a reference, not a 400 from Discord", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const registry = createRegistry([
      defineModule({
        definition: { name: "bad", description: "x" },
        command: () => ({ type: 4, data: { flags: V2, content: "oops", components: [text("x")] } }) as never,
      }),
    ]);
    const body = await send(registry, command("bad"));
    expect(body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/reference `[0-9a-f]{8}`/) },
    });
  });

  it("an update (type 7) of a V2 message must stay V2", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const registry = createRegistry([
      defineModule({
        definition: { name: "card", description: "x" },
        command: () => ephemeral("x"),
        component: () => update("plain text"),
      }),
    ]);
    const onV2 = await send(
      registry,
      component("card:flip", { message: { id: "600000000000000006", flags: V2, components: [text("x")] } }),
    );
    expect(onV2.data?.content).toMatch(/reference `[0-9a-f]{8}`/);
    const onLegacy = await send(registry, component("card:flip"));
    expect(onLegacy).toMatchObject({ type: 7, data: { content: "plain text" } });
  });

  it("a job's invalid V2 final message ends as the readable error edit with a reference", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const module = defineModule({
      definition: { name: "report", description: "x" },
      jobs: {
        build: job(async () => ({
          data: {
            flags: V2,
            components: [{ type: 17, components: Array.from({ length: 45 }, () => text("row")) }],
          } as never,
        })),
      },
      command: ({ defer }) => defer("build", null),
    });
    expect(await send(createRegistry([module]), command("report"))).toEqual({ type: 5 });
    const [edit] = patches();
    expect(edit!.content).toMatch(/Something went wrong.*reference `[0-9a-f]{8}`/);
    expect(discord.calls({ method: "PATCH" })).toHaveLength(1);
  });

  it("a job's valid V2 final message is sent with the flag; after a V2 progress edit, the error edit is a V2 text display", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const good = defineModule({
      definition: { name: "good", description: "x" },
      jobs: { build: job(async () => ({ data: layoutMessage(container({}, textDisplay("done"))) })) },
      command: ({ defer }) => defer("build", null),
    });
    await send(createRegistry([good]), command("good"));
    expect(patches()[0]).toMatchObject({
      flags: V2,
      components: [{ type: 17, components: [{ type: 10, content: "done" }] }],
    });

    const progress = defineModule({
      definition: { name: "steps", description: "x" },
      jobs: {
        build: job(async (_input, task) => {
          await task.progress(layoutMessage(textDisplay("step 1 of 2")));
          return { data: { content: "legacy text on a V2 message" } };
        }),
      },
      command: ({ defer }) => defer("build", null),
    });
    await send(createRegistry([progress]), command("steps"));
    const [, step, final] = patches();
    expect(step).toMatchObject({ flags: V2, components: [{ type: 10, content: "step 1 of 2" }] });
    expect(final).toMatchObject({
      flags: V2,
      components: [{ type: 10, content: expect.stringMatching(/reference `[0-9a-f]{8}`/) }],
    });
    expect(final!.content).toBeUndefined();
  });

  it("a job's invalid V2 follow-up throws in the job, so the job ends in the error edit", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const module = defineModule({
      definition: { name: "notes", description: "x" },
      jobs: {
        build: job(async (_input, task) => {
          await task.followUp({ flags: V2, content: "no" });
          return { data: { content: "never" } };
        }),
      },
      command: ({ defer }) => defer("build", null),
    });
    await send(createRegistry([module]), command("notes"));
    expect(discord.calls({ method: "POST" }).filter((c) => c.path.includes("/webhooks/"))).toHaveLength(0);
    expect(patches()[0]!.content).toMatch(/reference `[0-9a-f]{8}`/);
  });
});

describe("modal values", () => {
  const resolved = {
    users: { "11": { id: "11", username: "ann" }, "12": { id: "12", username: "bob" } },
    members: { "11": { nick: "Annie", roles: [] } },
    roles: { "21": { id: "21", name: "mods" } },
    channels: { "31": { id: "31", name: "general", type: 0 } },
    attachments: {
      "41": {
        id: "41",
        filename: "shot.png",
        size: 10,
        content_type: "image/png",
        url: "https://cdn.discordapp.com/a/41/shot.png?ex=1",
      },
    },
  };
  // As Discord submits a modal: inputs inside labels (`component`), a text display with no value, a legacy row.
  const data: {
    custom_id: string;
    resolved: typeof resolved;
    components: {
      type: number;
      id: number;
      component?: Record<string, unknown> & { custom_id: string };
      components?: unknown[];
    }[];
  } = {
    custom_id: "all:v1",
    resolved,
    components: [
      { type: 10, id: 1 },
      { type: 18, id: 2, component: { type: 4, id: 3, custom_id: "name", value: "Ann" } },
      { type: 18, id: 4, component: { type: 23, id: 5, custom_id: "agree", value: true } },
      { type: 18, id: 6, component: { type: 21, id: 7, custom_id: "size", value: "m" } },
      { type: 18, id: 8, component: { type: 22, id: 9, custom_id: "toppings", values: ["ham", "egg"] } },
      { type: 18, id: 10, component: { type: 3, id: 11, custom_id: "colour", values: ["red"] } },
      { type: 18, id: 12, component: { type: 5, id: 13, custom_id: "who", values: ["11", "99"] } },
      { type: 18, id: 14, component: { type: 6, id: 15, custom_id: "role", values: ["21"] } },
      { type: 18, id: 16, component: { type: 7, id: 17, custom_id: "any", values: ["12", "21"] } },
      { type: 18, id: 18, component: { type: 8, id: 19, custom_id: "where", values: ["31"] } },
      { type: 18, id: 20, component: { type: 19, id: 21, custom_id: "upload", values: ["41"] } },
      { type: 1, id: 22, components: [{ type: 4, id: 23, custom_id: "legacy", value: "row" }] },
    ],
  };

  it("reads every kind: text as a string, checkbox as a boolean, selects and groups as arrays, ids through resolved", () => {
    const fields = readModalFields(data);
    expect(Object.fromEntries([...fields].map(([k, f]) => [k, f.value]))).toEqual({
      name: "Ann",
      agree: true,
      size: "m",
      toppings: ["ham", "egg"],
      colour: ["red"],
      who: [
        expect.objectContaining({
          kind: "user",
          id: "11",
          username: "ann",
          member: expect.objectContaining({ nick: "Annie" }),
        }),
      ],
      role: [{ kind: "role", id: "21", name: "mods" }],
      any: [expect.objectContaining({ kind: "user", id: "12" }), { kind: "role", id: "21", name: "mods" }],
      where: [{ id: "31", name: "general", type: 0, applicationId: null }],
      upload: [
        {
          id: "41",
          filename: "shot.png",
          size: 10,
          contentType: "image/png",
          url: "https://cdn.discordapp.com/a/41/shot.png?ex=1",
        },
      ],
      legacy: "row",
    });
    expect(fields.get("agree")?.type).toBe(23);
  });

  const form = modalForm({
    intro: textDisplay("Tell us"),
    name: labelled("Name", textInput({})),
    agree: labelled("Agree", checkbox()),
    size: labelled(
      "Size",
      radioGroup({
        options: [
          { value: "s", label: "S" },
          { value: "m", label: "M" },
        ],
      }),
    ),
    toppings: labelled(
      "Toppings",
      checkboxGroup({
        options: [
          { value: "ham", label: "Ham" },
          { value: "egg", label: "Egg" },
        ],
      }),
    ),
    colour: labelled("Colour", stringSelect({ customId: "", options: [{ label: "Red", value: "red" }] })),
    who: labelled("Who", userSelect()),
    role: labelled("Role", roleSelect()),
    any: labelled("Any", mentionableSelect()),
    where: labelled("Where", channelSelect()),
    upload: labelled("Upload", fileUpload({ maxValues: 2 })),
  });

  it("a form sets each input's custom_id from its key and reads a matching submit into typed values", () => {
    expect(
      form.components.map((c) =>
        "component" in c ? c.component.custom_id : `text:${(c as { content: string }).content}`,
      ),
    ).toEqual(["text:Tell us", "name", "agree", "size", "toppings", "colour", "who", "role", "any", "where", "upload"]);
    const values = form.read(readModalFields(data));
    expect(values).not.toBeNull();
    const { name, agree, size, toppings, upload } = values!;
    expect({ name, agree, size, toppings, upload: upload.map((a) => a.filename) }).toEqual({
      name: "Ann",
      agree: true,
      size: "m",
      toppings: ["ham", "egg"],
      upload: ["shot.png"],
    });
  });

  it("a form reads a submit of another shape as null: a missing input, another kind, a value it does not offer", () => {
    const without = { ...data, components: data.components.filter((c) => c.component?.custom_id !== "size") };
    expect(form.read(readModalFields(without))).toBeNull();
    const otherKind = {
      ...data,
      components: data.components.map((c) =>
        c.component?.custom_id === "agree" ? { ...c, component: { type: 4, custom_id: "agree", value: "yes" } } : c,
      ),
    };
    expect(form.read(readModalFields(otherKind))).toBeNull();
    const forged = {
      ...data,
      components: data.components.map((c) =>
        c.component?.custom_id === "size" ? { ...c, component: { ...c.component, value: "xxl" } } : c,
      ),
    };
    expect(form.read(readModalFields(forged))).toBeNull();
  });

  it("a form reads an optional input missing from the submit as empty, a required one as another shape", () => {
    const optional = modalForm({
      note: labelled("Note", textInput({ required: false })),
      shot: labelled("Shot", fileUpload({ required: false })),
      pick: labelled(
        "Pick",
        radioGroup({
          required: false,
          options: [
            { value: "a", label: "A" },
            { value: "b", label: "B" },
          ],
        }),
      ),
      ok: labelled("OK", checkbox()),
      must: labelled("Must", textInput({})),
    });
    const submit = (components: unknown[]) => readModalFields({ components });
    expect(optional.read(submit([{ type: 18, component: { type: 4, custom_id: "must", value: "x" } }]))).toEqual({
      note: "",
      shot: [],
      pick: null,
      ok: false,
      must: "x",
    });
    expect(optional.read(submit([]))).toBeNull();
  });

  it("a module's modal handler gets the typed fields through the Worker", async () => {
    const seen: unknown[] = [];
    const registry = createRegistry([
      defineModule({
        definition: { name: "all", description: "x" },
        command: () => ephemeral("x"),
        modal: ({ fields }) => {
          const values = form.read(fields);
          seen.push(
            values && {
              agree: values.agree,
              who: values.who.map((u) => u.username),
              upload: values.upload.map((a) => a.filename),
            },
          );
          return ephemeral("ok");
        },
      }),
    ]);
    await send(registry, interaction({ type: 5, data }));
    expect(seen).toEqual([{ agree: true, who: ["ann"], upload: ["shot.png"] }]);
  });
});
