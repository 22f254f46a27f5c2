// The deployable Workers, built exactly as `wrangler deploy` builds them. The interactions Worker (wrangler.toml): its
// main module's size against the budget (bench/budget.ts), no top-level work of the kind that made every cold start
// pay ≈ 9 ms (an Intl object built at import loads ICU's data before the isolate can answer even a PING), no
// translation in the main module (each is a module of its own beside it, loaded on first use:
// src/worker/kit/i18n/translators.ts), and nothing that is not on the interaction's path: the Durable Object classes,
// the queue consumer, the cron and the Webhook Events' handling live in the services Worker (wrangler.services.toml),
// which must build too, its translations beside it likewise.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
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

function run(args: string[], cwd = ROOT): Promise<string> {
  return new Promise((done, fail) => {
    execFile(NODE, args, { cwd, env: ENV, timeout: 120_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${args.join(" ")} failed: ${stderr || error.message}`));
      else done(stdout);
    });
  });
}

interface Built {
  /** The main module wrangler would upload (index.js, services.js: named after the entry). */
  file: string;
  /** The source files esbuild put in it, relative to the root. */
  inputs: string[];
  gzipBytes: number;
}

async function build(name: string, config: string): Promise<Built> {
  const out = join(dir, name);
  const meta = join(out, "meta.json");
  await run([WRANGLER, "deploy", "--dry-run", "-c", config, "--outdir", out, "--metafile", meta]);
  const outputs = (JSON.parse(readFileSync(meta, "utf8")) as { outputs: Record<string, { inputs: object }> }).outputs;
  // Named after the entry (index.js, services.js); the metafile's paths are relative to where wrangler ran.
  const [path, bundle] = Object.entries(outputs).find(([path]) => path.endsWith(".js"))!;
  const file = resolve(ROOT, path);
  return { file, inputs: Object.keys(bundle.inputs), gzipBytes: gzipSync(readFileSync(file), { level: 9 }).length };
}

/**
 * The bundle imported in Node as workerd imports it at isolate start, with `cloudflare:workers` (the runtime's own
 * module, for the Durable Object base class) pointed at a stand-in. `before` runs first in the probe, `after` once
 * the import has settled, with the module as `bundle`; what `after` writes to stdout is returned.
 */
async function importInNode(built: Built, name: string, before: string, after: string): Promise<string> {
  const runtimeModule = join(dir, "cloudflare-workers.mjs");
  writeFileSync(
    runtimeModule,
    "export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\n" +
      "export class WorkerEntrypoint { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\n",
  );
  const importable = join(dir, `${name}-importable.mjs`);
  writeFileSync(
    importable,
    readFileSync(built.file, "utf8").replace(
      /(from\s*)"cloudflare:workers"/g,
      `$1${JSON.stringify(`file://${runtimeModule}`)}`,
    ),
  );
  const probe = join(dir, `${name}-probe.mjs`);
  writeFileSync(
    probe,
    `${before}\nconst bundle = await import(${JSON.stringify(`file://${importable}`)});\n${after}\n`,
  );
  return run([probe], dir);
}

/** The main module carries no translation; each is uploaded beside it, as written, under the name its catalogue gives it. */
function expectTranslationsBeside(built: Built): void {
  const out = dirname(built.file);
  const main = readFileSync(built.file, "utf8");
  const modules = translationModules();
  const code = workerSources()
    .map((path) => readFileSync(path, "utf8"))
    .join("\n");
  // The platform's and the bot's, in German and French at least.
  expect(modules.length).toBeGreaterThanOrEqual(4);
  expect(
    readdirSync(out, { recursive: true })
      .filter((name) => String(name).endsWith(".js"))
      .sort(),
  ).toEqual([relative(out, built.file), ...modules].sort());
  for (const name of modules) {
    const source = readFileSync(join(WORKER, name), "utf8");
    expect(readFileSync(join(out, name), "utf8"), `${name} is uploaded unbundled`).toBe(source);
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
}

let interactions: Built;
let services: Promise<Built>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bundle-test-"));
  // Both at once; each describe waits for its own.
  services = build("services", "wrangler.services.toml");
  services.catch(() => {}); // awaited (and reported) by its own test
  interactions = await build("interactions", "wrangler.toml");
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the interactions Worker's bundle (wrangler.toml)", () => {
  it("carries no translation: each is a module of its own beside the main module, as written, under the name its catalogue gives it", () => {
    expectTranslationsBeside(interactions);
  });

  it("is within the size budget (gzip -9 of the main module)", () => {
    expect(
      interactions.gzipBytes,
      `the main module is ${interactions.gzipBytes} bytes gzip; the budget in bench/budget.ts is ${BUNDLE_BUDGET_GZIP_BYTES}`,
    ).toBeLessThan(BUNDLE_BUDGET_GZIP_BYTES);
  });

  it("builds no Intl object and formats nothing by locale while it is imported", async () => {
    // Every Intl constructor and locale-formatting method is wrapped to count its calls until the import settles.
    const before = `
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
      }`;
    const calls = JSON.parse(
      await importInNode(interactions, "intl", before, "process.stdout.write(JSON.stringify(calls));"),
    ) as string[];
    expect(calls).toEqual([]);
  }, 60_000);

  it("answers HTTP only: no Durable Object class, no queue consumer, no cron handler (the services Worker hosts them)", async () => {
    const shape = JSON.parse(
      await importInNode(
        interactions,
        "shape",
        "",
        "process.stdout.write(JSON.stringify({ exports: Object.keys(bundle).sort(), handlers: Object.keys(bundle.default).sort() }));",
      ),
    ) as { exports: string[]; handlers: string[] };
    // A Worker hosts a Durable Object class by exporting it; queue() and scheduled() are what queues and crons call.
    expect(shape).toEqual({ exports: ["default"], handlers: ["fetch"] });
  }, 60_000);

  it("bundles none of the code that runs only in the services Worker", () => {
    const servicesOnly = [
      "src/worker/kit/analytics/usage-counters.ts", // the UsageCounters class
      "src/worker/kit/discord/limiter/object.ts", // the DiscordRateLimiter class
      "src/worker/kit/discord/limiter/state.ts",
      "src/worker/kit/engine/queue-consumer.ts",
      "src/worker/app/scheduled.ts", // the daily cron: prune and report
      "src/worker/app/report/daily-report.ts",
      "src/worker/kit/ingress/handle-events.ts", // Webhook Events: POST /events is forwarded to the services Worker
      "src/worker/kit/dispatch/event-dispatch.ts",
      "src/worker/app/events/index.ts",
    ];
    expect(interactions.inputs.filter((input) => servicesOnly.includes(input))).toEqual([]);
  });
});

describe("the services Worker's bundle (wrangler.services.toml)", () => {
  it("builds, hosting the Durable Object classes, the queue consumer, the cron and the Webhook Events, its translations beside it", async () => {
    const built = await services;
    expectTranslationsBeside(built);
    const shape = JSON.parse(
      await importInNode(
        built,
        "services-shape",
        "",
        "process.stdout.write(JSON.stringify({ exports: Object.keys(bundle).sort(), handlers: Object.keys(bundle.default).sort() }));",
      ),
    ) as { exports: string[]; handlers: string[] };
    expect(shape).toEqual({
      exports: ["DiscordRateLimiter", "UsageCounters", "default"],
      handlers: ["fetch", "queue", "scheduled"],
    });
    // Its size is not pinned (nothing waits on its cold start within 3 s); a sanity cap catches a runaway dependency,
    // e.g. discord-api-types' runtime enums (≈ 35 KB) pulled in by a value import.
    console.log(`services Worker: ${built.gzipBytes} bytes gzip -9`);
    expect(built.gzipBytes).toBeLessThan(80 * 1024);
  }, 60_000);
});
