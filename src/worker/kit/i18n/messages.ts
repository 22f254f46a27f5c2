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
  unknownForm: "This form belongs to a feature this bot no longer has, so nothing was saved. Run `/help` to see what I can do.",
  unknownComponent: "This button or menu belongs to a feature this bot no longer has. Run the command again, or `/help` to see what I can do.",
  failed: (command: string | null, ref: string) =>
    `Something went wrong while running ${command ? `\`${command}\`` : "that"}. It has been logged with reference \`${ref}\`; please try again, and mention the reference if it keeps happening.`,
  stillTrying: (minutes: number) => `⏳ The service I need is not answering; I'm retrying. The answer comes here within ${minutes} min.`,
};

// Translations say the same as English, shorter where English explains at length: every byte here ships in the
// Worker, whose bundle has a size budget.
const PLATFORM: Messages<typeof en> = {
  en,
  translations: {
    de: {
      unknownInteraction: "Diese Art von Interaktion unterstützt die App noch nicht; es ist nichts passiert.",
      unknownCommand: (name) => `Ich kenne ${name ? `\`/${name}\`` : "diesen Befehl"} nicht (umbenannt oder entfernt?). \`/help\` zeigt, was ich kann.`,
      staleCommand: (route) => `\`${route}\` hat sich geändert; bitte in einer Minute erneut versuchen (oder Discord neu laden).`,
      unknownForm: "Dieses Formular gibt es nicht mehr; nichts wurde gespeichert. `/help` zeigt, was ich kann.",
      unknownComponent: "Diesen Button oder dieses Menü gibt es nicht mehr. Führe den Befehl erneut aus.",
      failed: (command, ref) => `Bei ${command ? `\`${command}\`` : "dieser Aktion"} ist ein Fehler aufgetreten (Referenz \`${ref}\`). Bitte erneut versuchen.`,
      stillTrying: (minutes) => `⏳ Der Dienst antwortet nicht; ich versuche es weiter. Die Antwort kommt hier in spätestens ${minutes} Min.`,
    },
    fr: {
      unknownInteraction: "Cette application ne gère pas encore ce type d'interaction ; rien ne s'est passé.",
      unknownCommand: (name) => `Je ne connais pas ${name ? `\`/${name}\`` : "cette commande"} (renommée ou supprimée ?). \`/help\` liste ce que je sais faire.`,
      staleCommand: (route) => `\`${route}\` a changé ; réessayez dans une minute (ou rechargez Discord).`,
      unknownForm: "Ce formulaire n'existe plus ; rien n'a été enregistré. `/help` liste ce que je sais faire.",
      unknownComponent: "Ce bouton ou ce menu n'existe plus. Relancez la commande.",
      failed: (command, ref) => `Une erreur s'est produite pendant ${command ? `\`${command}\`` : "cette action"} (référence \`${ref}\`). Réessayez.`,
      stillTrying: (minutes) => `⏳ Le service ne répond pas ; je réessaie. La réponse arrive ici d'ici ${minutes} min.`,
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
export function defineMessages<E extends Sentences>(en: E, translations: Readonly<Record<string, NoInfer<Translation<E>>>>): Messages<E> {
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
