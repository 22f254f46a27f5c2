// Issue 25's localization: what the Worker says to a user answers in their Discord locale (de, fr), English for any
// other: the limiter's refusal, /chart's own refusals and its parser's, /admin and its gate, the other commands'
// sentences and the errors users read (test/node/user-sentences.test.ts checks that no English is written straight
// into a place a user reads).
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { command, component, interaction, sendWith } from "../support/interactions.worker.ts";
import { chartMessage, skippedRowsMessage } from "../../src/worker/app/commands/chart/message.ts";
import { messages } from "../../src/worker/app/i18n/messages.ts";
import { importModule } from "../../src/worker/import-module.ts";
import { createCatalogue } from "../../src/worker/kit/i18n/translators.ts";

const refusal = async (payload: Record<string, unknown>, workerEnv: Record<string, unknown> = env as never) =>
  (
    (await (await sendWith(payload, workerEnv, createExecutionContext())).json()) as {
      data: { content: string; flags: number };
    }
  ).data;

describe("localized refusals", () => {
  it("/chart's checks answer in German and French", async () => {
    expect(await refusal(command("chart", [], { locale: "de" }))).toMatchObject({
      content: "Gib genau eines an: `values` (Zahlen wie `3,5,8`) oder `file` (eine CSV).",
      flags: 64,
    });
    expect(
      (
        await refusal(
          command(
            "chart",
            [
              { type: 3, name: "values", value: "1,2" },
              { type: 3, name: "title", value: "x".repeat(120) },
            ],
            { locale: "fr" },
          ),
        )
      ).content,
    ).toBe("`title` fait 120 caractères ; la limite est 100.");
    expect((await refusal(component("chart:line:bad", { locale: "fr" }))).content).toBe(
      "Ce bouton n'est pas le mien (ses données sont invalides) ; ignoré.",
    );
    expect((await refusal(command("chart", [], { locale: "pt-BR" }))).content).toMatch(/^Give me exactly one of/);
  });

  it("the heavy limiter's refusal names the wait in the user's language", async () => {
    const limiter = { limit: async () => ({ success: false }) };
    const workerEnv = { ...env, HEAVY_LIMITER: limiter, BACKEND_URL: "https://backend.test", RELAY_SECRET: "s" };
    const de = await refusal(
      command("chart", [{ type: 3, name: "values", value: "1,2" }], { locale: "de" }),
      workerEnv,
    );
    expect(de.content).toBe(
      "Du nutzt `/chart` schneller, als ich mitkomme. Bitte in etwa 60 Sekunden erneut versuchen.",
    );
  });
});

const OPERATOR = { member: { user: { id: "900000000000000009", username: "operator" }, permissions: "0" } };
const sub = (name: string) => [{ type: 1, name }];

describe("localized /admin, parser and command sentences", () => {
  it("/admin's gate refuses in German and French", async () => {
    expect((await refusal(command("admin", sub("stats"), { locale: "de" }))).content).toBe(
      "Du darfst `/admin` nicht verwenden: dafür braucht es die Administrator-Berechtigung (oder deine Nutzer-ID in ADMIN_USER_IDS).",
    );
    expect((await refusal(command("admin", sub("stats"), { locale: "fr" }))).content).toMatch(
      /^Vous n'avez pas le droit d'utiliser `\/admin` : il faut la permission Administrateur/,
    );
  });

  it("/admin feedback answers in the operator's language", async () => {
    const de = (await refusal(command("admin", sub("feedback"), { locale: "de", ...OPERATOR }))).content;
    expect(de).toMatch(
      /^(Noch kein Feedback \(Bereich: alle Server, als Betreiber\)\.|\*\*Neuestes Feedback\*\* \(\d+; Bereich: alle Server, als Betreiber\))/,
    );
    const fr = (await refusal(command("admin", sub("feedback"), { locale: "fr", ...OPERATOR }))).content;
    expect(fr).toMatch(
      /^(Aucun avis pour l'instant \(portée : tous les serveurs, en tant qu'opérateur\)\.|\*\*Derniers avis\*\* \(\d+ ; portée : tous les serveurs)/,
    );
  });

  it("the chart parser's refusals, in German and French", async () => {
    const values = (value: string, locale: string) =>
      refusal(command("chart", [{ type: 3, name: "values", value }], { locale }));
    expect((await values("3, 5 8", "de")).content).toBe(
      'values: "5 8" an Position 2 ist keine Zahl (Zahlen mit Kommas trennen)',
    );
    expect((await values("1, 1e400", "fr")).content).toBe(
      'values : "1e400" en position 2 est trop grand pour un graphique : au plus 1e100 (passez à une unité plus grande)',
    );
    expect((await values(" , ", "de")).content).toBe(
      'values: keine Zahlen gefunden — gib durch Kommas getrennte Zahlen an, z. B. "3, 5, 8"',
    );
    expect((await values("=3", "fr")).content).toBe('values : "=3" en position 1 n\'a pas d\'étiquette avant "="');
    expect((await values("3, 5 8", "pt-BR")).content).toBe(
      'values: "5 8" at position 2 is not a number (separate numbers with commas)',
    );
  });

  it("/help, and Chart numbers on a message without numbers, in French", async () => {
    expect(
      (await refusal(command("help", [{ type: 3, name: "command", value: "nope" }], { locale: "fr" }))).content,
    ).toBe("Aucune commande nommée `nope`. `/help` sans argument les liste toutes.");
    const target = {
      id: "700000000000000007",
      channel_id: "300000000000000003",
      content: "no numbers here",
      author: { id: "400000000000000004", username: "tester" },
      attachments: [],
      embeds: [],
      timestamp: "2026-01-01T00:00:00.000Z",
    };
    const numbers = interaction({
      type: 2,
      locale: "fr",
      data: {
        id: "500000000000000009",
        name: "Chart numbers",
        type: 3,
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    });
    expect((await refusal(numbers)).content).toMatch(/^Ce message contient aucun nombre ; rien à tracer\./);
  });
});

describe("labels, titles and placeholders in the user's language", () => {
  it("/feedback's form in German: its title, labels, hints, placeholder and options", async () => {
    const body = (await (
      await sendWith(command("feedback", [], { locale: "de" }), env as never, createExecutionContext())
    ).json()) as {
      type: number;
      data: { title: string; components: unknown[] };
    };
    expect(body.type).toBe(9);
    expect(body.data.title).toBe("Feedback");
    const form = JSON.stringify(body.data.components);
    for (const german of [
      "Dein Feedback",
      "Was gut ist, was nicht, was du dir wünschst…",
      "Bis zu 1000 Zeichen. Die Betreiber lesen jede Nachricht.",
      "Kategorie",
      "Fehler",
      "Idee",
      "Sonstiges",
      "Bildschirmfoto",
    ])
      expect(form).toContain(german);
    expect(form).not.toMatch(/Your feedback|Category|Screenshot/);
  });

  it("the chart message in French: the embed's labels, the buttons, the image's description and the skipped rows", async () => {
    const catalogue = createCatalogue(messages, importModule);
    await catalogue.load("fr");
    const t = catalogue.translator("fr");
    const stats = { count: 3, min: 1, max: 3, mean: 2, first: 1, last: 3, change: 2, change_pct: 200 };
    const message = chartMessage({ png: new Uint8Array(), kind: "bar", stats }, null, "k", () => "id", t);
    const embed = message.data.embeds![0]!;
    expect(embed.title).toBe("Graphique");
    expect(embed.fields!.map((field) => field.name)).toEqual([
      "Points",
      "Min.",
      "Max.",
      "Moyenne",
      "Premier → dernier",
    ]);
    expect(embed.footer).toEqual({ text: "graphique en barres" });
    expect(JSON.stringify(message.data.components)).toMatch(/"label":"Courbe".*"label":"Barres"/);
    expect(message.files![0]!.description).toBe("graphique en barres de 3 points");
    expect(skippedRowsMessage({ skipped: [{ line: 4, reason: "x" }], skippedCount: 2 }, t)).toBe(
      "J'ai ignoré 2 lignes de votre fichier :\n• ligne 4 : x\n…et 1 de plus.",
    );
  });
});
