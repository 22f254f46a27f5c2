// Queue mode as an operator tries it (issue 21): the stack of `npm start -- --queue` (the Worker with RELAY_MODE=queue,
// its JOBS queue run locally by wrangler dev), the backend stopped. In the playground, in a real browser, /chart must
// first show the one status edit ("⏳ … I'm retrying …", never a result), and, once the backend is started again, the
// final edit with the chart, in the same message. Nothing here waits on a clock: each step waits for what the user
// sees (the queue's retries come 2, 4, 8, 16 s apart, src/worker/kit/engine/queue-consumer.ts).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/lib/stack.ts";
import { openPlayground, playgroundControls, type OpenPlayground } from "../support/playground-page.ts";

let playground: OpenPlayground | undefined;
let stack: Stack;
let page: Page;

beforeAll(async () => {
  playground = await openPlayground("playground-queue", { relayMode: "queue" }, { width: 1200, height: 800 });
  ({ stack, page } = playground);
}, 150_000);

afterAll(async () => {
  await playground?.close();
}, 60_000);

const { lastMessage, run } = playgroundControls(() => page);
const output = () => (playground?.local.output ?? []).slice(-60).join("\n");

describe("the playground in queue mode, with the backend stopped and started again", () => {
  it("shows one status edit, then the final edit with the chart in the same message", async () => {
    expect(stack.relayMode).toBe("queue");
    await stack.backend.close();
    await run("/chart values:4,8,15,16,23,42");
    const message = lastMessage();

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
