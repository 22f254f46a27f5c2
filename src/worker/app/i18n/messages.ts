/**
 * The bot's message catalogue (English, German, French), merged with the platform's own sentences by the registry
 * (src/worker/index.ts hands it over): `ctx.t("pong")` in a handler, `task.t(...)` in a job. English is the
 * reference: a key missing in German or French, or one with other parameters, is a compile error, and so is a call
 * of `t` with an unknown key or the wrong arguments (the `Register` declaration below tells the platform its type).
 */
import { defineMessages } from "../../kit/index.ts";

export const messages = defineMessages(
  {
    pong: "🏓 Pong!",
    answeredAt: (colo: string) => `Answered at the edge in **${colo}**.`,
    transit: (ms: number) => `Discord → Worker: ${ms} ms.`,
    rateLimited: (route: string | null, seconds: number) =>
      `You're using \`${route}\` faster than I can keep up. Please try again in about ${seconds} seconds.`,
    chartOneSource:
      "Give me exactly one of `values` (numbers like `3,5,8`) or `file` (a CSV), not both and not neither.",
    chartTitleLong: (length: number, max: number) => `\`title\` is ${length} characters; the limit is ${max}.`,
    chartFileLarge: (kib: number) => `\`file\` is ${kib} KiB; the limit is 1 MiB.`,
    chartNotCsv: (name: string) => `\`file\` should be a CSV (.csv or .txt); \`${name}\` is not.`,
    chartBadButton: "This button is not one of mine (its data is malformed), so I ignored it.",
    chartExpired: "This chart's data has expired, so it cannot be redrawn. Run `/chart` again.",
    valuesEmpty: 'values: no numbers found — give numbers separated by commas, e.g. "3, 5, 8"',
    valuesTooMany: (count: number, max: number) =>
      `values: ${count} numbers given; the limit is ${max} — attach a CSV file for more`,
    valuesNoLabel: (entry: string, position: number) =>
      `values: ${entry} at position ${position} has no label before "="`,
    valuesBad: (value: string, position: number, problem: string) =>
      `values: ${value} at position ${position} ${problem}`,
    notANumber: "is not a number",
    notANumberHint: "is not a number (separate numbers with commas)",
    tooLarge: (max: string) => `is too large to chart: the largest size is ${max} (scale the data to a larger unit)`,
    tooSmall: (min: string) =>
      `is too close to zero to chart: give 0 or a number of size ${min} or more (scale the data to a smaller unit)`,
    numbersCannotChart: (problem: string) => `I cannot chart that message's numbers: ${problem}`,
    numbersTooFew: (count: number) =>
      `That message has ${count === 0 ? "no numbers" : "only one number"}, so there is nothing to chart. Pick a message with at least two numbers (like "3, 5, 8").`,
    chartsUnavailable:
      "Charts are not available on this bot yet: its backend is not configured. The operator has been told.",
    adminDenied: (route: string) =>
      `You don't have permission to use \`${route}\`: it needs the Administrator permission (or an operator listing your user id in ADMIN_USER_IDS).`,
    adminNoStorage: "Storage (D1 binding `DB`) is not configured on this bot.",
    scopeAll: "scope: all servers, as an operator",
    scopeServer: "scope: this server only",
    statsTitle: (scope: string) => `**Stats** (${scope})`,
    statsInteractions: (total: number, lastDay: number) => `Interactions: ${total} (${lastDay} in the last 24 h)`,
    statsFeedback: (count: number) => `Feedback messages: ${count}`,
    statsInstallsAll: (installs: number, servers: number, users: number) =>
      `App installs received: ${installs} (${servers} to servers, ${users} to user accounts)`,
    statsRemovals: (count: number) => `Removals (deauthorizations): ${count}`,
    statsInstallsServer: (installs: number) => `App installs to this server received: ${installs}`,
    statsEntitlements: (count: number) => `Active entitlements: ${count}`,
    cacheNone: (days: number) => `Chart cache: no lookups in the last ${days} days`,
    cacheRate: (percent: number, hits: number, lookups: number, days: number) =>
      `Chart cache: ${percent}% hits (${hits} of ${lookups} lookups in the last ${days} days)`,
    feedbackNone: (scope: string) => `No feedback yet (${scope}).`,
    feedbackLatest: (count: number, scope: string) => `**Latest feedback** (${count}; ${scope})`,
    someone: "someone",
    premiumNeeded: (what: string, route: string) =>
      `${what} is a premium feature of \`${route}\`. Get premium with the button below, then run the command again; everything else stays free.`,
    helpTitle: "Commands",
    helpFooter: "`/help command:<name>` explains one command and its options.",
    helpUnknown: (name: string) =>
      `There is no command named \`${name}\`. Run \`/help\` without an argument to see them all.`,
    pollRefused: (problem: string) => `I could not make that poll: ${problem}.`,
    rollCount: (times: number) => `That was ${times} rolls.`,
    rollSaved: (name: string) => `Saved as "${name}".`,
    feedbackOutdated: "This form is out of date. Run `/feedback` again.",
    feedbackEmpty: "Your feedback was empty, so nothing was saved. Run `/feedback` to try again.",
    feedbackTooLong: (length: number, max: number) =>
      `Your feedback is ${length} characters; the limit is ${max}. Nothing was saved.`,
    feedbackNoStorage: "Feedback storage is not set up on this bot, so nothing was saved. The operator has been told.",
    feedbackThanks: (screenshot: boolean) =>
      `Thanks! Your feedback was received. 💌${screenshot ? " (with your screenshot)" : ""}`,
  },
  {
    // Translations say the same as English, shorter where English explains at length: every byte here ships in the
    // Worker, whose bundle has a size budget.
    de: {
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
      tooSmall: (min) =>
        `ist zu nah an null: 0 oder mindestens ${min} angeben (Daten in eine kleinere Einheit umrechnen)`,
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
      feedbackOutdated: "Dieses Formular ist veraltet. Führe `/feedback` erneut aus.",
      feedbackEmpty: "Dein Feedback war leer; nichts wurde gespeichert. Führe `/feedback` erneut aus.",
      feedbackTooLong: (length, max) =>
        `Dein Feedback hat ${length} Zeichen; erlaubt sind ${max}. Nichts wurde gespeichert.`,
      feedbackNoStorage:
        "Der Feedback-Speicher ist hier nicht eingerichtet; nichts wurde gespeichert. Der Betreiber ist informiert.",
      feedbackThanks: (screenshot) =>
        `Danke! Dein Feedback ist angekommen. 💌${screenshot ? " (mit deinem Screenshot)" : ""}`,
    },
    fr: {
      pong: "🏓 Pong !",
      answeredAt: (colo) => `Réponse depuis la périphérie du réseau à **${colo}**.`,
      transit: (ms) => `De Discord au Worker : ${ms} ms.`,
      rateLimited: (route, seconds) =>
        `Vous utilisez \`${route}\` plus vite que je ne peux suivre. Réessayez dans environ ${seconds} secondes.`,
      chartOneSource: "Donnez exactement un de `values` (des nombres comme `3,5,8`) ou `file` (un CSV).",
      chartTitleLong: (length, max) => `\`title\` fait ${length} caractères ; la limite est ${max}.`,
      chartFileLarge: (kib) => `\`file\` fait ${kib} Kio ; la limite est 1 Mio.`,
      chartNotCsv: (name) => `\`file\` doit être un CSV (.csv ou .txt) ; \`${name}\` n'en est pas un.`,
      chartBadButton: "Ce bouton n'est pas le mien (ses données sont invalides) ; ignoré.",
      chartExpired: "Les données de ce graphique ont expiré. Relancez `/chart`.",
      valuesEmpty: 'values : aucun nombre trouvé — donnez des nombres séparés par des virgules, p. ex. "3, 5, 8"',
      valuesTooMany: (count, max) =>
        `values : ${count} nombres ; la limite est ${max} — joignez un fichier CSV pour plus`,
      valuesNoLabel: (entry, position) => `values : ${entry} en position ${position} n'a pas d'étiquette avant "="`,
      valuesBad: (value, position, problem) => `values : ${value} en position ${position} ${problem}`,
      notANumber: "n'est pas un nombre",
      notANumberHint: "n'est pas un nombre (séparez les nombres par des virgules)",
      tooLarge: (max) => `est trop grand pour un graphique : au plus ${max} (passez à une unité plus grande)`,
      tooSmall: (min) => `est trop proche de zéro : donnez 0 ou au moins ${min} (passez à une unité plus petite)`,
      numbersCannotChart: (problem) => `Je ne peux pas tracer les nombres de ce message : ${problem}`,
      numbersTooFew: (count) =>
        `Ce message contient ${count === 0 ? "aucun nombre" : "un seul nombre"} ; rien à tracer. Choisissez-en un avec au moins deux nombres (comme "3, 5, 8").`,
      chartsUnavailable:
        "Les graphiques ne sont pas encore disponibles : le backend n'est pas configuré. L'opérateur a été prévenu.",
      adminDenied: (route) =>
        `Vous n'avez pas le droit d'utiliser \`${route}\` : il faut la permission Administrateur (ou votre identifiant dans ADMIN_USER_IDS).`,
      adminNoStorage: "Le stockage (liaison D1 `DB`) n'est pas configuré sur ce bot.",
      scopeAll: "portée : tous les serveurs, en tant qu'opérateur",
      scopeServer: "portée : ce serveur uniquement",
      statsTitle: (scope) => `**Statistiques** (${scope})`,
      statsInteractions: (total, lastDay) => `Interactions : ${total} (${lastDay} ces dernières 24 h)`,
      statsFeedback: (count) => `Messages d'avis : ${count}`,
      statsInstallsAll: (installs, servers, users) =>
        `Installations reçues : ${installs} (${servers} sur des serveurs, ${users} sur des comptes)`,
      statsRemovals: (count) => `Retraits : ${count}`,
      statsInstallsServer: (installs) => `Installations sur ce serveur : ${installs}`,
      statsEntitlements: (count) => `Droits actifs (achats) : ${count}`,
      cacheNone: (days) => `Cache des graphiques : aucune recherche ces ${days} derniers jours`,
      cacheRate: (percent, hits, lookups, days) =>
        `Cache des graphiques : ${percent} % de succès (${hits} sur ${lookups} recherches ces ${days} derniers jours)`,
      feedbackNone: (scope) => `Aucun avis pour l'instant (${scope}).`,
      feedbackLatest: (count, scope) => `**Derniers avis** (${count} ; ${scope})`,
      someone: "quelqu'un",
      premiumNeeded: (what, route) =>
        `${what} est une fonction premium de \`${route}\`. Obtenez premium avec le bouton ci-dessous, puis relancez la commande ; tout le reste reste gratuit.`,
      helpTitle: "Commandes",
      helpFooter: "`/help command:<name>` explique une commande et ses options.",
      helpUnknown: (name) => `Aucune commande nommée \`${name}\`. \`/help\` sans argument les liste toutes.`,
      pollRefused: (problem) => `Je n'ai pas pu créer ce sondage : ${problem}.`,
      rollCount: (times) => `C'était ${times} lancers.`,
      rollSaved: (name) => `Enregistré sous "${name}".`,
      feedbackOutdated: "Ce formulaire est périmé. Relancez `/feedback`.",
      feedbackEmpty: "Votre avis était vide ; rien n'a été enregistré. Relancez `/feedback`.",
      feedbackTooLong: (length, max) =>
        `Votre avis fait ${length} caractères ; la limite est ${max}. Rien n'a été enregistré.`,
      feedbackNoStorage:
        "Le stockage des avis n'est pas configuré sur ce bot ; rien n'a été enregistré. L'opérateur a été prévenu.",
      feedbackThanks: (screenshot) =>
        `Merci ! Votre avis a bien été reçu. 💌${screenshot ? " (avec votre capture)" : ""}`,
    },
  },
);

declare module "../../kit/index.ts" {
  interface Register {
    messages: typeof messages;
  }
}
