// French for the platform's own sentences (../messages.ts: English, the reference, and why each language is a module
// of its own). Checked against English by TypeScript (tsconfig.json: checkJs): exactly its keys, each with its
// parameters. Runs as it is written: no imports, nothing but the sentences.
/** @type {import("../messages.ts").PlatformTranslation} */
export default {
  unknownInteraction: "Cette application ne gère pas encore ce type d'interaction ; rien ne s'est passé.",
  unknownCommand: (name) =>
    `Je ne connais pas ${name ? `\`/${name}\`` : "cette commande"} (renommée ou supprimée ?). \`/help\` liste ce que je sais faire.`,
  staleCommand: (route) => `\`${route}\` a changé ; réessayez dans une minute (ou rechargez Discord).`,
  unknownForm: "Ce formulaire n'existe plus ; rien n'a été enregistré. `/help` liste ce que je sais faire.",
  unknownComponent: "Ce bouton ou ce menu n'existe plus. Relancez la commande.",
  failed: (command, ref) =>
    `Une erreur s'est produite pendant ${command ? `\`${command}\`` : "cette action"} (référence \`${ref}\`). Réessayez.`,
  stillTrying: (minutes) => `⏳ Le service ne répond pas ; je réessaie. La réponse arrive ici d'ici ${minutes} min.`,
  jobNotSetUp: "Cette commande n'est pas encore configurée sur ce bot. L'opérateur a été prévenu.",
  jobChanged: "Cette commande a changé depuis que vous l'avez lancée. Relancez-la.",
  jobTimedOut: "C'était trop long, j'ai arrêté. Réessayez, peut-être avec moins de données.",
  jobFailed: "Une erreur s'est produite pendant ce travail.",
  withRef: (text, ref) => `⚠️ ${text} (référence \`${ref}\`)`,
  resultRefused: (ref) => `Votre résultat était prêt, mais Discord l'a refusé (référence \`${ref}\`). Réessayez.`,
  lateAnswer: "⚠️ C'était trop long. Réessayez.",
  relayTooLarge: "Le backend a renvoyé plus que je ne peux livrer. Réessayez avec moins de données.",
  relayTimeout: "Le backend a mis trop de temps. Réessayez avec moins de données, ou dans une minute.",
  relayUnreachable: "Le backend est injoignable pour le moment. Réessayez dans une minute.",
  relayBadResponse: "La réponse du backend était illisible. Réessayez ; si cela continue, prévenez l'opérateur du bot.",
  relayInput: (detail) => `Je n'ai pas pu utiliser votre saisie : ${detail}`,
  relayBusy: (seconds) =>
    `Le backend est occupé. Réessayez ${seconds ? `dans environ ${seconds} s` : "dans un instant"}.`,
  relayAuth: "Le bot n'a pas pu s'authentifier auprès de son backend. L'opérateur a été prévenu.",
  relayNotFound: "Le backend ne gère pas encore cette commande. Prévenez l'opérateur du bot.",
  relayFailed: "Le backend a échoué sur ce travail. Réessayez ; si cela continue, prévenez l'opérateur du bot.",
};
