// The message catalogue: answers in the user's Discord locale, English otherwise; /ping in German and French
// through the Worker, the dispatcher's own sentences too, and `t` in a handler and in a job.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as ping from "../../src/worker/app/commands/ping.ts";
import { job } from "../../src/worker/kit/engine/jobs.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { defineModule, type CommandContext } from "../../src/worker/kit/dispatch/types.ts";
import { createCatalogue, platformTranslator } from "../../src/worker/kit/i18n/translators.ts";
import { messages } from "../../src/worker/app/i18n/messages.ts";
import { importModule } from "../../src/worker/import-module.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/core.ts";
import { routeOutbound } from "../support/outbound.worker.ts";
import { command, component, sendOk, signedRequest } from "../support/interactions.worker.ts";

const catalogue = createCatalogue(messages, importModule);
const translator = catalogue.translator;
// Translations load on first use (the ingress does it for an interaction); here, once for the file.
beforeAll(() => Promise.all([catalogue.load("de"), catalogue.load("fr")]));

describe("translator", () => {
  it("picks the catalogue of the locale or its language, and English for any other", () => {
    expect(translator("de")("transit", 12)).toBe("Von Discord zum Worker: 12 ms.");
    expect(translator("fr")("transit", 12)).toBe("De Discord au Worker : 12 ms.");
    for (const locale of ["en-US", "en-GB", "pt-BR", "ja", "", null, undefined, "constructor", "__proto__", "-de"]) {
      expect(translator(locale)("transit", 12), String(locale)).toBe("Discord → Worker: 12 ms.");
    }
    expect(translator("de-AT")("pong")).toBe("🏓 Pong!");
  });

  it("hands out one translator per catalogue (nothing is built per request)", () => {
    expect(translator("de")).toBe(translator("de"));
    expect(translator("en-US")).toBe(translator("pt-BR"));
  });

  it("merges the platform's sentences with the bot's, and shows a key neither has as itself", () => {
    expect(translator("de")("unknownComponent")).toBe(platformTranslator("de")("unknownComponent"));
    expect(platformTranslator("fr")("pong" as never)).toBe("pong");
  });
});

describe("/ping in the user's language", () => {
  it.each([
    ["de", /^🏓 Pong! Von Discord zum Worker: \d+ ms\.$/],
    ["fr", /^🏓 Pong ! De Discord au Worker : \d+ ms\.$/],
    ["en-US", /^🏓 Pong! Discord → Worker: \d+ ms\.$/],
    ["es-ES", /^🏓 Pong! Discord → Worker: \d+ ms\.$/],
  ])("locale %s", async (locale, expected) => {
    const body = await sendOk(command("ping", undefined, { locale }));
    expect(body).toMatchObject({ type: 4, data: { content: expect.stringMatching(expected) } });
  });

  it("names the edge location in German", () => {
    const ctx = {
      interaction: { id: "1" },
      request: { cf: { colo: "FRA" } },
      t: translator("de"),
    } as unknown as CommandContext<typeof ping.definition>;
    expect(ping.command(ctx)).toMatchObject({ data: { content: "🏓 Pong! Geantwortet am Edge-Standort **FRA**." } });
  });
});

describe("the dispatcher's own answers", () => {
  it("says in German that a command is unknown, and in French that a button is", async () => {
    expect(await sendOk(command("nope", undefined, { locale: "de" }))).toMatchObject({
      data: { content: expect.stringMatching(/^Ich kenne `\/nope` nicht/) },
    });
    expect(await sendOk(component("gone:1", { locale: "fr" }))).toMatchObject({
      data: { content: expect.stringMatching(/^Ce bouton ou ce menu n'existe plus/) },
    });
  });
});

describe("t in handlers and jobs", () => {
  let discord: DiscordEmulator;
  beforeEach(() => {
    discord = createDiscordEmulator();
    routeOutbound({ "discord.test": (request) => discord.fetch(request) });
  });
  afterEach(() => discord.close());

  it("gives the handler and its job the same locale's sentences", async () => {
    const registry = createRegistry(
      [
        defineModule({
          definition: { name: "later", description: "answers from a job" },
          jobs: { answer: job<string>(async (said, task) => ({ data: { content: `${said} / ${task.t("pong")}` } })) },
          command: ({ t, defer }) => defer("answer", t("transit", 1)),
        }),
      ],
      { messages, importModule },
    );
    const payload = command("later", undefined, { locale: "fr" });
    const ctx = createExecutionContext();
    await handleInteractionRequest(
      (await signedRequest(JSON.stringify(payload))) as never,
      { ...env, HEAVY_LIMITER: undefined } as never,
      ctx,
      registry,
    );
    await waitOnExecutionContext(ctx);
    expect((discord.calls({ method: "PATCH" })[0]!.body as { json: { content: string } }).json.content).toBe(
      "De Discord au Worker : 1 ms. / 🏓 Pong !",
    );
  });
});
