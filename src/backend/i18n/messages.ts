// What the backend says to the Discord user, in their language: the relay request carries the user's Discord locale
// (`locale` in the signed body, job-request.ts), and the backend words the problems its parsers and its cost estimate
// report as data (src/shared/http-error.ts: FileProblem, RowProblem, CostProblem) from this catalogue: a file's
// problems, the rows it skipped, a chart too costly to draw. English is the reference: German and French must have
// exactly its keys, each with its parameters (a compile error otherwise). A request without a locale (an older
// Worker), or in a language with no translation here, gets English. What only an operator or the Worker's code reads
// (a protocol error, an unknown field) stays English.
import { catalogueKey, type Translation } from "../../shared/i18n.ts";

const en = {
  file: (sentence: string) => `file: ${sentence}`,
  fileSize: (sentence: string) => `file.size: ${sentence}`,
  fileContentType: (sentence: string) => `file.content_type: ${sentence}`,
  fileUrl: (sentence: string) => `file.url: ${sentence}`,
  unclosedQuote: (row: number) => `row ${row} has an opening quote (") that is never closed`,
  tooManyRows: (max: string) => `more than ${max} data rows; the limit is ${max}`,
  noRowReadable: (first: string) => `no row could be read; the first problem: ${first}`,
  headerOnly: "the file has a header row but no data rows",
  empty: "the file is empty",
  row: (row: number, reason: string) => `row ${row} ${reason}`,
  rowValue: (row: number, reason: string) => `row ${row}: ${reason}`,
  blankLine: "a blank line",
  emptyCells: "a row of empty cells",
  columns: (count: number, decimalCommaHint: boolean) =>
    `has ${count} columns; expected 1 (value) or 2 (label, value)${decimalCommaHint ? ' — if you use decimal commas, separate columns with ";"' : ""}`,
  columnsDiffer: (count: number, above: number) =>
    `has ${count} column${count === 1 ? "" : "s"}; the rows above have ${above}`,
  emptyValue: "has an empty value",
  badValue: (value: string, why: string) => `${value} ${why}`,
  notANumber: "is not a number",
  tooLarge: (max: string) => `is too large to chart: the largest size is ${max} (scale the data to a larger unit)`,
  tooSmall: (min: string) =>
    `is too close to zero to chart: give 0 or a number of size ${min} or more (scale the data to a smaller unit)`,
  notText: "this is not a text file; attach a CSV (.csv or .txt)",
  tooLargeFile: (size: string, limit: string) => `the attachment is ${size}; the limit is ${limit}`,
  tooLargeFileUnknown: (limit: string) => `the attachment is larger than the ${limit} limit`,
  notCsv: (type: string) => `${type} is not a CSV file; attach a .csv or .txt file`,
  expired: (status: number) =>
    `the attachment could not be downloaded (HTTP ${status}); the link may have expired — upload the file again`,
  tooCostly: (times: string, limit: string, drivers: string) =>
    `This chart would take too long to draw: about ${times} times an ordinary chart, and the limit is ${limit} (${drivers}). Try fewer rows, shorter labels or a shorter title.`,
  renderTimeout: (seconds: number) =>
    `This chart took longer than ${seconds} s to draw, so the backend stopped it. Try fewer rows, shorter labels or a shorter title.`,
  costPoints: (count: string) => `${count} points`,
  costSymbols: (count: number) => `a symbol on each of ${count} points`,
  costBars: (count: number) => `${count} separate bars`,
  costLabels: (longest: number) => `labels of up to ${longest} characters`,
  costText: (chars: number) => `${chars} characters of title and axis names`,
  costForeign: "text outside the Latin alphabet (drawn with the full fonts)",
};

export type BackendSentences = typeof en;

const de: Translation<BackendSentences> = {
  file: (sentence) => `Datei: ${sentence}`,
  fileSize: (sentence) => `Datei: ${sentence}`,
  fileContentType: (sentence) => `Datei: ${sentence}`,
  fileUrl: (sentence) => `Datei: ${sentence}`,
  unclosedQuote: (row) => `Zeile ${row} hat ein öffnendes Anführungszeichen ("), das nie geschlossen wird`,
  tooManyRows: (max) => `mehr als ${max} Datenzeilen; erlaubt sind ${max}`,
  noRowReadable: (first) => `keine Zeile war lesbar; das erste Problem: ${first}`,
  headerOnly: "die Datei hat eine Kopfzeile, aber keine Datenzeilen",
  empty: "die Datei ist leer",
  row: (row, reason) => `Zeile ${row} ${reason}`,
  rowValue: (row, reason) => `Zeile ${row}: ${reason}`,
  blankLine: "eine Leerzeile",
  emptyCells: "eine Zeile mit leeren Zellen",
  columns: (count, decimalCommaHint) =>
    `hat ${count} Spalten; erwartet sind 1 (Wert) oder 2 (Beschriftung, Wert)${decimalCommaHint ? ' — bei Dezimalkommas Spalten mit ";" trennen' : ""}`,
  columnsDiffer: (count, above) =>
    `hat ${count} ${count === 1 ? "Spalte" : "Spalten"}; die Zeilen darüber haben ${above}`,
  emptyValue: "hat einen leeren Wert",
  badValue: (value, why) => `${value} ${why}`,
  notANumber: "ist keine Zahl",
  tooLarge: (max) => `ist zu groß für ein Diagramm: höchstens ${max} (Daten in eine größere Einheit umrechnen)`,
  tooSmall: (min) => `ist zu nah an null: 0 oder mindestens ${min} angeben (Daten in eine kleinere Einheit umrechnen)`,
  notText: "das ist keine Textdatei; hänge eine CSV an (.csv oder .txt)",
  tooLargeFile: (size, limit) => `der Anhang hat ${size}; erlaubt sind ${limit}`,
  tooLargeFileUnknown: (limit) => `der Anhang ist größer als erlaubt (${limit})`,
  notCsv: (type) => `${type} ist keine CSV-Datei; hänge eine .csv- oder .txt-Datei an`,
  expired: (status) =>
    `der Anhang ließ sich nicht laden (HTTP ${status}); der Link ist vielleicht abgelaufen — lade die Datei erneut hoch`,
  tooCostly: (times, limit, drivers) =>
    `Dieses Diagramm würde zu lange dauern: etwa ${times}-mal ein gewöhnliches Diagramm, erlaubt ist ${limit} (${drivers}). Versuche weniger Zeilen, kürzere Beschriftungen oder einen kürzeren Titel.`,
  renderTimeout: (seconds) =>
    `Dieses Diagramm brauchte länger als ${seconds} s, daher hat das Backend abgebrochen. Versuche weniger Zeilen, kürzere Beschriftungen oder einen kürzeren Titel.`,
  costPoints: (count) => `${count} Punkte`,
  costSymbols: (count) => `ein Symbol auf jedem von ${count} Punkten`,
  costBars: (count) => `${count} einzelne Balken`,
  costLabels: (longest) => `Beschriftungen mit bis zu ${longest} Zeichen`,
  costText: (chars) => `${chars} Zeichen Titel und Achsennamen`,
  costForeign: "Text außerhalb des lateinischen Alphabets (mit den vollen Schriften gezeichnet)",
};

const fr: Translation<BackendSentences> = {
  file: (sentence) => `fichier : ${sentence}`,
  fileSize: (sentence) => `fichier : ${sentence}`,
  fileContentType: (sentence) => `fichier : ${sentence}`,
  fileUrl: (sentence) => `fichier : ${sentence}`,
  unclosedQuote: (row) => `la ligne ${row} ouvre un guillemet (") qui n'est jamais fermé`,
  tooManyRows: (max) => `plus de ${max} lignes de données ; la limite est ${max}`,
  noRowReadable: (first) => `aucune ligne n'a pu être lue ; le premier problème : ${first}`,
  headerOnly: "le fichier a une ligne d'en-tête mais aucune ligne de données",
  empty: "le fichier est vide",
  row: (row, reason) => `la ligne ${row} ${reason}`,
  rowValue: (row, reason) => `ligne ${row} : ${reason}`,
  blankLine: "une ligne vide",
  emptyCells: "une ligne de cellules vides",
  columns: (count, decimalCommaHint) =>
    `a ${count} colonnes ; attendu : 1 (valeur) ou 2 (étiquette, valeur)${decimalCommaHint ? ' — avec des virgules décimales, séparez les colonnes par ";"' : ""}`,
  columnsDiffer: (count, above) =>
    `a ${count} ${count === 1 ? "colonne" : "colonnes"} ; les lignes au-dessus en ont ${above}`,
  emptyValue: "a une valeur vide",
  badValue: (value, why) => `${value} ${why}`,
  notANumber: "n'est pas un nombre",
  tooLarge: (max) => `est trop grand pour un graphique : au plus ${max} (passez à une unité plus grande)`,
  tooSmall: (min) => `est trop proche de zéro : donnez 0 ou au moins ${min} (passez à une unité plus petite)`,
  notText: "ce n'est pas un fichier texte ; joignez un CSV (.csv ou .txt)",
  tooLargeFile: (size, limit) => `la pièce jointe fait ${size} ; la limite est ${limit}`,
  tooLargeFileUnknown: (limit) => `la pièce jointe dépasse la limite de ${limit}`,
  notCsv: (type) => `${type} n'est pas un fichier CSV ; joignez un fichier .csv ou .txt`,
  expired: (status) =>
    `la pièce jointe n'a pas pu être téléchargée (HTTP ${status}) ; le lien a peut-être expiré — envoyez le fichier à nouveau`,
  tooCostly: (times, limit, drivers) =>
    `Ce graphique serait trop long à tracer : environ ${times} fois un graphique ordinaire, et la limite est ${limit} (${drivers}). Essayez moins de lignes, des étiquettes ou un titre plus courts.`,
  renderTimeout: (seconds) =>
    `Ce graphique a pris plus de ${seconds} s à tracer, le backend l'a donc arrêté. Essayez moins de lignes, des étiquettes ou un titre plus courts.`,
  costPoints: (count) => `${count} points`,
  costSymbols: (count) => `un symbole sur chacun des ${count} points`,
  costBars: (count) => `${count} barres séparées`,
  costLabels: (longest) => `des étiquettes jusqu'à ${longest} caractères`,
  costText: (chars) => `${chars} caractères de titre et de noms d'axes`,
  costForeign: "du texte hors de l'alphabet latin (tracé avec les polices complètes)",
};

const TRANSLATIONS: Readonly<Record<string, BackendSentences>> = { de, fr };
const LOCALES = new Set(Object.keys(TRANSLATIONS));

/** The backend's sentences in a Discord locale: its language's, else English. */
export function backendSentences(locale: string | null | undefined): BackendSentences {
  const key = catalogueKey(LOCALES, locale);
  return key === null ? en : TRANSLATIONS[key]!;
}
