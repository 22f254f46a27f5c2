// The deployable Worker, built exactly as `wrangler deploy` builds it: its main module's size against the budget
// (bench/budget.ts), no top-level work of the kind that made every cold start pay ≈ 9 ms (an Intl object built at
// import loads ICU's data before the isolate can answer even a PING), and no translation in the main module: each is
// a module of its own beside it, loaded on first use (src/worker/kit/i18n/translators.ts).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_BUDGET_GZIP_BYTES } from "../../bench/budget.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const WRANGLER = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
const ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "1",
};

let dir: string;
let bundle: string;

function run(args: string[], cwd = ROOT): Promise<string> {
  return new Promise((done, fail) => {
    execFile(NODE, args, { cwd, env: ENV, timeout: 120_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${args.join(" ")} failed: ${stderr || error.message}`));
      else done(stdout);
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bundle-test-"));
  await run([WRANGLER, "deploy", "--dry-run", "--outdir", dir]);
  bundle = join(dir, "index.js");
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORKER = join(ROOT, "src/worker");

/** The translation modules (src/worker/**\/i18n/translations/*.js), by their name in the upload: their path under src/worker/. */
function translationModules(folder = WORKER): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return translationModules(path);
    return /\/i18n\/translations\/[^/]+\.js$/.test(path) ? [relative(WORKER, path)] : [];
  });
}

/** The Worker's TypeScript sources. */
function workerSources(folder = WORKER): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return workerSources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/**
 * Runs of three words or more from a translation's strings, cut at placeholders and at any character that is not
 * ASCII (the bundle writes those escaped: "r\xFCckmeldung"), so that each would appear in the bundle verbatim.
 */
function phrases(source: string): string[] {
  const literals = source.match(/"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g) ?? [];
  return literals
    .flatMap((literal) => literal.slice(1, -1).split(/\$\{[^}]*\}|[^\x20-\x7e]|\\./))
    .map((piece) => piece.trim())
    .filter((piece) => /^\S+( \S+){2,}$/.test(piece) && piece.length >= 15);
}

describe("the deployable Worker bundle", () => {
  it("carries no translation: each is a module of its own beside the main module, as written, under the name its catalogue gives it", () => {
    const main = readFileSync(bundle, "utf8");
    const modules = translationModules();
    const code = workerSources()
      .map((path) => readFileSync(path, "utf8"))
      .join("\n");
    // The platform's and the bot's, in German and French at least.
    expect(modules.length).toBeGreaterThanOrEqual(4);
    expect(
      readdirSync(dir, { recursive: true })
        .filter((name) => String(name).endsWith(".js"))
        .sort(),
    ).toEqual(["index.js", ...modules].sort());
    for (const name of modules) {
      const source = readFileSync(join(WORKER, name), "utf8");
      expect(readFileSync(join(dir, name), "utf8"), `${name} is uploaded unbundled`).toBe(source);
      expect(main, `the main module names ${name}, as the runtime will import it`).toContain(JSON.stringify(name));
      // A phrase the Worker's own code also writes (a command's description_localizations, registration data Discord
      // shows) is there by right; any other in the main module came from the translation.
      const found = phrases(source).filter((phrase) => !code.includes(phrase));
      expect(found.length, `${name}: phrases to look for`).toBeGreaterThan(10);
      expect(
        found.filter((phrase) => main.includes(phrase)),
        `${name}: sentences in the main module`,
      ).toEqual([]);
    }
  });

  it("is within the size budget (gzip -9 of the main module)", () => {
    const gzip = gzipSync(readFileSync(bundle), { level: 9 }).length;
    expect(
      gzip,
      `the main module is ${gzip} bytes gzip; the budget in bench/budget.ts is ${BUNDLE_BUDGET_GZIP_BYTES}`,
    ).toBeLessThan(BUNDLE_BUDGET_GZIP_BYTES);
  });

  it("builds no Intl object and formats nothing by locale while it is imported", async () => {
    // The bundle imports only the runtime's own module (cloudflare:workers, for the Durable Object base class of the
    // usage counters), so Node can evaluate it as workerd would at isolate start once that import points at a
    // stand-in class. Every Intl constructor and locale-formatting method is wrapped to count its calls until the
    // import settles.
    const runtimeModule = join(dir, "cloudflare-workers.mjs");
    writeFileSync(
      runtimeModule,
      "export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\n",
    );
    const importable = join(dir, "importable.mjs");
    writeFileSync(
      importable,
      readFileSync(bundle, "utf8").replace(
        /(from\s*)"cloudflare:workers"/g,
        `$1${JSON.stringify(`file://${runtimeModule}`)}`,
      ),
    );
    const probe = join(dir, "probe.mjs");
    writeFileSync(
      probe,
      `
      const calls = [];
      for (const name of Object.getOwnPropertyNames(Intl)) {
        const original = Intl[name];
        if (typeof original !== "function" || !/^[A-Z]/.test(name)) continue;
        Intl[name] = new Proxy(original, {
          construct(target, args, newTarget) { calls.push("new Intl." + name); return Reflect.construct(target, args, newTarget); },
          apply(target, self, args) { calls.push("Intl." + name); return Reflect.apply(target, self, args); }, // Intl.NumberFormat() without new builds one too
        });
      }
      for (const [owner, method] of [[Number.prototype, "toLocaleString"], [Date.prototype, "toLocaleString"], [Date.prototype, "toLocaleDateString"], [Date.prototype, "toLocaleTimeString"], [String.prototype, "localeCompare"], [BigInt.prototype, "toLocaleString"]]) {
        const original = owner[method];
        owner[method] = function (...args) { calls.push(method); return original.apply(this, args); };
      }
      await import(${JSON.stringify(`file://${importable}`)});
      process.stdout.write(JSON.stringify(calls));
    `,
    );
    const calls = JSON.parse(await run([probe], dir)) as string[];
    expect(calls).toEqual([]);
  }, 60_000);
});
