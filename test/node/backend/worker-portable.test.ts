// The backend Worker runs the shared backend code in workerd, so nothing it imports may reach for Node: this walks
// src/backend/worker/index.ts's local imports and fails on any `node:` import or Node-only global, and on a package
// outside the few the Worker bundles. One exception, named: the Worker's own rasteriser deflates with workerd's
// node:zlib (nodejs_compat, for zlib's level 1; rasterise-wasm.ts says why), and nothing else may. (tsconfig.json also type-checks the same files
// with Workers' types only.)
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const ENTRY = "src/backend/worker/index.ts";
const PACKAGES = new Set([
  "cloudflare:workers",
  "echarts/core",
  "echarts/charts",
  "echarts/components",
  "echarts/features",
  "echarts/renderers",
  "@resvg/resvg-wasm",
  "@resvg/resvg-wasm/index_bg.wasm",
  "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
]);
/** The `node:` modules a file may import in the backend Worker (all through nodejs_compat): none but these. */
const NODE_ALLOWED: Record<string, readonly string[]> = { "src/backend/jobs/chart/rasterise-wasm.ts": ["node:zlib"] };
const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gm;
const NODE_GLOBALS = /\b(?:process|Buffer|require|__dirname|__filename)\b/;

function closure(entry: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(entry)) return seen;
  const packages: string[] = [];
  seen.set(entry, packages);
  const source = readFileSync(resolve(ROOT, entry), "utf8");
  for (const [, specifier = ""] of source.matchAll(IMPORT)) {
    if (specifier.startsWith(".")) closure(resolve(ROOT, dirname(entry), specifier).slice(ROOT.length + 1), seen);
    else packages.push(specifier);
  }
  return seen;
}

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

describe("the backend Worker's modules", () => {
  const files = closure(ENTRY);

  it("include the shared backend (the same fetch handler and jobs as Node), not the Node entry points", () => {
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        "src/backend/app.ts",
        "src/backend/job-request.ts",
        "src/backend/jobs/chart/job.ts",
        "src/backend/attachment.ts",
      ]),
    );
    for (const nodeOnly of [
      "src/backend/server.ts",
      "src/backend/node.ts",
      "src/backend/jobs/chart/rasterise-node.ts",
      "src/backend/replay-store-sqlite.ts",
    ]) {
      expect(files.has(nodeOnly), nodeOnly).toBe(false);
    }
  });

  it.each([...closure(ENTRY).keys()])("%s uses no Node imports or globals", (file) => {
    const code = withoutComments(readFileSync(resolve(ROOT, file), "utf8"));
    const allowed = NODE_ALLOWED[file] ?? [];
    for (const [, specifier] of code.matchAll(/from\s+"(node:[^"]+)"/g))
      expect(allowed, `${file} imports ${specifier}`).toContain(specifier);
    expect(code).not.toMatch(NODE_GLOBALS);
    for (const specifier of files.get(file) ?? []) {
      if (!allowed.includes(specifier)) expect(PACKAGES, `${file} imports ${specifier}`).toContain(specifier);
    }
  });
});
