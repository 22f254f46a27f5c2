// Discord's newer surface in the playground, in a real browser against a real stack (startStack, as `npm start`):
// Linked Roles from the App menu through the emulated authorize page to the Linked Roles Worker's callback, the
// linked metadata in the top bar and its update after a chart; the application emoji drawn in the chart message; the
// file pickers offering only what `file_types` allows. Its own stack (not playground.test.ts's), so its chart does
// not take from that file's heavy-command budget. The stack and Chromium as in playground.test.ts (test/support/playground-page.ts).
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/lib/stack.ts";
import { emojiStore } from "../../src/emulator/routes/emojis.ts";
import { openPlayground, playgroundControls, type OpenPlayground } from "../support/playground-page.ts";

let playground: OpenPlayground | undefined;
let stack: Stack;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  playground = await openPlayground("playground-surface-test");
  ({ stack, context, page } = playground);
}, 120_000);

afterAll(async () => {
  await playground?.close();
});

const { input, lastMessage, run } = playgroundControls(() => page);
const linkedRole = () => page.locator("#linked-role");

describe("the playground's Linked Roles, emojis and file types in Chromium", () => {
  it("links roles from the App menu: Discord's authorize page, Authorize, the bot's page, and the metadata in the top bar", async () => {
    expect(await linkedRole().isHidden()).toBe(true);
    await page.locator("#app-button").click();
    const opened = context.waitForEvent("page");
    await page.getByRole("menuitem", { name: "Link roles (Linked Roles)" }).click();
    const tab = await opened;
    // /linked-role on the Worker → 302 to the emulated Discord's authorize page, naming the scopes.
    await tab.getByRole("button", { name: "Authorize" }).waitFor();
    expect(new URL(tab.url()).origin).toBe(stack.emulatorUrl);
    expect(await tab.locator("body").innerText()).toContain("Update your role connection metadata (Linked Roles)");
    await tab.getByRole("button", { name: "Authorize" }).click();
    // Back on the Worker's /discord-oauth-callback (the state cookie matched): the Linked Roles Worker's page.
    await tab.getByText(/is linked: 0 charts drawn so far/).waitFor();
    expect(new URL(tab.url()).pathname).toBe("/discord-oauth-callback");
    expect(new URL(tab.url()).origin).toBe(stack.workerUrl);
    await tab.close();

    await expect.poll(() => linkedRole().isVisible()).toBe(true);
    expect(await linkedRole().innerText()).toBe("🔗 edge-discord-bot: Charts drawn 0");
  });

  it("draws /chart's message with the bot's application emoji, and the chart updates the linked metadata", async () => {
    await run("/chart values:3,5,8");
    await lastMessage().locator("img.embed-image").waitFor({ timeout: 20_000 });
    const emoji = lastMessage().locator("img.md-emoji").first();
    expect(await emoji.getAttribute("alt")).toBe(":chart:");
    const [id] = [...emojiStore(stack.emulator.emulator.state).values()]
      .filter((e) => e.name === "chart")
      .map((e) => e.id);
    expect(await emoji.getAttribute("src")).toBe(`/emojis/${id}.png`);
    // Drawn, not a broken image: the emulator served the PNG the sync uploaded.
    await expect.poll(() => emoji.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // After the final edit, the Linked Roles Worker counts the chart and PUTs the role connection (task.after).
    await expect.poll(() => linkedRole().innerText(), { timeout: 15_000 }).toBe("🔗 edge-discord-bot: Charts drawn 1");
  });

  it("offers only the file types an ATTACHMENT option allows: /chart file: picks .csv or .txt", async () => {
    await input().fill("");
    await input().pressSequentially("/chart file:");
    const suggestion = page.locator(".suggestion", { hasText: "Upload a file" });
    await suggestion.waitFor();
    expect(await suggestion.innerText()).toContain("accepts .csv, .txt");
    const chooser = page.waitForEvent("filechooser");
    await suggestion.click();
    expect(await (await chooser).element().getAttribute("accept")).toBe(".csv,.txt");
    await input().fill("");
  });

  it("offers only images in /feedback's File Upload (file_types: image)", async () => {
    await input().fill("/feedback");
    await input().press("Enter");
    const dialog = page.locator("dialog[open]");
    await dialog.waitFor();
    const picker = dialog.getByLabel("Screenshot");
    expect(await picker.getAttribute("accept")).toBe("image/*");
    expect(await picker.getAttribute("title")).toBe("accepts image");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
  });
});
