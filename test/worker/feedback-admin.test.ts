import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { command, interaction, sendWith } from "../support/interactions.worker.ts";
import { askAdminStats, resetUsage } from "../support/usage.worker.ts";

async function run(payload: Record<string, unknown>, workerEnv: Record<string, unknown> = env as never) {
  const ctx = createExecutionContext();
  const response = await sendWith(payload, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(200);
  return (await response.json()) as { type: number; data?: Record<string, any> };
}

// The form as Discord submits it: each input inside its Label (`component`); the upload's ids resolve in `resolved`.
const submit = (
  text: unknown,
  extra: Record<string, unknown> = {},
  category: unknown = "idea",
  upload?: { id: string; filename: string },
) =>
  interaction({
    type: 5,
    data: {
      custom_id: "feedback:v1",
      components: [
        { type: 18, id: 1, component: { type: 4, id: 2, custom_id: "text", value: text } },
        { type: 18, id: 3, component: { type: 21, id: 4, custom_id: "category", value: category } },
        { type: 18, id: 5, component: { type: 19, id: 6, custom_id: "screenshot", values: upload ? [upload.id] : [] } },
      ],
      ...(upload
        ? {
            resolved: {
              attachments: {
                [upload.id]: {
                  id: upload.id,
                  filename: upload.filename,
                  size: 1234,
                  content_type: "image/png",
                  url: `https://cdn.discordapp.com/ephemeral-attachments/1/${upload.id}/${upload.filename}?ex=abc&is=def&hm=signed`,
                },
              },
            },
          }
        : {}),
    },
    ...extra,
  });
const rows = async () =>
  (await env.DB!.prepare("SELECT interaction_id, user_id, guild_id, text FROM feedback ORDER BY id").all()).results;
const adminMember = {
  user: { id: "400000000000000004", username: "boss" },
  permissions: String((1n << 3n) | (1n << 40n)),
};
const plainMember = {
  user: { id: "400000000000000005", username: "pleb" },
  permissions: String((1n << 10n) | (1n << 11n)),
};

afterEach(async () => {
  vi.restoreAllMocks();
  await env.DB!.exec("DELETE FROM feedback;");
  await resetUsage();
});

describe("/feedback", () => {
  it("opens a modal with a paragraph input of at most 1,000 characters", async () => {
    const body = await run(command("feedback"));
    expect(body.type).toBe(9);
    expect(body.data).toMatchObject({ custom_id: "feedback:v1", title: "Feedback" });
    expect(body.data?.components[0].component).toMatchObject({
      type: 4,
      style: 2,
      max_length: 1000,
      custom_id: "text",
    });
  });

  it("thanks the user ephemerally and stores the text after the response", async () => {
    const payload = submit("  Love the charts!  ");
    const body = await run(payload);
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data?.content).toContain("Thanks");
    expect(await rows()).toEqual([
      {
        interaction_id: payload.id,
        user_id: "400000000000000004",
        guild_id: "200000000000000002",
        text: "Love the charts!",
      },
    ]);
  });

  it("stores a duplicate delivery of the same interaction once", async () => {
    const payload = submit("only once");
    await run(payload);
    await run(payload);
    expect(await rows()).toHaveLength(1);
    // Its claim is the deferred engine's record (the interactions table is no longer written: issue 24).
    const { results } = await env
      .DB!.prepare("SELECT COUNT(*) AS n FROM deferred_jobs WHERE interaction_id = ?")
      .bind(payload.id)
      .all();
    expect(results[0]).toEqual({ n: 1 });
  });

  it.each([
    ["empty", "   ", /empty/],
    ["too long", "x".repeat(1001), /1001 characters; the limit is 1000/],
    ["not text", 42, /empty/],
  ])("refuses %s feedback with an ephemeral message and stores nothing", async (_name, text, expected) => {
    const body = await run(submit(text));
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data?.content).toMatch(expected);
    expect(await rows()).toHaveLength(0);
  });

  it("asks for a category (radio group bug/idea/other) and an optional screenshot (file upload), each in a label", async () => {
    const body = await run(command("feedback"));
    const [, category, screenshot] = body.data?.components;
    expect(category).toMatchObject({
      type: 18,
      label: "Category",
      component: {
        type: 21,
        custom_id: "category",
        options: [{ value: "bug" }, { value: "idea" }, { value: "other" }],
      },
    });
    expect(category.component.required).not.toBe(false);
    expect(screenshot).toMatchObject({
      type: 18,
      label: "Screenshot",
      component: { type: 19, custom_id: "screenshot", required: false, max_values: 1 },
    });
  });

  it("stores the category and the screenshot's filename, never its signed URL", async () => {
    const payload = submit("It crashed", {}, "bug", { id: "700000000000000007", filename: "crash.png" });
    const body = await run(payload);
    expect(body.data?.content).toContain("with your screenshot");
    const stored = await env.DB!.prepare("SELECT * FROM feedback").all();
    expect(stored.results).toMatchObject([{ text: "It crashed", category: "bug", file_name: "crash.png" }]);
    expect(JSON.stringify(stored.results)).not.toContain("cdn.discordapp.com");
    await run(submit("No picture", {}, "other"));
    expect(await env.DB!.prepare("SELECT category, file_name FROM feedback WHERE text = 'No picture'").first()).toEqual(
      { category: "other", file_name: null },
    );
  });

  it.each([
    ["a category the form does not offer", "praise"],
    ["no category", null],
  ])("refuses %s as an out-of-date form and stores nothing", async (_name, category) => {
    const body = await run(submit("hello", {}, category));
    expect(body.data?.content).toMatch(/out of date/);
    expect(await rows()).toHaveLength(0);
  });

  it("refuses a form with state that is not ours", async () => {
    const body = await run(interaction({ type: 5, data: { custom_id: "feedback:v0", components: [] } }));
    expect(body.data?.content).toMatch(/out of date/);
  });

  it("still thanks the user when storage fails, and logs the failure", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = {
      ...env,
      DB: {
        prepare: () => {
          throw new Error("D1 is down");
        },
      },
    };
    const body = await run(submit("hello"), broken);
    expect(body.data?.content).toContain("Thanks");
    const lines = errors.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines.find((l) => l.event === "interaction.claim_failed")).toMatchObject({ error: "D1 is down" });
    expect(lines.find((l) => l.event === "background")).toMatchObject({
      task: "feedback.save",
      outcome: "error",
      error: "D1 is down",
    });
  });
});

describe("/admin", () => {
  it("refuses members without Administrator, mentioning permission", async () => {
    const body = await run(command("admin", [{ type: 1, name: "stats" }], { member: plainMember }));
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data?.content).toMatch(/permission/);
  });

  it("refuses a DM user (no member) who is not listed", async () => {
    const body = await run(
      command("admin", [{ type: 1, name: "stats" }], { member: null, user: { id: "1", username: "x" } }),
    );
    expect(body.data?.content).toMatch(/permission/);
  });

  it("admits a user listed in ADMIN_USER_IDS without the permission", async () => {
    const body = await askAdminStats(
      command("admin", [{ type: 1, name: "stats" }], {
        member: { ...plainMember, user: { id: "900000000000000009", username: "op" } },
      }),
    );
    expect(body.data?.content).toContain("**Stats**");
  });

  it("counts interactions and feedback for an administrator", async () => {
    await run(submit("one"));
    await run(submit("two"));
    const body = await askAdminStats(command("admin", [{ type: 1, name: "stats" }], { member: adminMember }));
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toMatch(/Interactions: 2 \(2 in the last 24 h\)/);
    expect(body.data?.content).toMatch(/Feedback messages: 2/);
  });

  it("lists the latest feedback, newest first, within the limit", async () => {
    for (const text of ["first", "second", "third"]) await run(submit(text));
    const body = await run(
      command("admin", [{ type: 1, name: "feedback", options: [{ type: 4, name: "limit", value: 2 }] }], {
        member: adminMember,
      }),
    );
    expect(body.data?.content).toContain("(2; scope: this server only)");
    expect(body.data?.content.indexOf("third")).toBeLessThan(body.data?.content.indexOf("second"));
    expect(body.data?.content).not.toContain("first");
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it("shows the category next to each text, and whether a file came with it", async () => {
    await run(submit("the bar chart is off by one", {}, "bug", { id: "700000000000000008", filename: "bars.png" }));
    await run(submit("add pie charts", {}, "idea"));
    const body = await run(command("admin", [{ type: 1, name: "feedback" }], { member: adminMember }));
    expect(body.data?.content).toMatch(/\[bug\] 📎 `bars\.png`: the bar chart is off by one/);
    expect(body.data?.content).toMatch(/\[idea\]: add pie charts/);
  });

  describe("scope: a server's Administrator sees that server only, an operator sees every server", () => {
    const otherGuild = "200000000000000099";
    const operator = { ...plainMember, user: { id: "900000000000000009", username: "op" } };
    const outsider = { user: { id: "400000000000000077", username: "mallory" }, permissions: String(1n << 3n) };
    async function seed() {
      await run(submit("ours: the charts are great"));
      await run(
        submit("theirs: secret roadmap idea", {
          guild_id: otherGuild,
          member: { ...outsider, user: { id: "400000000000000088", username: "victim" } },
        }),
      );
      await run(submit("theirs: second", { guild_id: otherGuild }));
    }

    it("/admin feedback shows an Administrator only their server's feedback, and says so", async () => {
      await seed();
      const body = await run(command("admin", [{ type: 1, name: "feedback" }], { member: outsider }));
      expect(body.data?.content).toContain("scope: this server only");
      expect(body.data?.content).toContain("ours: the charts are great");
      expect(body.data?.content).not.toContain("theirs");
      expect(body.data?.content).not.toContain("400000000000000088");
    });

    it("/admin stats counts only the Administrator's server", async () => {
      await seed();
      const ours = await askAdminStats(command("admin", [{ type: 1, name: "stats" }], { member: adminMember }));
      // The admin's own /admin call is recorded after its answer, so it is not counted in that answer.
      expect(ours.data?.content).toMatch(/scope: this server only/);
      expect(ours.data?.content).toMatch(/Interactions: 1 \(1 in the last 24 h\)/);
      expect(ours.data?.content).toMatch(/Feedback messages: 1/);
      const theirs = await askAdminStats(
        command("admin", [{ type: 1, name: "stats" }], { guild_id: otherGuild, member: adminMember }),
      );
      expect(theirs.data?.content).toMatch(/Interactions: 2 \(2 in the last 24 h\)/);
      expect(theirs.data?.content).toMatch(/Feedback messages: 2/);
    });

    it("an operator listed in ADMIN_USER_IDS sees every server, and the answer says so", async () => {
      await seed();
      const feedback = await run(command("admin", [{ type: 1, name: "feedback" }], { member: operator }));
      expect(feedback.data?.content).toContain("scope: all servers, as an operator");
      expect(feedback.data?.content).toContain("theirs: secret roadmap idea");
      expect(feedback.data?.content).toContain("ours: the charts are great");
      const stats = await askAdminStats(command("admin", [{ type: 1, name: "stats" }], { member: operator }));
      expect(stats.data?.content).toMatch(/scope: all servers/);
      expect(stats.data?.content).toMatch(/Feedback messages: 3/);
    });

    it("an operator in a DM sees every server; an Administrator bit without a guild grants nothing", async () => {
      await seed();
      const dm = await askAdminStats(
        command("admin", [{ type: 1, name: "stats" }], {
          member: null,
          guild_id: undefined,
          user: { id: "900000000000000009", username: "op" },
        }),
      );
      expect(dm.data?.content).toMatch(/Feedback messages: 3/);
      const forged = await run(
        command("admin", [{ type: 1, name: "feedback" }], { guild_id: undefined, member: outsider }),
      );
      expect(forged.data?.content).toMatch(/permission/);
      expect(forged.data?.content).not.toContain("theirs");
    });
  });

  it("declares default_member_permissions as a string bitfield", async () => {
    const { definition } = await import("../../src/worker/app/commands/admin.ts");
    expect(definition.default_member_permissions).toBe("8");
  });
});
