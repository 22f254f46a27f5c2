// Queue mode as an operator tries it (issue 21): the stack of `npm start -- --queue` (the Worker with RELAY_MODE=queue,
// its JOBS queue run locally by wrangler dev), the backend stopped. In the playground, in a real browser, /chart must
// first show the one status edit ("⏳ … I'm retrying …", never a result), and, once the backend is started again, the
// final edit with the chart, in the same message. Nothing here waits on a clock: each step waits for what the user
// sees (the queue's retries come 2, 4, 8, 16 s apart, src/worker/kit/engine/queue-consumer.ts).
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/lib/stack.ts";
import { findChromium, launchChromium } from "../support/browser.ts";
import { startTestStack, type TestStack } from "../support/test-stack.ts";

let local: TestStack | undefined;
let stack: Stack;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  const browser = await findChromium();
  local = await startTestStack("playground-queue", { relayMode: "queue" });
  stack = local.stack;
  context = await launchChromium(browser, join(local.dir, "chromium-profile"), {
    viewport: { width: 1200, height: 800 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await context.newPage();
  page.on("pageerror", (error) => local?.output.push(`[page] ${error.message}`));
  await page.goto(stack.playgroundUrl);
  await page.locator("body[data-ready=true]").waitFor();
}, 150_000);

afterAll(async () => {
  await context?.close();
  await local?.stop();
}, 60_000);

const output = () => (local?.output ?? []).slice(-60).join("\n");

describe("the playground in queue mode, with the backend stopped and started again", () => {
  it("shows one status edit, then the final edit with the chart in the same message", async () => {
    expect(stack.relayMode).toBe("queue");
    await stack.backend.close();
    const messages = page.locator("#messages article.message");
    const before = await messages.count();
    await page.locator("#command-input").fill("/chart values:4,8,15,16,23,42");
    await page.locator("#command-input").press("Enter");
    if ((await page.locator("#command-input").inputValue()) !== "") await page.locator("#command-input").press("Enter");
    await expect.poll(() => messages.count(), { timeout: 10_000 }).toBeGreaterThan(before);
    const message = messages.last();

    // The status: the queue's first attempt found the backend down, and the consumer said so before retrying.
    const content = message.locator(".message-content");
    await expect
      .poll(() => content.innerText().catch(() => ""), { timeout: 30_000, message: output() })
      .toMatch(/^⏳ .*retrying.*within \d+ min/);
    expect(await message.locator("img.embed-image").count()).toBe(0);
    const id = await message.getAttribute("data-message-id");

    // The backend comes back: a later attempt renders, and the final edit replaces the status in the same message.
    await stack.backend.start();
    const image = message.locator("img.embed-image");
    await image.waitFor({ timeout: 60_000 }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${output()}`);
    });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await message.getAttribute("data-message-id")).toBe(id);
    expect(await message.innerText()).not.toContain("⏳");

    // What Discord saw: @original was edited twice (the status, then the chart), and nothing else was sent.
    const sent = stack.emulator.emulator.state.sends.at(-1)!;
    const [original, ...followUps] = stack.emulator.emulator.messagesFor(String(sent.token));
    expect(followUps).toEqual([]);
    expect(original!.edits).toBe(2);
    expect(original!.attachments).toHaveLength(1);
  }, 120_000);
});
