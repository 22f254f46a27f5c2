// The README's "Adding a command" example is a real file, type-checked and run by the Worker tests
// (test/worker/roll.test.ts); this keeps the README's copy word for word the same.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url);

describe("README", () => {
  it("shows src/worker/app/commands/roll.ts exactly as it is", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const section = readme.slice(readme.indexOf("## Adding a command"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(new URL("src/worker/app/commands/roll.ts", root), "utf8"));
  });
});
