// The backend's sentences in the user's language (issue 25): the relay request's signed body carries the Discord
// locale, and what the user reads of a refusal (a file's problems, a chart too costly to draw) and of the rows a chart
// left out is worded from the backend's catalogue (src/backend/i18n/). No locale (an older Worker) or a language
// without a translation: English, word for word what the parsers say.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeBackend, type ChartResult } from "../../../src/backend/index.ts";
import { backendSentences } from "../../../src/backend/i18n/messages.ts";
import { worded } from "../../../src/backend/i18n/wording.ts";
import { refuseTooCostly } from "../../../src/backend/jobs/chart/render-cost.ts";
import { parseCsv } from "../../../src/shared/chart-data/csv.ts";
import { rowText } from "../../../src/backend/i18n/wording.ts";
import { InputError } from "../../../src/shared/http-error.ts";
import { NOW_MS, SECRET, logCollector, signedJobRequest, serveCsvFiles, type LocalServer } from "./support.ts";

const FILES: Record<string, string> = {
  "/gaps.csv": "month,sales\r\njan,3\r\nfeb,5\r\n\r\nmar,2\r\n,\r\napr,8\r\n\r\n",
  "/quote.csv": 'a,1\n"b,2\n',
  "/one-bad.csv": "month,sales\njan,n/a\n",
};
let files: LocalServer;
beforeAll(async () => {
  files = await serveCsvFiles(FILES);
});
afterAll(() => files.close());

async function post(body: unknown, renderBudget?: number): Promise<{ status: number; json: Record<string, unknown> }> {
  const backend = createNodeBackend({
    relaySecret: SECRET,
    now: () => NOW_MS,
    log: logCollector().log,
    attachmentHosts: [files.host],
    ...(renderBudget === undefined
      ? {}
      : { renderBudget, drawChart: async () => ({ png: new Uint8Array([1]), width: 800, height: 450 }) }),
  });
  const response = await backend.fetch(await signedJobRequest("chart", body));
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
const file = (path: string) => ({ kind: "line", file: { url: `${files.origin}${path}`, filename: "data.csv" } });
const message = (json: Record<string, unknown>) => (json.error as { message: string }).message;

describe("the relay request's locale", () => {
  it("words a file's problem in German and French, and in English without a locale", async () => {
    const de = await post({ id: "1", input: file("/quote.csv"), locale: "de" });
    expect(de.status).toBe(422);
    expect(message(de.json)).toBe('Datei: Zeile 2 hat ein öffnendes Anführungszeichen ("), das nie geschlossen wird');
    const fr = await post({ id: "2", input: file("/one-bad.csv"), locale: "fr" });
    expect(message(fr.json)).toBe('fichier : ligne 2 : "n/a" n\'est pas un nombre');
    const none = await post({ id: "3", input: file("/quote.csv") });
    expect(message(none.json)).toBe('file: row 2 has an opening quote (") that is never closed');
    const other = await post({ id: "4", input: file("/quote.csv"), locale: "pt-BR" });
    expect(message(other.json)).toBe(message(none.json));
  });

  it("words the rows a chart left out in the user's language", async () => {
    const { status, json } = await post({ id: "5", input: file("/gaps.csv"), locale: "fr-FR" });
    expect(status).toBe(200);
    expect((json.result as ChartResult).skipped).toEqual([
      { line: 4, reason: "une ligne vide" },
      { line: 6, reason: "une ligne de cellules vides" },
    ]);
  });

  it("words a chart too costly to draw in German", async () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ label: `p${i}`, value: i }));
    const { status, json } = await post({ id: "6", input: { kind: "line", points }, locale: "de" }, 1);
    expect(status).toBe(422);
    expect(json.error).toMatchObject({ code: "too_costly", retriable: false });
    expect(message(json)).toMatch(/^Dieses Diagramm würde zu lange dauern: etwa [\d.,]+-mal ein gewöhnliches Diagramm/);
    expect(message(json)).toContain("10,000 Punkte");
  });

  it("refuses a locale that is not one, naming the field", async () => {
    for (const locale of ["German", 42, "de_DE", "x".repeat(40)]) {
      const { status, json } = await post({ id: "7", input: { values: "1,2" }, locale });
      expect(status, String(locale)).toBe(422);
      expect(json.error).toMatchObject({ code: "invalid_input", field: "locale" });
    }
  });
});

describe("the backend's English", () => {
  // The parsers keep their English message (for logs and their own tests); the catalogue's English must say the same.
  const english = backendSentences(null);

  it("is word for word what the CSV parser says, for every problem it reports", () => {
    const files = [
      'a,1\n"b,2\n',
      "month,sales\njan,n/a\n",
      "month,sales\njan,n/a\nfeb,\n",
      "a,1,2,3\n",
      "a,1,2\nb,1,2\n",
      "month,sales\n",
      "",
      "1e400\n",
      "1e-20\n",
    ];
    for (const text of files) {
      let error: unknown;
      try {
        parseCsv(text);
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(text)).toBeInstanceOf(InputError);
      expect((worded(error, english) as InputError).message, JSON.stringify(text)).toBe((error as InputError).message);
    }
    expect(() => parseCsv("1\n2\n3\n", 2)).toThrow(InputError);
    const csv = parseCsv("a,1\n\n,\nb,x\nc,1,2,3\nd\ne,\nf,2\n");
    expect(csv.skipped.length).toBeGreaterThan(4);
    expect(csv.skippedProblems).toHaveLength(csv.skipped.length);
    csv.skipped.forEach((row, i) => expect(rowText(english, csv.skippedProblems[i]!)).toBe(row.reason));
  });

  it("is word for word what the cost estimate says", () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ label: `label ${i} `.repeat(4), value: i }));
    let error: unknown;
    try {
      refuseTooCostly({ kind: "bar", points, title: "A title" }, 1, "points");
    } catch (caught) {
      error = caught;
    }
    expect((worded(error, english) as Error).message).toBe((error as Error).message);
  });
});
