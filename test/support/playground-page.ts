// The playground open in Chromium against a test stack of its own (the same startStack as `npm start`), as the
// playground's browser tests start it, and the few moves every one of them makes on the page: the command box,
// the message list, running a command as a user types it. Chromium comes from browser.ts: when none is found the
// test file fails and says what to set; it never downloads a browser and never skips.
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import type { Stack } from "../../scripts/lib/stack.ts";
import { findChromium, launchChromium } from "./browser.ts";
import { startTestStack, type TestStack } from "./test-stack.ts";

/**
 * Root in CI (--no-sandbox), no GPU, and no background, update, sync or QUIC traffic on a closed network.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

export interface OpenPlayground {
  local: TestStack;
  stack: Stack;
  context: BrowserContext;
  /** The playground's page, ready (body[data-ready=true]); its uncaught errors go to the stack's output as `[page] …`. */
  page: Page;
  /** Closes the browser, then stops the stack. */
  close(): Promise<void>;
}

/**
 * Finds Chromium (before anything slow starts), starts a test stack (`prefix`, `stackOptions` as startTestStack's),
 * launches Chromium with its profile in the stack's folder, and opens the playground. Whatever fails on the way,
 * what had started is stopped again.
 */
export async function openPlayground(
  prefix: string,
  stackOptions: Parameters<typeof startTestStack>[1] = {},
  viewport = { width: 1400, height: 900 },
): Promise<OpenPlayground> {
  const browser = await findChromium();
  const local = await startTestStack(prefix, stackOptions);
  let context: BrowserContext | undefined;
  try {
    context = await launchChromium(browser, join(local.dir, "chromium-profile"), { viewport, args: CHROMIUM_ARGS });
    const page = await context.newPage();
    page.on("pageerror", (error) => local.output.push(`[page] ${error.message}`));
    await page.goto(local.stack.playgroundUrl);
    await page.locator("body[data-ready=true]").waitFor();
    const opened = context;
    return {
      local,
      stack: local.stack,
      context: opened,
      page,
      async close() {
        await opened.close();
        await local.stop();
      },
    };
  } catch (error) {
    await context?.close().catch(() => {});
    await local.stop();
    throw error;
  }
}

export interface PlaygroundControls {
  /** The command box. */
  input(): Locator;
  /** The channel's message list. */
  messages(): Locator;
  /** The newest message in the list. */
  lastMessage(): Locator;
  /** Types `line` like a user (so suggestions open) and presses Enter until it is sent and a new message shows. */
  run(line: string): Promise<void>;
}

/** The moves on the playground's page; `page` is read at each call, so a file may open the page in its beforeAll. */
export function playgroundControls(page: () => Page): PlaygroundControls {
  const input = () => page().locator("#command-input");
  const messages = () => page().locator("#messages");
  const lastMessage = () => messages().locator("article.message").last();
  const run = async (line: string): Promise<void> => {
    const before = await messages().locator("article.message").count();
    await input().fill(line);
    await input().press("Enter");
    if ((await input().inputValue()) !== "") await input().press("Enter");
    await expect.poll(() => messages().locator("article.message").count(), { timeout: 10_000 }).toBeGreaterThan(before);
  };
  return { input, messages, lastMessage, run };
}
