// The playground's element builder (src/emulator/playground/dom.ts) is where every link and image of a message gets
// its URL: whatever a message holds, an href or src is an absolute URL of a scheme Discord allows (http, https, and
// discord for link buttons), never `javascript:` or `data:`. Defence in depth: the emulator already refuses such
// links with 400/50035 (link-urls.test.ts). A minimal stand-in for `document` is enough: h() only creates elements
// and sets attributes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { h } from "../../../src/emulator/playground/dom.ts";

class FakeElement {
  readonly attributes = new Map<string, string>();
  className = "";
  innerHTML = "";
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  addEventListener(): void {}
  append(): void {}
}

const realDocument = (globalThis as { document?: unknown }).document;
beforeAll(() => {
  (globalThis as { document?: unknown }).document = { createElement: () => new FakeElement() };
});
afterAll(() => {
  (globalThis as { document?: unknown }).document = realDocument;
});

const attributesOf = (attrs: Record<string, string>) => (h("a", attrs) as unknown as FakeElement).attributes;

describe("h(): URL attributes", () => {
  it.each([
    "javascript:alert(document.domain)",
    "  JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "/__emulator/cron",
    "not a url",
  ])("drops href and src %j", (url) => {
    const attributes = attributesOf({ href: url, src: url, target: "_blank" });
    expect(attributes.has("href")).toBe(false);
    expect(attributes.has("src")).toBe(false);
    expect(attributes.get("target")).toBe("_blank");
  });

  it.each([
    ["https://example.com/a?b=1", "https://example.com/a?b=1"],
    ["HTTP://Example.com", "http://example.com/"],
    ["discord://-/channels/1/2", "discord://-/channels/1/2"],
    ["http://127.0.0.1:8790/attachments/1/2/chart.png", "http://127.0.0.1:8790/attachments/1/2/chart.png"],
  ])("keeps %j (as the browser would follow it)", (url, kept) => {
    const attributes = attributesOf({ href: url, src: url });
    expect(attributes.get("href")).toBe(kept);
    expect(attributes.get("src")).toBe(kept);
  });
});
