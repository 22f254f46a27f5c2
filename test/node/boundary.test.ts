// Two folders, one door (issue 23): the bot reaches the platform only through src/worker/kit/index.ts, and the
// platform imports nothing of the bot. A failure names each offending import with its file and line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { boundaryViolations, describeViolations } from "../support/import-boundary.ts";

const root = join(import.meta.dirname, "..", "..");
let tree: string | undefined;

function makeTree(files: Record<string, string>): string {
  tree = mkdtempSync(join(tmpdir(), "boundary-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  return tree;
}

afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true });
  tree = undefined;
});

describe("the platform and the bot", () => {
  it("bot code imports the platform only through kit/index.ts, and the platform imports nothing of the bot", () => {
    const violations = boundaryViolations(root);
    expect(violations, `imports across the line:\n${describeViolations(violations)}`).toEqual([]);
  });

  it("names each offending import with its file and line, whatever its form; comments and strings are not imports", () => {
    const dir = makeTree({
      "src/worker/kit/index.ts": 'export { log } from "./log.ts";\n',
      "src/worker/kit/log.ts": 'export const log = 1;\n// import { x } from "../app/y.ts";\n',
      "src/worker/kit/dispatch/events.ts": '\nimport { claim } from "../../app/storage/claims.ts";\n',
      "src/worker/kit/engine/entry.ts": 'const { default: worker } = await import("../../index.ts");\n',
      "src/worker/kit/engine/services.ts": 'export { default } from "../../services.ts";\n',
      "src/worker/app/commands/ok.ts":
        'import { log } from "../../kit/index.ts";\nimport { parse } from "../../../shared/csv.ts";\nimport { z } from "zod";\nconst s = "../../kit/log.ts";\n',
      "src/worker/app/commands/room.ts":
        'import type { Config } from "../../kit/config.ts";\n\nexport { log } from "../../kit/log.ts";\n',
      "src/worker/app/i18n/register.ts": 'export {};\ndeclare module "../../kit/i18n/messages.ts" {}\n',
      "src/worker/app/relay.ts": 'import { render } from "../../backend/render.ts";\n',
    });
    expect(describeViolations(boundaryViolations(dir)).split("\n").sort()).toEqual([
      'src/worker/app/commands/room.ts:1: import "../../kit/config.ts": bot code imports the platform only through src/worker/kit/index.ts',
      'src/worker/app/commands/room.ts:3: import "../../kit/log.ts": bot code imports the platform only through src/worker/kit/index.ts',
      'src/worker/app/i18n/register.ts:2: import "../../kit/i18n/messages.ts": bot code imports the platform only through src/worker/kit/index.ts',
      'src/worker/app/relay.ts:1: import "../../backend/render.ts": bot code imports only the bot, the platform\'s door (src/worker/kit/index.ts) and src/shared/',
      'src/worker/kit/dispatch/events.ts:2: import "../../app/storage/claims.ts": the platform imports nothing from the bot (src/worker/app/) or the entry',
      'src/worker/kit/engine/entry.ts:1: import "../../index.ts": the platform imports nothing from the bot (src/worker/app/) or the entry',
      'src/worker/kit/engine/services.ts:1: import "../../services.ts": the platform imports nothing from the bot (src/worker/app/) or the entry',
    ]);
  });
});
