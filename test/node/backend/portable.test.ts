// src/shared is imported by the Worker and the backend alike (src/worker/app/commands/chart.ts checks `values` before
// relaying with the backend's own parser, and both sides name the job contracts in src/shared/jobs), and the relay
// signature module runs on both sides. They must not reach for Node: this walks each one's local
// imports and fails on any `node:` import, bare package import or Node-only global.

import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { jsonLineLogger } from "../../../src/backend/log.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SHARED = [
  "src/shared/relay-signature.ts",
  "src/shared/http-error.ts",
  "src/shared/capped-body.ts",
  "src/shared/chart-data/values.ts",
  "src/shared/chart-data/csv.ts",
  "src/shared/chart-data/points.ts",
  "src/shared/chart-data/number.ts",
  "src/shared/jobs/contract.ts",
  "src/shared/jobs/chart.ts",
];
const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm;
const NODE_GLOBALS = /\b(?:process|Buffer|require|__dirname|__filename)\b/;

function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(resolve(ROOT, entry), "utf8");
  for (const [, specifier = ""] of source.matchAll(IMPORT)) {
    if (!specifier.startsWith("."))
      throw new Error(`${entry} imports ${JSON.stringify(specifier)}, which the Worker cannot rely on`);
    closure(resolve(ROOT, dirname(entry), specifier).slice(ROOT.length + 1), seen);
  }
  return seen;
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
}

describe("modules shared with the Worker", () => {
  it.each(SHARED)("%s uses no Node imports or globals, transitively", (entry) => {
    for (const file of closure(entry)) {
      const code = withoutComments(readFileSync(resolve(ROOT, file), "utf8"));
      expect(code, file).not.toMatch(/from\s+"node:/);
      expect(code, file).not.toMatch(NODE_GLOBALS);
    }
  });
});

describe("jsonLineLogger", () => {
  it("writes one JSON object per line and redacts credential-like keys", () => {
    const lines: string[] = [];
    const log = jsonLineLogger((line) => lines.push(line));
    log({ event: "x", id: "1", signature: "sha256=abc", relay_secret: "s", Authorization: "Bot t" });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    const parsed = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    expect(parsed).toMatchObject({
      event: "x",
      id: "1",
      signature: "[redacted]",
      relay_secret: "[redacted]",
      Authorization: "[redacted]",
    });
    expect(typeof parsed.time).toBe("string");
  });
});
