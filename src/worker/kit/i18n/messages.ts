/**
 * Message catalogues: what the bot says to users, in English and its translations. A handler asks for a sentence by
 * key (`ctx.t("pong")`, `ctx.t("answeredAt", colo)`) and gets it in the user's Discord locale (`interaction.locale`:
 * "de", "fr", "en-US", …), falling back to English for any other locale, and to English for a key a translation lacks.
 *
 * Two catalogues are merged: the platform's own sentences (an unknown command, a failure with its reference, a
 * retry under way: below) and the bot's, which the entry hands to the registry (`createRegistry(modules,
 * { messages })`). The bot declares its catalogue's type once (`interface Register { messages: typeof messages }`,
 * src/worker/app/i18n/messages.ts), so `t` accepts exactly the keys of both, with their arguments.
 *
 * Written here rather than with an i18n library: a few dozen sentences need no runtime message-format parser
 * (ICU libraries weigh 10 KB and more, and parse on every call), and plain TypeScript gives the checks that
 * matter: English is the reference, every other catalogue must have exactly its keys with the same parameters
 * (a missing or extra key is a compile error), and `t` accepts only known keys with the right arguments.
 * Everything is built once per registry (per isolate); a lookup is two property reads.
 */

/** A sentence, or a function of the sentence's parameters. */
type Sentence = string | ((...args: never[]) => string);
type Sentences = Readonly<Record<string, Sentence>>;
/** A translation: exactly the reference's keys, each with the reference's parameters. */
export type Translation<E extends Sentences> = { readonly [K in keyof E]: E[K] };
/** A bot's catalogue: English (the reference) and translations by Discord locale ("de", "fr", "pt-BR"). */
export interface Messages<E extends Sentences = Sentences> {
  readonly en: E;
  readonly translations: Readonly<Record<string, Translation<E>>>;
}

/** The platform's own sentences: answers the dispatcher and the engine give for the bot. */
const en = {
  unknownInteraction: "This app does not handle this kind of interaction yet, so nothing happened.",
  unknownCommand: (name: string | null) =>
    `I don't know ${name ? `the command \`/${name}\`` : "that command"}. It may have been renamed or removed; run \`/help\` to see what I can do.`,
  staleCommand: (route: string | null) =>
    `\`${route}\` has changed since Discord last loaded it, so I could not read what you sent. Please try again in a minute (or reload Discord).`,
  unknownForm:
    "This form belongs to a feature this bot no longer has, so nothing was saved. Run `/help` to see what I can do.",
  unknownComponent:
    "This button or menu belongs to a feature this bot no longer has. Run the command again, or `/help` to see what I can do.",
  failed: (command: string | null, ref: string) =>
    `Something went wrong while running ${command ? `\`${command}\`` : "that"}. It has been logged with reference \`${ref}\`; please try again, and mention the reference if it keeps happening.`,
  stillTrying: (minutes: number) =>
    `⏳ The service I need is not answering; I'm retrying. The answer comes here within ${minutes} min.`,
  jobNotSetUp: "This command is not set up on this bot yet. The operator has been told.",
  jobChanged: "This command changed after you ran it, so I could not finish it. Please run it again.",
  jobTimedOut: "This took longer than I can wait, so I stopped. Please try again, perhaps with less data.",
  jobFailed: "Something went wrong while working on this.",
  withRef: (text: string, ref: string) => `⚠️ ${text} (reference \`${ref}\`)`,
  resultRefused: (ref: string) =>
    `Your result was ready, but Discord would not accept it (reference \`${ref}\`). Please try again.`,
  lateAnswer: "⚠️ That took too long. Please try again.",
  relayTooLarge:
    "The backend sent back more than I can deliver. Please try again with less data; if it keeps happening, tell the bot's operator.",
  relayTimeout: "The backend took too long, so I stopped waiting. Try again with less data, or in a minute.",
  relayUnreachable: "The backend is unreachable right now. Please try again in a minute.",
  relayBadResponse:
    "The backend sent back something I could not read. Please try again; if it keeps happening, tell the bot's operator.",
  relayInput: (detail: string) => `I could not use your input: ${detail}`,
  relayBusy: (seconds: number | null) =>
    `The backend is busy right now. Please try again ${seconds ? `in about ${seconds} s` : "in a moment"}.`,
  relayAuth: "The bot could not authenticate with its backend. The operator has been told; please try again later.",
  relayNotFound: "The backend does not support this command yet. Please tell the bot's operator.",
  relayFailed:
    "The backend failed while working on this. Please try again; if it keeps happening, tell the bot's operator.",
};

// Translations say the same as English, shorter where English explains at length: every byte here ships in the
// Worker, whose bundle has a size budget.
const PLATFORM: Messages<typeof en> = {
  en,
  translations: {
    de: {
      unknownInteraction: "Diese Art von Interaktion unterstützt die App noch nicht; es ist nichts passiert.",
      unknownCommand: (name) =>
        `Ich kenne ${name ? `\`/${name}\`` : "diesen Befehl"} nicht (umbenannt oder entfernt?). \`/help\` zeigt, was ich kann.`,
      staleCommand: (route) =>
        `\`${route}\` hat sich geändert; bitte in einer Minute erneut versuchen (oder Discord neu laden).`,
      unknownForm: "Dieses Formular gibt es nicht mehr; nichts wurde gespeichert. `/help` zeigt, was ich kann.",
      unknownComponent: "Diesen Button oder dieses Menü gibt es nicht mehr. Führe den Befehl erneut aus.",
      failed: (command, ref) =>
        `Bei ${command ? `\`${command}\`` : "dieser Aktion"} ist ein Fehler aufgetreten (Referenz \`${ref}\`). Bitte erneut versuchen.`,
      stillTrying: (minutes) =>
        `⏳ Der Dienst antwortet nicht; ich versuche es weiter. Die Antwort kommt hier in spätestens ${minutes} Min.`,
      jobNotSetUp: "Dieser Befehl ist hier noch nicht eingerichtet. Der Betreiber ist informiert.",
      jobChanged: "Dieser Befehl hat sich geändert, seit du ihn ausgeführt hast. Bitte erneut ausführen.",
      jobTimedOut: "Das dauerte zu lange; ich habe abgebrochen. Bitte erneut versuchen, evtl. mit weniger Daten.",
      jobFailed: "Dabei ist etwas schiefgegangen.",
      withRef: (text, ref) => `⚠️ ${text} (Referenz \`${ref}\`)`,
      resultRefused: (ref) =>
        `Dein Ergebnis war fertig, aber Discord hat es abgelehnt (Referenz \`${ref}\`). Bitte erneut versuchen.`,
      lateAnswer: "⚠️ Das dauerte zu lange. Bitte erneut versuchen.",
      relayTooLarge: "Das Backend lieferte mehr, als ich zustellen kann. Bitte mit weniger Daten erneut versuchen.",
      relayTimeout: "Das Backend brauchte zu lange. Bitte mit weniger Daten oder in einer Minute erneut versuchen.",
      relayUnreachable: "Das Backend ist gerade nicht erreichbar. Bitte in einer Minute erneut versuchen.",
      relayBadResponse:
        "Die Antwort des Backends war unlesbar. Bitte erneut versuchen; sonst den Betreiber informieren.",
      relayInput: (detail) => `Deine Eingabe war nicht verwendbar: ${detail}`,
      relayBusy: (seconds) =>
        `Das Backend ist ausgelastet. Bitte ${seconds ? `in etwa ${seconds} s` : "gleich"} erneut versuchen.`,
      relayAuth: "Der Bot konnte sich nicht beim Backend anmelden. Der Betreiber ist informiert.",
      relayNotFound: "Das Backend kennt diesen Befehl noch nicht. Bitte den Betreiber informieren.",
      relayFailed: "Das Backend ist dabei gescheitert. Bitte erneut versuchen; sonst den Betreiber informieren.",
    },
    fr: {
      unknownInteraction: "Cette application ne gère pas encore ce type d'interaction ; rien ne s'est passé.",
      unknownCommand: (name) =>
        `Je ne connais pas ${name ? `\`/${name}\`` : "cette commande"} (renommée ou supprimée ?). \`/help\` liste ce que je sais faire.`,
      staleCommand: (route) => `\`${route}\` a changé ; réessayez dans une minute (ou rechargez Discord).`,
      unknownForm: "Ce formulaire n'existe plus ; rien n'a été enregistré. `/help` liste ce que je sais faire.",
      unknownComponent: "Ce bouton ou ce menu n'existe plus. Relancez la commande.",
      failed: (command, ref) =>
        `Une erreur s'est produite pendant ${command ? `\`${command}\`` : "cette action"} (référence \`${ref}\`). Réessayez.`,
      stillTrying: (minutes) =>
        `⏳ Le service ne répond pas ; je réessaie. La réponse arrive ici d'ici ${minutes} min.`,
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
      relayBadResponse:
        "La réponse du backend était illisible. Réessayez ; si cela continue, prévenez l'opérateur du bot.",
      relayInput: (detail) => `Je n'ai pas pu utiliser votre saisie : ${detail}`,
      relayBusy: (seconds) =>
        `Le backend est occupé. Réessayez ${seconds ? `dans environ ${seconds} s` : "dans un instant"}.`,
      relayAuth: "Le bot n'a pas pu s'authentifier auprès de son backend. L'opérateur a été prévenu.",
      relayNotFound: "Le backend ne gère pas encore cette commande. Prévenez l'opérateur du bot.",
      relayFailed: "Le backend a échoué sur ce travail. Réessayez ; si cela continue, prévenez l'opérateur du bot.",
    },
  },
};

/**
 * Where the bot declares its catalogue's type, by declaration merging (the platform imports nothing of the bot):
 *   declare module "../../kit/index.ts" { interface Register { messages: typeof messages } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the bot, see above
export interface Register {}
type BotSentences = Register extends { readonly messages: Messages<infer E> } ? E : {};
type AllSentences = typeof en & BotSentences;

export type MessageKey = keyof AllSentences & string;
type ArgsOf<K extends MessageKey> = AllSentences[K] extends (...args: infer A) => string ? A : [];

/** A sentence of the catalogue in one locale: `t("transit", 12)`. */
export type Translate = <K extends MessageKey>(key: K, ...args: ArgsOf<K>) => string;
/** The translator for a Discord locale. */
export type Translators = (locale: string | null | undefined) => Translate;

/** A bot's catalogue, checked: every translation has English's keys with English's parameters. */
export function defineMessages<E extends Sentences>(
  en: E,
  translations: Readonly<Record<string, NoInfer<Translation<E>>>>,
): Messages<E> {
  return { en, translations };
}

function translate(catalogue: Sentences): Translate {
  return (key, ...args) => {
    // A key neither catalogue has can only come from a registry built without the bot's catalogue (the types know
    // both): the key itself shows, rather than a failed answer.
    const entry = catalogue[key];
    return typeof entry === "function" ? (entry as (...values: unknown[]) => string)(...args) : (entry ?? key);
  };
}

/**
 * The translators of the platform's catalogue merged with a bot's: "de" and "fr" (and any locale either has) get
 * their own sentences, English where one lacks a key; a regional code ("en-US", "fr-CA" if Discord adds one) uses
 * its language's; anything else, or no locale, English.
 */
export function translators(bot?: Messages): Translators {
  const english = { ...en, ...bot?.en };
  const ENGLISH = translate(english);
  // A Map, not an object: a locale string is data, and must not reach Object.prototype ("constructor").
  const byLocale = new Map<string, Translate>([["en", ENGLISH]]);
  for (const locale in { ...PLATFORM.translations, ...bot?.translations }) {
    byLocale.set(locale, translate({ ...english, ...PLATFORM.translations[locale], ...bot?.translations[locale] }));
  }
  return (locale) => {
    if (!locale) return ENGLISH;
    const exact = byLocale.get(locale);
    if (exact) return exact;
    const dash = locale.indexOf("-");
    return (dash > 0 ? byLocale.get(locale.slice(0, dash)) : undefined) ?? ENGLISH;
  };
}

/** The platform's sentences alone: for code that runs without a registry (the engine's status edits). */
export const platformTranslator: Translators = translators();
