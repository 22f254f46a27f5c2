/**
 * The bot's message catalogue: what it says to users, in English, German and French. A handler asks for a
 * sentence by key (`ctx.t("pong")`, `ctx.t("answeredAt", colo)`) and gets it in the user's Discord locale
 * (`interaction.locale`: "de", "fr", "en-US", …), falling back to English for any other locale.
 *
 * Written here rather than with an i18n library: a few dozen sentences need no runtime message-format parser
 * (ICU libraries weigh 10 KB and more, and parse on every call), and plain TypeScript gives the checks that
 * matter: English is the reference, every other catalogue must have exactly its keys with the same parameters
 * (a missing or extra key is a compile error), and `t` accepts only known keys with the right arguments.
 * Everything is built once per isolate; a lookup is two property reads.
 */

/** The reference catalogue. A value is a sentence, or a function of the sentence's parameters. */
const en = {
  pong: "🏓 Pong!",
  answeredAt: (colo: string) => `Answered at the edge in **${colo}**.`,
  transit: (ms: number) => `Discord → Worker: ${ms} ms.`,
  unknownInteraction: "This app does not handle this kind of interaction yet, so nothing happened.",
  rateLimited: (route: string | null, seconds: number) => `You're using \`${route}\` faster than I can keep up. Please try again in about ${seconds} seconds.`,
  chartOneSource: "Give me exactly one of `values` (numbers like `3,5,8`) or `file` (a CSV), not both and not neither.",
  chartTitleLong: (length: number, max: number) => `\`title\` is ${length} characters; the limit is ${max}.`,
  chartFileLarge: (kib: number) => `\`file\` is ${kib} KiB; the limit is 1 MiB.`,
  chartNotCsv: (name: string) => `\`file\` should be a CSV (.csv or .txt); \`${name}\` is not.`,
  chartBadButton: "This button is not one of mine (its data is malformed), so I ignored it.",
  chartExpired: "This chart's data has expired, so it cannot be redrawn. Run `/chart` again.",
  unknownCommand: (name: string | null) =>
    `I don't know ${name ? `the command \`/${name}\`` : "that command"}. It may have been renamed or removed; run \`/help\` to see what I can do.`,
  staleCommand: (route: string | null) =>
    `\`${route}\` has changed since Discord last loaded it, so I could not read what you sent. Please try again in a minute (or reload Discord).`,
  unknownForm: "This form belongs to a feature this bot no longer has, so nothing was saved. Run `/help` to see what I can do.",
  unknownComponent: "This button or menu belongs to a feature this bot no longer has. Run the command again, or `/help` to see what I can do.",
  failed: (command: string | null, ref: string) =>
    `Something went wrong while running ${command ? `\`${command}\`` : "that"}. It has been logged with reference \`${ref}\`; please try again, and mention the reference if it keeps happening.`,
  stillTrying: (minutes: number) => `⏳ The service I need is not answering; I'm retrying. The answer comes here within ${minutes} min.`,
};

/** @public */
export type MessageKey = keyof typeof en;
/** Every catalogue has the reference's keys, each with the reference's parameters. */
type Catalogue = { readonly [K in MessageKey]: (typeof en)[K] };
type ArgsOf<K extends MessageKey> = (typeof en)[K] extends (...args: infer A) => string ? A : [];

// Translations say the same as English, shorter where English explains at length: every byte here ships in the
// Worker, whose bundle has a size budget.
const de: Catalogue = {
  pong: "🏓 Pong!",
  answeredAt: (colo) => `Geantwortet am Edge-Standort **${colo}**.`,
  transit: (ms) => `Von Discord zum Worker: ${ms} ms.`,
  unknownInteraction: "Diese Art von Interaktion unterstützt die App noch nicht; es ist nichts passiert.",
  rateLimited: (route, seconds) => `Du nutzt \`${route}\` schneller, als ich mitkomme. Bitte in etwa ${seconds} Sekunden erneut versuchen.`,
  chartOneSource: "Gib genau eines an: `values` (Zahlen wie `3,5,8`) oder `file` (eine CSV).",
  chartTitleLong: (length, max) => `\`title\` hat ${length} Zeichen; erlaubt sind ${max}.`,
  chartFileLarge: (kib) => `\`file\` hat ${kib} KiB; erlaubt ist 1 MiB.`,
  chartNotCsv: (name) => `\`file\` muss eine CSV sein (.csv oder .txt); \`${name}\` ist keine.`,
  chartBadButton: "Dieser Button ist nicht von mir (seine Daten sind fehlerhaft); ignoriert.",
  chartExpired: "Die Daten dieses Diagramms sind abgelaufen. Führe `/chart` erneut aus.",
  unknownCommand: (name) => `Ich kenne ${name ? `\`/${name}\`` : "diesen Befehl"} nicht (umbenannt oder entfernt?). \`/help\` zeigt, was ich kann.`,
  staleCommand: (route) => `\`${route}\` hat sich geändert; bitte in einer Minute erneut versuchen (oder Discord neu laden).`,
  unknownForm: "Dieses Formular gibt es nicht mehr; nichts wurde gespeichert. `/help` zeigt, was ich kann.",
  unknownComponent: "Diesen Button oder dieses Menü gibt es nicht mehr. Führe den Befehl erneut aus.",
  failed: (command, ref) => `Bei ${command ? `\`${command}\`` : "dieser Aktion"} ist ein Fehler aufgetreten (Referenz \`${ref}\`). Bitte erneut versuchen.`,
  stillTrying: (minutes) => `⏳ Der Dienst antwortet nicht; ich versuche es weiter. Die Antwort kommt hier in spätestens ${minutes} Min.`,
};

const fr: Catalogue = {
  pong: "🏓 Pong !",
  answeredAt: (colo) => `Réponse depuis la périphérie du réseau à **${colo}**.`,
  transit: (ms) => `De Discord au Worker : ${ms} ms.`,
  unknownInteraction: "Cette application ne gère pas encore ce type d'interaction ; rien ne s'est passé.",
  rateLimited: (route, seconds) => `Vous utilisez \`${route}\` plus vite que je ne peux suivre. Réessayez dans environ ${seconds} secondes.`,
  chartOneSource: "Donnez exactement un de `values` (des nombres comme `3,5,8`) ou `file` (un CSV).",
  chartTitleLong: (length, max) => `\`title\` fait ${length} caractères ; la limite est ${max}.`,
  chartFileLarge: (kib) => `\`file\` fait ${kib} Kio ; la limite est 1 Mio.`,
  chartNotCsv: (name) => `\`file\` doit être un CSV (.csv ou .txt) ; \`${name}\` n'en est pas un.`,
  chartBadButton: "Ce bouton n'est pas le mien (ses données sont invalides) ; ignoré.",
  chartExpired: "Les données de ce graphique ont expiré. Relancez `/chart`.",
  unknownCommand: (name) => `Je ne connais pas ${name ? `\`/${name}\`` : "cette commande"} (renommée ou supprimée ?). \`/help\` liste ce que je sais faire.`,
  staleCommand: (route) => `\`${route}\` a changé ; réessayez dans une minute (ou rechargez Discord).`,
  unknownForm: "Ce formulaire n'existe plus ; rien n'a été enregistré. `/help` liste ce que je sais faire.",
  unknownComponent: "Ce bouton ou ce menu n'existe plus. Relancez la commande.",
  failed: (command, ref) => `Une erreur s'est produite pendant ${command ? `\`${command}\`` : "cette action"} (référence \`${ref}\`). Réessayez.`,
  stillTrying: (minutes) => `⏳ Le service ne répond pas ; je réessaie. La réponse arrive ici d'ici ${minutes} min.`,
};

/** A sentence of the catalogue in one locale: `t("transit", 12)`. */
export type Translate = <K extends MessageKey>(key: K, ...args: ArgsOf<K>) => string;

function translate(catalogue: Catalogue): Translate {
  return (key, ...args) => {
    const entry = catalogue[key] as string | ((...values: unknown[]) => string);
    return typeof entry === "function" ? entry(...args) : entry;
  };
}

const ENGLISH = translate(en);
// A Map, not an object: a locale string is data, and must not reach Object.prototype ("constructor").
const TRANSLATORS: ReadonlyMap<string, Translate> = new Map([["en", ENGLISH], ["de", translate(de)], ["fr", translate(fr)]]);

/**
 * The translator for a Discord locale: "de" and "fr" have their own catalogues; a regional code ("en-US",
 * "fr-CA" if Discord adds one) uses its language's; anything else, or no locale, English.
 */
export function translator(locale: string | null | undefined): Translate {
  if (!locale) return ENGLISH;
  const exact = TRANSLATORS.get(locale);
  if (exact) return exact;
  const dash = locale.indexOf("-");
  return (dash > 0 ? TRANSLATORS.get(locale.slice(0, dash)) : undefined) ?? ENGLISH;
}
