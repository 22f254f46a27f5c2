// Translations load on first use (src/worker/kit/i18n/translators.ts): English loads nothing, a language loads once,
// before the handler or the queued job words anything in it, and a module that cannot be loaded leaves English, one
// log line and an answered interaction.
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { messages } from "../../src/worker/app/i18n/messages.ts";
import { importModule } from "../../src/worker/import-module.ts";
import { createRegistry, type Registry } from "../../src/worker/kit/dispatch/registry.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { handleQueue } from "../../src/worker/kit/engine/queue-consumer.ts";
import type { JobMessage } from "../../src/worker/kit/engine/queue-message.ts";
import type { TaskContext } from "../../src/worker/kit/engine/task-context.ts";
import { defineMessages } from "../../src/worker/kit/i18n/messages.ts";
import type { ImportModule } from "../../src/worker/kit/i18n/translators.ts";
import { platformTranslator } from "../../src/worker/kit/i18n/translators.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import * as ping from "../../src/worker/app/commands/ping.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, signedRequest } from "../support/interactions.worker.ts";

let discord: DiscordEmulator;
beforeEach(() => {
  discord = createDiscordEmulator();
  routeOutbound({ "discord.test": (request) => discord.fetch(request) });
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

/** The module names an importer was asked for, in order. */
function counting(inner: ImportModule = importModule): { asked: string[]; importer: ImportModule } {
  const asked: string[] = [];
  return { asked, importer: (name) => (asked.push(name), inner(name)) };
}

async function send(registry: Registry, payload: Record<string, unknown>): Promise<string> {
  const ctx = createExecutionContext();
  const response = await handleInteractionRequest(
    (await signedRequest(JSON.stringify(payload))) as never,
    { ...env, HEAVY_LIMITER: undefined } as never,
    ctx,
    registry,
  );
  await waitOnExecutionContext(ctx);
  return ((await response.json()) as { data: { content: string } }).data.content;
}

const loadFailures = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls
    .map((call) => JSON.parse(String(call[0])) as Record<string, unknown>)
    .filter((line) => line.event === "i18n.load_failed");

describe("a translation loads the first time its language is needed", () => {
  it("English loads nothing; French loads once, before the handler answers in it", async () => {
    const { asked, importer } = counting();
    const registry = createRegistry([ping], { messages, importModule: importer });
    for (const locale of ["en-US", "en-GB", "es-ES", undefined])
      expect(registry.loadTranslations(locale), String(locale)).toBeUndefined();
    expect(await send(registry, command("ping", undefined, { locale: "en-US" }))).toMatch(/^🏓 Pong! Discord → Worker/);
    expect(asked).toEqual([]);

    expect(await send(registry, command("ping", undefined, { locale: "fr" }))).toMatch(
      /^🏓 Pong ! De Discord au Worker : \d+ ms\.$/,
    );
    expect(asked).toContain("app/i18n/translations/fr.js");
    expect(new Set(asked).size).toBe(asked.length);
    // Loaded: nothing to await any more, and nothing imported again.
    const before = asked.length;
    expect(registry.loadTranslations("fr")).toBeUndefined();
    expect(await send(registry, command("ping", undefined, { locale: "fr" }))).toMatch(/^🏓 Pong ! /);
    expect(asked).toHaveLength(before);
    // The platform's French is loaded for code that runs without a registry (the engine's status edits).
    expect(platformTranslator("fr")("lateAnswer")).toBe("⚠️ C'était trop long. Réessayez.");
  });

  it("the queue consumer loads the user's language before the job words its answer", async () => {
    const svenska = defineMessages(messages.en, { "sv-SE": "test/sv.js" });
    const { asked, importer } = counting(async () => ({ default: { pong: "🏓 Pong på svenska!" } }));
    const registry = createRegistry(
      [
        defineModule({
          definition: { name: "later", description: "answers from a queued job" },
          jobs: { answer: job(async (_input: null, task: TaskContext) => ({ data: { content: task.t("pong") } })) },
          command: ({ defer }) => defer("answer", null),
        }),
      ],
      { messages: svenska, importModule: importer },
    );
    const message: JobMessage = {
      v: 2,
      interaction: command("later", undefined, { locale: "sv-SE" }),
      route: "/later",
      job: "answer",
      input: null,
      enqueued_at: Date.now(),
      update: false,
    };
    const batch = createMessageBatch("edge-discord-bot-jobs", [
      { id: "m", timestamp: new Date(), attempts: 1, body: message },
    ]);
    vi.spyOn(console, "log").mockImplementation(() => {});
    await handleQueue(batch as never, { ...env, RELAY_MODE: "queue" } as never, registry);
    await expect(getQueueResult(batch as never, createExecutionContext())).resolves.toMatchObject({
      explicitAcks: ["m"],
    });
    expect(asked).toEqual(["test/sv.js"]);
    expect((discord.calls({ method: "PATCH" })[0]!.body as { json: { content: string } }).json.content).toBe(
      "🏓 Pong på svenska!",
    );
  });
});

describe("a translation that cannot be loaded", () => {
  // Portuguese has no module in the upload: the real importer fails as a deployed Worker would.
  const missing = defineMessages(messages.en, { "pt-BR": "app/i18n/translations/pt-BR.js" });

  it.each([
    ["is missing from the upload", importModule, /pt-BR\.js/],
    ["does not export a translation", (async () => ({})) as ImportModule, /default export is not a translation/],
  ])("%s: the user reads English, and operators one log line", async (_case, inner, error) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { asked, importer } = counting(inner);
    const registry = createRegistry([ping], { messages: missing, importModule: importer });
    expect(await send(registry, command("ping", undefined, { locale: "pt-BR" }))).toMatch(/^🏓 Pong! Discord → Worker/);
    expect(await send(registry, command("ping", undefined, { locale: "pt-BR" }))).toMatch(/^🏓 Pong! Discord → Worker/);
    expect(asked).toEqual(["app/i18n/translations/pt-BR.js"]);
    const failures = loadFailures(logged);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      locale: "pt-BR",
      module: "app/i18n/translations/pt-BR.js",
      effect: "English",
      level: "error",
      error: expect.stringMatching(error),
    });
  });

  it("a loader that never settles holds no interaction: English after the load's time limit", async () => {
    const restore = scaleTimingsForTests(1 / 40);
    try {
      const logged = vi.spyOn(console, "error").mockImplementation(() => {});
      vi.spyOn(console, "log").mockImplementation(() => {});
      const registry = createRegistry([ping], { messages: missing, importModule: () => new Promise(() => {}) });
      expect(await send(registry, command("ping", undefined, { locale: "pt-BR" }))).toMatch(/^🏓 Pong! /);
      expect(loadFailures(logged)).toMatchObject([{ module: "app/i18n/translations/pt-BR.js", error: /within/ }]);
    } finally {
      restore();
    }
  });
});
