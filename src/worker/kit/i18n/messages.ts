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
 * English is here, in the code; each translation is a module of its own (translations/de.js beside this file, the
 * bot's in src/worker/app/i18n/translations/), which the Worker loads the first time an interaction in that language
 * needs it (translators.ts): an isolate that serves only English users never loads a word of German, and the main
 * module, which every cold start compiles inside Discord's 3 seconds, carries none (bench/budget.ts). A catalogue
 * names its translations by their module's name in the Worker's upload, its path under src/worker/. Translations are
 * JavaScript because the runtime loads them as they are written (wrangler uploads them unbundled); TypeScript checks
 * them all the same (tsconfig.json: checkJs), against the type each declares (`@type {PlatformTranslation}`).
 *
 * Written here rather than with an i18n library: a few dozen sentences need no runtime message-format parser
 * (ICU libraries weigh 10 KB and more, and parse on every call), and plain TypeScript gives the checks that
 * matter: English is the reference, every other catalogue must have exactly its keys with the same parameters
 * (a missing or extra key is a compile error), and `t` accepts only known keys with the right arguments.
 * Adding a language: its file in translations/ and one line in the catalogue.
 */

import type { Sentences, Translation } from "../../../shared/i18n.ts";

export type { Sentences, Translation } from "../../../shared/i18n.ts";

/**
 * A translation's module, by its name in the Worker's upload: its path under src/worker/
 * ("app/i18n/translations/de.js"), a JavaScript module whose default export is the translation.
 */
export type TranslationModule = `${string}.js`;
/** A catalogue: English (the reference) and its translations' modules by Discord locale ("de", "fr", "pt-BR"). */
export interface Messages<E extends Sentences = Sentences> {
  readonly en: E;
  readonly translations: Readonly<Record<string, TranslationModule>>;
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

/** What a translation of the platform's sentences must be (translations/*.js declare it). */
export type PlatformTranslation = Translation<typeof en>;

/** The platform's catalogue. Adding a language: translations/<locale>.js, and its line here. */
export const PLATFORM: Messages<typeof en> = {
  en,
  translations: {
    de: "kit/i18n/translations/de.js",
    fr: "kit/i18n/translations/fr.js",
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

/**
 * A bot's catalogue: English, and its translations' modules by locale (each module declares its type as
 * `Translation<typeof en>`, which TypeScript checks: exactly English's keys, each with English's parameters).
 */
export function defineMessages<E extends Sentences>(
  en: E,
  translations: Readonly<Record<string, TranslationModule>>,
): Messages<E> {
  return { en, translations };
}
