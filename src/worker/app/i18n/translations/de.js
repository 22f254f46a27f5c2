// German for the bot's sentences (../messages.ts: English, the reference). Checked against English by TypeScript
// (tsconfig.json: checkJs): exactly its keys, each with its parameters. Loaded the first time a German-speaking user
// needs it, never part of the Worker's main module; it runs as it is written: no imports, nothing but the sentences.
/** @type {import("../messages.ts").BotTranslation} */
export default {
  pong: "🏓 Pong!",
  answeredAt: (colo) => `Geantwortet am Edge-Standort **${colo}**.`,
  transit: (ms) => `Von Discord zum Worker: ${ms} ms.`,
  rateLimited: (route, seconds) =>
    `Du nutzt \`${route}\` schneller, als ich mitkomme. Bitte in etwa ${seconds} Sekunden erneut versuchen.`,
  chartOneSource: "Gib genau eines an: `values` (Zahlen wie `3,5,8`) oder `file` (eine CSV).",
  chartTitleLong: (length, max) => `\`title\` hat ${length} Zeichen; erlaubt sind ${max}.`,
  chartFileLarge: (kib) => `\`file\` hat ${kib} KiB; erlaubt ist 1 MiB.`,
  chartNotCsv: (name) => `\`file\` muss eine CSV sein (.csv oder .txt); \`${name}\` ist keine.`,
  chartBadButton: "Dieser Button ist nicht von mir (seine Daten sind fehlerhaft); ignoriert.",
  chartExpired: "Die Daten dieses Diagramms sind abgelaufen. Führe `/chart` erneut aus.",
  valuesEmpty: 'values: keine Zahlen gefunden — gib durch Kommas getrennte Zahlen an, z. B. "3, 5, 8"',
  valuesTooMany: (count, max) => `values: ${count} Zahlen; erlaubt sind ${max} — für mehr eine CSV-Datei anhängen`,
  valuesNoLabel: (entry, position) => `values: ${entry} an Position ${position} hat keine Beschriftung vor "="`,
  valuesBad: (value, position, problem) => `values: ${value} an Position ${position} ${problem}`,
  notANumber: "ist keine Zahl",
  notANumberHint: "ist keine Zahl (Zahlen mit Kommas trennen)",
  tooLarge: (max) => `ist zu groß für ein Diagramm: höchstens ${max} (Daten in eine größere Einheit umrechnen)`,
  tooSmall: (min) => `ist zu nah an null: 0 oder mindestens ${min} angeben (Daten in eine kleinere Einheit umrechnen)`,
  numbersCannotChart: (problem) => `Die Zahlen dieser Nachricht kann ich nicht darstellen: ${problem}`,
  numbersTooFew: (count) =>
    `Diese Nachricht enthält ${count === 0 ? "keine Zahlen" : "nur eine Zahl"}; nichts darzustellen. Wähle eine mit mindestens zwei Zahlen (wie "3, 5, 8").`,
  chartsUnavailable:
    "Diagramme gibt es hier noch nicht: das Backend ist nicht eingerichtet. Der Betreiber ist informiert.",
  adminDenied: (route) =>
    `Du darfst \`${route}\` nicht verwenden: dafür braucht es die Administrator-Berechtigung (oder deine Nutzer-ID in ADMIN_USER_IDS).`,
  adminNoStorage: "Der Speicher (D1-Bindung `DB`) ist auf diesem Bot nicht eingerichtet.",
  scopeAll: "Bereich: alle Server, als Betreiber",
  scopeServer: "Bereich: nur dieser Server",
  statsTitle: (scope) => `**Statistik** (${scope})`,
  statsInteractions: (total, lastDay) => `Interaktionen: ${total} (${lastDay} in den letzten 24 h)`,
  statsFeedback: (count) => `Feedback-Nachrichten: ${count}`,
  statsInstallsAll: (installs, servers, users) =>
    `Installationen: ${installs} (${servers} auf Servern, ${users} in Nutzerkonten)`,
  statsRemovals: (count) => `Entfernungen: ${count}`,
  statsInstallsServer: (installs) => `Installationen auf diesem Server: ${installs}`,
  statsEntitlements: (count) => `Aktive Berechtigungen (Käufe): ${count}`,
  cacheNone: (days) => `Diagramm-Cache: keine Abfragen in den letzten ${days} Tagen`,
  cacheRate: (percent, hits, lookups, days) =>
    `Diagramm-Cache: ${percent} % Treffer (${hits} von ${lookups} Abfragen in den letzten ${days} Tagen)`,
  feedbackNone: (scope) => `Noch kein Feedback (${scope}).`,
  feedbackLatest: (count, scope) => `**Neuestes Feedback** (${count}; ${scope})`,
  someone: "jemand",
  premiumNeeded: (what, route) =>
    `${what} ist eine Premium-Funktion von \`${route}\`. Premium über den Button unten holen, dann den Befehl erneut ausführen; alles andere bleibt kostenlos.`,
  helpTitle: "Befehle",
  helpFooter: "`/help command:<name>` erklärt einen Befehl und seine Optionen.",
  helpUnknown: (name) => `Es gibt keinen Befehl \`${name}\`. \`/help\` ohne Argument zeigt alle.`,
  pollRefused: (problem) => `Diese Umfrage konnte ich nicht erstellen: ${problem}.`,
  rollCount: (times) => `Das waren ${times} Würfe.`,
  rollSaved: (name) => `Gespeichert als "${name}".`,
  remindNone: "Noch keine Erinnerungen.",
  remindSnoozed: (minutes) => `Um ${minutes} Minuten verschoben.`,
  feedbackOutdated: "Dieses Formular ist veraltet. Führe `/feedback` erneut aus.",
  feedbackEmpty: "Dein Feedback war leer; nichts wurde gespeichert. Führe `/feedback` erneut aus.",
  feedbackTooLong: (length, max) =>
    `Dein Feedback hat ${length} Zeichen; erlaubt sind ${max}. Nichts wurde gespeichert.`,
  feedbackNoStorage:
    "Der Feedback-Speicher ist hier nicht eingerichtet; nichts wurde gespeichert. Der Betreiber ist informiert.",
  feedbackThanks: (screenshot) =>
    `Danke! Dein Feedback ist angekommen. 💌${screenshot ? " (mit deinem Screenshot)" : ""}`,
};
