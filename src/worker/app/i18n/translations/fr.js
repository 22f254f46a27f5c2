// French for the bot's sentences (../messages.ts: English, the reference). Checked against English by TypeScript
// (tsconfig.json: checkJs): exactly its keys, each with its parameters. Loaded the first time a French-speaking user
// needs it, never part of the Worker's main module; it runs as it is written: no imports, nothing but the sentences.
/** @type {import("../messages.ts").BotTranslation} */
export default {
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
  valuesTooMany: (count, max) => `values : ${count} nombres ; la limite est ${max} — joignez un fichier CSV pour plus`,
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
  remindNone: "Aucun rappel pour l'instant.",
  remindSnoozed: (minutes) => `Reporté de ${minutes} minutes.`,
  feedbackOutdated: "Ce formulaire est périmé. Relancez `/feedback`.",
  feedbackEmpty: "Votre avis était vide ; rien n'a été enregistré. Relancez `/feedback`.",
  feedbackTooLong: (length, max) =>
    `Votre avis fait ${length} caractères ; la limite est ${max}. Rien n'a été enregistré.`,
  feedbackNoStorage:
    "Le stockage des avis n'est pas configuré sur ce bot ; rien n'a été enregistré. L'opérateur a été prévenu.",
  feedbackThanks: (screenshot) => `Merci ! Votre avis a bien été reçu. 💌${screenshot ? " (avec votre capture)" : ""}`,
};
