// The playground in a real browser against a real stack (the same startStack as `npm start`): commands from the
// command box, autocomplete from the Worker, a deferred chart whose image changes when a button is clicked, a
// message posted and charted from its right-click Apps menu (and from the keyboard), a file upload, a modal,
// the admin toggle, the log, and the daily report posted by the Worker's cron. The stack and Chromium come from
// test/support/playground-page.ts.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinitions } from "../../scripts/lib/definitions.ts";
import type { Stack } from "../../scripts/lib/stack.ts";
import { openPlayground, playgroundControls, type OpenPlayground } from "../support/playground-page.ts";
import { ROOT as root } from "../support/test-stack.ts";

let playground: OpenPlayground | undefined;
let stack: Stack;
let page: Page;
let output: string[];

beforeAll(async () => {
  // /chart file: needs the dev SKU, as under npm start: the CSV step buys it with the premium button.
  playground = await openPlayground("playground-test", { devPremiumSku: true });
  ({ stack, page } = playground);
  output = playground.local.output;
}, 120_000);

afterAll(async () => {
  await playground?.close();
});

/**
 * HEAVY_BUDGET: the Worker lets one user make 5 heavy interactions (/chart, its buttons, Chart numbers) per
 * wall-clock minute (HEAVY_LIMITER in wrangler.toml), and every step here is the same user within seconds.
 * This file makes exactly 5: /chart, its Bar button, /chart Slow, Chart numbers and /chart file. (The premium
 * gate's refusal of /chart file is answered at once, never deferred, so it does not count.) A sixth would
 * be answered "faster than I can keep up" (or not, depending on where the minute turns), so new steps use
 * interactions that are not heavy.
 */
const { input, messages, lastMessage, run } = playgroundControls(() => page);

/**
 * Saves test-results/<name> (git-ignored). With PLAYGROUND_DOCS_SCREENSHOT=1 the chart moment also replaces
 * docs/playground.png, the README's picture.
 */
async function screenshot(name: string): Promise<void> {
  mkdirSync(join(root, "test-results"), { recursive: true });
  const path = join(root, "test-results", name);
  await page.screenshot({ path });
  if (name === "playground-chart.png" && process.env.PLAYGROUND_DOCS_SCREENSHOT === "1")
    copyFileSync(path, join(root, "docs", "playground.png"));
}

/** A 1×1 PNG, so images in V2 layouts load offline from the emulator. */
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

function attachmentIdOf(src: string | null): string {
  const match = /\/attachments\/\d+\/(\d+)\//.exec(src ?? "");
  if (!match) throw new Error(`not an emulator attachment URL: ${src}`);
  return match[1]!;
}

describe("the playground in Chromium", () => {
  it("lists the registered commands while typing and runs /ping", async () => {
    await input().click();
    await input().pressSequentially("/pi");
    const suggestion = page.locator(".suggestion", { hasText: "/ping" });
    await expect.poll(() => suggestion.count()).toBe(1);
    await input().press("Enter"); // takes the suggestion: "/ping "
    expect(await input().inputValue()).toBe("/ping ");
    await input().press("Enter"); // sends
    await lastMessage().getByText("Pong").waitFor();
    expect(await lastMessage().locator(".invocation").innerText()).toMatch(/Tester\s+used\s+\/ping/);
  });

  it("offers the bot's autocomplete suggestions (a real type-4 interaction)", async () => {
    await input().fill("");
    await input().pressSequentially("/help command:pi");
    await page.locator(".suggestion", { hasText: "/ping" }).waitFor({ timeout: 5_000 });
    expect(stack.emulator.emulator.state.sends.some((s) => s.type === 4 && s.status === 200)).toBe(true);
    await input().press("Enter");
    expect(await input().inputValue()).toBe("/help command:ping ");
    await input().press("Enter");
    await lastMessage().getByText("Check that the bot is up").waitFor();
  });

  it("draws /chart's image, and the Bar button replaces it", async () => {
    await run("/chart values:3,5,2,8");
    const image = lastMessage().locator("img.embed-image");
    await image.waitFor({ timeout: 20_000 });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const first = await image.getAttribute("src");
    await lastMessage().getByRole("button", { name: "Bar" }).click();
    await expect
      .poll(() => lastMessage().locator("img.embed-image").getAttribute("src"), { timeout: 20_000 })
      .not.toBe(first);
    const second = await lastMessage().locator("img.embed-image").getAttribute("src");
    expect(attachmentIdOf(second)).not.toBe(attachmentIdOf(first));
    expect(await lastMessage().getByRole("button", { name: "Bar" }).isDisabled()).toBe(true);
    expect(await lastMessage().locator(".embed-footer").innerText()).toContain("bar chart");
    // Still one message: the button edited it in place.
    expect(await messages().locator("img.embed-image").count()).toBe(1);
    await screenshot("playground-chart.png");
  });

  it("shows 'thinking…' while a deferred reply waits for its edit", async () => {
    // Hold the Worker's PATCH for a moment (an emulator fault), so "thinking…" is on screen long enough to see.
    stack.emulator.emulator.faults.push({
      match: { method: "PATCH", path: "/messages/@original" },
      times: 1,
      delayMs: 1_500,
    });
    await run("/chart values:1,2,3 title:Slow");
    await lastMessage().getByText("Emulated Bot is thinking…").waitFor({ timeout: 5_000 });
    await lastMessage().locator("img.embed-image").waitFor({ timeout: 20_000 });
    expect(await lastMessage().locator(".thinking").count()).toBe(0);
    expect(await lastMessage().locator(".embed-title").innerText()).toBe("Slow");
  });

  it("posts a message, and right-click → Apps → Chart numbers charts it: thinking…, then the image", async () => {
    await run("3 5 8 13");
    const posted = lastMessage();
    expect(await posted.getAttribute("aria-label")).toBe("message from Tester");
    expect(await posted.locator(".message-content").innerText()).toBe("3 5 8 13");
    const messageId = await posted.getAttribute("data-message-id");
    // Hold the Worker's PATCH a moment, so "thinking…" is on screen long enough to see.
    stack.emulator.emulator.faults.push({
      match: { method: "PATCH", path: "/messages/@original" },
      times: 1,
      delayMs: 1_500,
    });
    const before = await messages().locator("article.message").count();
    await posted.locator(".message-content").click({ button: "right" });
    const menu = page.getByRole("menu", { name: "Apps" });
    await menu.waitFor();
    expect(await menu.getByRole("menuitem").allInnerTexts()).toEqual(["Chart numbers"]);
    await screenshot("playground-apps.png");
    await menu.getByRole("menuitem", { name: "Chart numbers" }).click();
    await menu.waitFor({ state: "detached" });
    await expect.poll(() => messages().locator("article.message").count()).toBe(before + 1);
    await lastMessage().getByText("Emulated Bot is thinking…").waitFor({ timeout: 5_000 });
    expect(await lastMessage().locator(".invocation").innerText()).toMatch(/Tester\s+used\s+Chart numbers/);
    await lastMessage().locator("img.embed-image").waitFor({ timeout: 20_000 });
    expect(await lastMessage().locator(".thinking").count()).toBe(0);
    expect(await lastMessage().getByRole("button", { name: "Bar" }).isEnabled()).toBe(true);
    // Discord sent the whole target message, as the channel has it.
    const sent = stack.emulator.emulator.state.sends.at(-1)!;
    expect(sent.request).toMatchObject({
      type: 2,
      data: {
        name: "Chart numbers",
        type: 3,
        target_id: messageId,
        resolved: { messages: { [messageId!]: { content: "3 5 8 13", author: { global_name: "Tester" } } } },
      },
    });
  });

  it("reaches Apps from the keyboard: the message's Apps button, ↓ and Enter; an ephemeral answer offers no Apps", async () => {
    // A message command the Worker does not have (registered with the emulator only): it answers with an
    // ephemeral "I don't know", and costs none of the heavy budget (see HEAVY_BUDGET).
    const registered = await fetch(`${stack.emulator.apiBase}/applications/${stack.config.applicationId}/commands`, {
      method: "POST",
      headers: {
        Authorization: "Bot local-dev-token",
        "User-Agent": "DiscordBot (https://example.test, 1.0)",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ name: "Quote it", type: 3 }),
    });
    expect(registered.status).toBe(201);
    await expect
      .poll(() => page.evaluate("fetch('/__emulator/feed').then((r) => r.json()).then((f) => f.apps.message.length)"))
      .toBe(2);
    await run("to be or not to be");
    await lastMessage().getByRole("button", { name: "Apps for this message" }).focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Apps" });
    expect(await menu.getByRole("menuitem").allInnerTexts()).toEqual(["Chart numbers", "Quote it"]);
    const focused = () => page.evaluate("document.activeElement?.textContent");
    await expect.poll(focused).toBe("Chart numbers");
    await page.keyboard.press("ArrowDown");
    await expect.poll(focused).toBe("Quote it");
    await page.keyboard.press("Enter");
    await lastMessage().getByText("I don't know the command").waitFor();
    expect(await lastMessage().locator(".invocation").innerText()).toMatch(/Tester\s+used\s+Quote it/);
    expect(await lastMessage().locator(".ephemeral-note").innerText()).toContain("Only you can see this");
    // No Apps on an ephemeral message, as in Discord.
    expect(await lastMessage().getByRole("button", { name: "Apps for this message" }).count()).toBe(0);
  });

  it("offers the user commands on a right-clicked name, and Escape gives the focus back", async () => {
    const name = messages()
      .locator("article.message[aria-label='message from Tester']")
      .last()
      .getByRole("button", { name: "Tester" });
    await name.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "Apps" });
    await menu.waitFor();
    expect(await menu.innerText()).toContain("The bot has no user commands");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "detached" });
    expect(await name.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("sends a select menu choice as a component interaction carrying its message", async () => {
    const emulator = stack.emulator.emulator;
    const issued = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    // A retired feature's custom_id: its answer is not heavy (a chart: id would be, see HEAVY_BUDGET).
    const menu = {
      type: 3,
      custom_id: "retired:letter",
      placeholder: "Pick a letter",
      options: [
        { label: "Alpha", value: "a" },
        { label: "Beta", value: "b", description: "the second" },
      ],
    };
    expect(
      await emulator.recordInlineResponse(issued.token, {
        type: 4,
        data: { content: "Pick one", components: [{ type: 1, components: [menu] }] },
      }),
    ).toEqual({ ok: true });
    const message = lastMessage();
    await message.getByText("Pick one").waitFor();
    const messageId = await message.getAttribute("data-message-id");
    await message.getByRole("combobox", { name: "Pick a letter" }).selectOption("b");
    await lastMessage().getByText("This button or menu belongs to a feature this bot no longer has").waitFor();
    const sent = emulator.state.sends.at(-1)!;
    expect(sent.request).toMatchObject({
      type: 3,
      data: { component_type: 3, custom_id: menu.custom_id, values: ["b"] },
      message: { id: messageId, content: "Pick one" },
    });
    expect(await lastMessage().locator(".invocation").innerText()).toMatch(/Tester\s+chose\s+Beta/);
    // Ephemeral replies can be dismissed, as in Discord.
    await lastMessage().getByRole("button", { name: "Dismiss message" }).click();
    await expect.poll(() => messages().getByText("belongs to a feature this bot no longer has").count()).toBe(0);
  });

  it("builds forms from legacy action rows and echoes their structure on submit", async () => {
    // A script string, not a function: vitest would rewrite a function's import() before Playwright sends it.
    const modal = {
      custom_id: "legacy:v1",
      title: "Legacy",
      components: [
        { type: 1, components: [{ type: 4, custom_id: "name", label: "Name", style: 1, min_length: 2 }] },
        { type: 10, content: "**Note**" },
      ],
    };
    await page.evaluate(`import("/playground/modal.ts").then(({ openModal }) =>
      openModal(${JSON.stringify(modal)}, { now: Date.now() }, async (data) => { window.submitted = data; return null; }))`);
    const submitted = () => page.evaluate("window.submitted ?? null");
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Name").fill("x");
    await dialog.getByRole("button", { name: "Submit" }).click();
    expect(await dialog.isVisible()).toBe(true); // min_length 2 holds the form open, as Discord's client does
    await dialog.getByLabel("Name").fill("Ada");
    await dialog.getByRole("button", { name: "Submit" }).click();
    await expect.poll(submitted).not.toBeNull();
    expect(await submitted()).toEqual({
      custom_id: "legacy:v1",
      components: [
        { type: 1, id: 1, components: [{ type: 4, id: 2, custom_id: "name", value: "Ada" }] },
        { type: 10, id: 3 },
      ],
    });
    await dialog.waitFor({ state: "detached" });
  });

  it("draws and submits every modal input: entity selects, file upload, radio group, checkbox group, checkbox", async () => {
    const label = (text: string, component: Record<string, unknown>) => ({ type: 18, label: text, component });
    const modal = {
      custom_id: "every:v1",
      title: "Everything",
      components: [
        label("Who", { type: 5, custom_id: "who" }),
        label("Role", { type: 6, custom_id: "role", required: false }),
        label("Anyone", { type: 7, custom_id: "any" }),
        label("Where", { type: 8, custom_id: "where" }),
        label("Files", { type: 19, custom_id: "files", max_values: 2 }),
        label("Size", {
          type: 21,
          custom_id: "size",
          options: [
            { value: "s", label: "Small" },
            { value: "l", label: "Large", description: "the big one" },
          ],
        }),
        label("Toppings", {
          type: 22,
          custom_id: "toppings",
          min_values: 1,
          max_values: 2,
          options: [
            { value: "ham", label: "Ham" },
            { value: "egg", label: "Egg" },
            { value: "kale", label: "Kale" },
          ],
        }),
        label("Agree", { type: 23, custom_id: "agree" }),
      ],
    };
    // The page's own identity and upload route, as main.ts passes them.
    await page.evaluate(`Promise.all([import("/playground/modal.ts"), import("/playground/api.ts")]).then(async ([{ openModal }, { api }]) => {
      const { identity } = await api.feed();
      openModal(${JSON.stringify(modal)}, { now: Date.now() }, async (data) => { window.everything = data; return null; }, { identity, upload: (file) => api.upload(file) });
    })`);
    const submitted = () => page.evaluate("window.everything ?? null");
    const dialog = page.locator("dialog[open]");
    await dialog.waitFor();
    const {
      user,
      guild_id: guildId,
      channel,
    } = (await (await fetch(`${stack.playgroundUrl}__emulator/feed`)).json()).identity;
    await dialog.getByLabel("Who").selectOption(user.id);
    await dialog.getByLabel("Anyone").selectOption(guildId);
    await dialog.getByLabel("Where").selectOption(channel.id);
    await dialog.getByLabel("Files").setInputFiles([
      { name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("a") },
      { name: "b.txt", mimeType: "text/plain", buffer: Buffer.from("b") },
    ]);
    await dialog.getByRole("radio", { name: "Large" }).check();
    await dialog.getByRole("checkbox", { name: "Ham" }).check();
    await dialog.getByRole("checkbox", { name: "Egg" }).check();
    await dialog.getByRole("checkbox", { name: "Kale" }).check();
    await dialog.getByRole("button", { name: "Submit" }).click();
    expect(await dialog.isVisible()).toBe(true); // three toppings of at most two hold the form open
    await dialog.getByRole("checkbox", { name: "Kale" }).uncheck();
    await dialog.getByRole("checkbox", { name: "Agree" }).check();
    await dialog.getByRole("button", { name: "Submit" }).click();
    await expect.poll(submitted).not.toBeNull();
    const data = (await submitted()) as { components: Array<{ type: number; component: Record<string, unknown> }> };
    expect(data.components.map((c) => c.component)).toEqual([
      { type: 5, id: 2, custom_id: "who", values: [user.id] },
      { type: 6, id: 4, custom_id: "role", values: [] },
      { type: 7, id: 6, custom_id: "any", values: [guildId] },
      { type: 8, id: 8, custom_id: "where", values: [channel.id] },
      { type: 19, id: 10, custom_id: "files", values: [expect.any(String), expect.any(String)] },
      { type: 21, id: 12, custom_id: "size", value: "l" },
      { type: 22, id: 14, custom_id: "toppings", values: ["ham", "egg"] },
      { type: 23, id: 16, custom_id: "agree", value: true },
    ]);
    const files = data.components[4]!.component.values as string[];
    expect(files.map((id) => stack.emulator.emulator.state.uploads.get(id)?.filename)).toEqual(["a.txt", "b.txt"]);
    await dialog.waitFor({ state: "detached" });
  });

  it("draws a Components V2 message as Discord does: accent colour, spoilers, section with thumbnail, gallery, file, separators", async () => {
    const emulator = stack.emulator.emulator;
    const image = await (
      await fetch(`${stack.playgroundUrl}__emulator/uploads?filename=dot.png`, {
        method: "POST",
        headers: { "content-type": "image/png" },
        body: TINY_PNG,
      })
    ).json();
    const issued = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    const layout = {
      flags: 1 << 15,
      components: [
        {
          type: 17,
          accent_color: 0xff0000,
          components: [
            {
              type: 9,
              components: [{ type: 10, content: "## Report" }],
              accessory: { type: 11, media: { url: image.url }, description: "a dot" },
            },
            { type: 14, divider: false, spacing: 2 },
            { type: 12, items: [{ media: { url: image.url } }, { media: { url: image.url }, spoiler: true }] },
            { type: 14 },
            { type: 10, content: "Secret below" },
          ],
        },
        { type: 17, spoiler: true, components: [{ type: 10, content: "hidden text" }] },
      ],
    };
    expect(await emulator.recordInlineResponse(issued.token, { type: 4, data: layout })).toEqual({ ok: true });
    const message = lastMessage();
    await message.getByText("Report").waitFor();
    const boxes = message.locator(".v2-container");
    expect(await boxes.first().getAttribute("style")).toContain("border-left-color:#ff0000");
    expect(await message.locator(".v2-section img.v2-thumbnail").getAttribute("alt")).toBe("a dot");
    expect(await message.locator(".v2-gallery img.v2-gallery-image").count()).toBe(2);
    expect(await message.locator(".v2-separator.invisible.large").count()).toBe(1);
    expect(await message.getByRole("separator").count()).toBe(1);
    const spoilers = message.locator(".v2-spoiler:not(.revealed)");
    expect(await spoilers.count()).toBe(2); // a gallery item and the second container
    await spoilers.last().click();
    expect(await message.locator(".v2-spoiler.revealed").count()).toBe(1);
    expect(await message.locator(".message-content").count()).toBe(0);
  });

  it("uploads a CSV for /chart file: refused with Discord's premium button, bought with it, then drawn", async () => {
    await input().fill("");
    await input().pressSequentially("/chart file:");
    const chooser = page.waitForEvent("filechooser");
    await page.locator(".suggestion", { hasText: "Upload a file" }).click();
    await (await chooser).setFiles({
      name: "data.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("mon,3\ntue,5\nwed,2\nthu,8\n"),
    });
    await expect.poll(() => input().inputValue()).toBe("/chart file:data.csv ");
    await run(await input().inputValue());
    await lastMessage()
      .getByText(/is a premium feature/)
      .waitFor();
    const premium = lastMessage().getByRole("button", { name: /Premium charts \(dev SKU\)/ });
    expect(await premium.getAttribute("class")).toContain("style-premium");
    await premium.click();
    // The purchase: ENTITLEMENT_CREATE to the Worker's /events, and the button now says it is owned.
    await lastMessage()
      .getByRole("button", { name: /Purchased/ })
      .waitFor();
    expect(
      await lastMessage()
        .getByRole("button", { name: /Purchased/ })
        .isDisabled(),
    ).toBe(true);
    await expect
      .poll(() => stack.emulator.emulator.state.appEvents.map((e) => [e.type, e.status]))
      .toEqual([["ENTITLEMENT_CREATE", 204]]);

    // Again, as a user would after buying (↑ recalls the line; the composer still holds the uploaded file).
    await run("/chart file:data.csv ");
    await lastMessage().locator("img.embed-image").waitFor({ timeout: 20_000 });
    expect(await lastMessage().locator(".invocation").innerText()).toContain("/chart file:data.csv");
    const sent = stack.emulator.emulator.state.sends.at(-1)!.request as { entitlements: Array<{ sku_id: string }> };
    expect(sent.entitlements.map((e) => e.sku_id)).toEqual([stack.premiumSkuId]);
  });

  it("opens /feedback's modal, fills the category and uploads a screenshot, submits it and shows the ephemeral thanks", async () => {
    await input().fill("/feedback");
    await input().press("Enter"); // A modal adds no message; the dialog is the answer.
    const dialog = page.locator("dialog[open]");
    await dialog.waitFor();
    expect(await dialog.locator(".modal-title").innerText()).toBe("Feedback");
    await dialog.getByLabel("Your feedback").fill("The playground is handy.");
    expect(await dialog.getByRole("radio").count()).toBe(3);
    await dialog.getByRole("radio", { name: "Bug" }).check();
    await dialog.getByLabel("Screenshot").setInputFiles({
      name: "shot.png",
      mimeType: "image/png",
      buffer: Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    });
    await dialog.getByRole("button", { name: "Submit" }).click();
    await dialog.waitFor({ state: "detached" });
    await lastMessage().getByText("Thanks! Your feedback was received.").waitFor();
    expect(await lastMessage().innerText()).toContain("with your screenshot");
    expect(await lastMessage().locator(".ephemeral-note").innerText()).toContain("Only you can see this");
    // The MODAL_SUBMIT as Discord builds it: inputs inside their labels, the upload resolved by id.
    const submit = stack.emulator.emulator.state.sends.filter((s) => s.type === 5).at(-1)!.request as Record<
      string,
      any
    >;
    const [text, category, screenshot] = submit.data.components;
    expect(text.component).toMatchObject({ type: 4, custom_id: "text", value: "The playground is handy." });
    expect(category.component).toMatchObject({ type: 21, custom_id: "category", value: "bug" });
    expect(screenshot.component).toMatchObject({ type: 19, custom_id: "screenshot", values: [expect.any(String)] });
    expect(submit.data.resolved.attachments[screenshot.component.values[0]]).toMatchObject({
      filename: "shot.png",
      content_type: "image/png",
    });
  });

  it("draws /help's Components V2 layout: a container of text displays naming every command", async () => {
    await run("/help");
    const box = lastMessage().locator(".v2-container");
    await box.waitFor();
    const texts = (await box.locator(".v2-text").allInnerTexts()).join("\n");
    // The bot's own list (what `npm run register` sends), not the emulator's: other steps register test commands.
    const names = (await loadDefinitions()).map((c) => ((c.type ?? 1) === 1 ? `/${c.name}` : c.name));
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(texts).toContain(name);
    expect(await lastMessage().locator(".message-content").count()).toBe(0);
    expect(await lastMessage().locator(".ephemeral-note").innerText()).toContain("Only you can see this");
    await screenshot("playground-help.png");
  });

  it("runs /admin stats as a member (refused) and as an admin (answered)", async () => {
    await run("/admin stats");
    await lastMessage().getByText("You don't have permission").waitFor();
    await page.locator("label.toggle").click();
    expect(await page.locator("#admin-toggle").isChecked()).toBe(true);
    await run("/admin stats");
    await lastMessage()
      .getByText(/Interactions: \d+/)
      .waitFor();
    expect(await lastMessage().locator(".tag-admin").count()).toBe(1);
  });

  it("adds the app to the server from the App menu, and /admin stats counts the install", async () => {
    await page.locator("#app-button").click();
    await page.getByRole("menuitem", { name: "Add to server" }).click();
    const event = page.locator("#log .log-event", { hasText: "/events" });
    await event.first().waitFor();
    await expect.poll(() => event.last().locator(".log-status").innerText()).toBe("204");
    // The Worker answers an event 204 only once it is recorded (handle-events.ts), so one /admin stats has it. That
    // command is a job (usage counters): wait for its final edit, not the "thinking…" it shows first.
    await run("/admin stats");
    await lastMessage()
      .getByText(/installs[^\n]*received:/i)
      .waitFor();
    expect(await lastMessage().innerText()).toMatch(/installs[^\n]*received: 1/i);
    expect(await page.locator("#connection").isHidden()).toBe(true);
  });

  it("acts as a user install in a group DM: only that channel, only the commands offered there, /ping in German", async () => {
    const inGeneral = await messages().locator("article.message").count();
    expect(inGeneral).toBeGreaterThan(0);
    await page.locator("#place-select").selectOption("2");
    await page.locator("#locale-select").selectOption("de");
    await expect.poll(() => messages().locator("article.message").count()).toBe(0);
    expect(await page.locator("#welcome-title").innerText()).toBe("A group DM the bot is not in");
    expect(await page.locator("#admin-toggle").isDisabled()).toBe(true);
    expect(await input().getAttribute("placeholder")).toMatch(/^Message the group/);
    // /admin is for servers only (contexts [0]): Discord does not offer it here.
    await input().fill("");
    await input().pressSequentially("/");
    await page.locator(".suggestion", { hasText: "/ping" }).waitFor();
    expect(await page.locator(".suggestion", { hasText: "/admin" }).count()).toBe(0);
    await input().fill("");
    await run("/ping");
    await lastMessage()
      .getByText(/🏓 Pong! .*Von Discord zum Worker: \d+ ms\./)
      .waitFor();
    const sent = stack.emulator.emulator.state.sends.at(-1)!.request as Record<string, any>;
    expect(sent).toMatchObject({
      context: 2,
      locale: "de",
      channel: { type: 3 },
      authorizing_integration_owners: { "1": expect.any(String) },
    });
    expect(sent.member).toBeUndefined();
    // Back in the server: its messages again, and the admin toggle.
    await page.locator("#place-select").selectOption("0");
    await page.locator("#locale-select").selectOption("en-US");
    await expect.poll(() => messages().locator("article.message").count()).toBe(inGeneral);
    expect(await page.locator("#admin-toggle").isDisabled()).toBe(false);
  });

  it("draws /poll's poll: the question, each answer, how many may be picked", async () => {
    await run("/poll question:Tea or coffee? answers:tea | coffee | water multiple:true");
    const drawn = lastMessage().locator(".poll");
    await drawn.waitFor();
    expect(await drawn.locator(".poll-question").innerText()).toBe("Tea or coffee?");
    expect(await drawn.locator(".poll-answer").allInnerTexts()).toEqual(["tea", "coffee", "water"]);
    expect(await drawn.locator(".poll-hint").innerText()).toBe("Select one or more answers");
    expect(await drawn.locator(".poll-footer").innerText()).toMatch(/^0 votes • 24h left/);
  });

  it("logs each interaction and the Worker's API calls with status and timing", async () => {
    const log = page.locator("#log");
    await log.locator(".log-interaction").first().waitFor();
    const summaries = await log.locator("summary").allInnerTexts();
    expect(summaries.some((s) => /→ Worker\s+POST\s+\/interactions\s+200\s+\d+ ms/.test(s))).toBe(true);
    expect(summaries.some((s) => /→ API\s+PATCH\s+\/webhooks\/…\/messages\/@original\s+200\s+\d+ ms/.test(s))).toBe(
      true,
    );
    const titles = await log.locator(".log-api summary").evaluateAll((els) => els.map((e) => e.getAttribute("title")));
    expect(titles).toContain(`/api/v10/webhooks/${stack.config.applicationId}/:token/messages/@original`);
    await screenshot("playground.png");
    expect(output.filter((line) => line.startsWith("[page]"))).toEqual([]);
  });

  it("runs the Worker's daily cron from the top bar: the daily report arrives in #general from the bot, with its chart", async () => {
    const before = await messages().locator("article.message").count();
    await page.locator("#cron-button").click();
    await expect.poll(() => messages().locator("article.message").count(), { timeout: 20_000 }).toBeGreaterThan(before);
    const report = lastMessage();
    await report.getByText("Daily report").waitFor();
    await report.getByText("By command").waitFor();
    await report.locator('img[src*="traffic.png"]').waitFor();
    // The report can arrive through the feed before the button's own call returns: wait for the button to come back.
    await expect.poll(() => page.locator("#cron-button").isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator("#connection").isHidden()).toBe(true);
  });
});
