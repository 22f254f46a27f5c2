/**
 * Which sentence a user reads, and the one owner of loading translations. Each translation is a module of its own
 * (messages.ts says why), loaded the first time an interaction in its language needs it; after that its sentences are
 * read synchronously, like English's. The platform's entry points ask for the user's locale before any code that
 * words a sentence runs: the ingress before the dispatcher (handlers, the engine's answers and status edits, the
 * auto-deferral, deferred jobs in waitUntil), the queue consumer before a job or its final message. Handlers and
 * jobs never wait for a translation: `t` stays synchronous.
 *
 * English, and any locale no catalogue translates, needs no loading: `load` returns undefined, nothing to await. A
 * module that fails to load (or whose default export is not a translation) leaves that catalogue's sentences in
 * English for the isolate's life, with one log line; the user still gets an answer.
 */
import { scaled } from "../timing.ts";
import { errorFields, log } from "../log.ts";
import { catalogueKey } from "../../../shared/i18n.ts";
import { PLATFORM, type Messages, type Sentences, type Translate, type Translators } from "./messages.ts";

/**
 * Imports a module of the Worker's upload by its name (its path under src/worker/): src/worker/import-module.ts,
 * which the entry hands to the registry (`RegistryOptions.importModule`).
 */
export type ImportModule = (name: string) => Promise<unknown>;

/** A catalogue's sentences in every locale, and their loading. */
export interface Catalogue {
  /** The locale's translator: its language's sentences once `load` has settled, English until then. */
  readonly translator: Translators;
  /**
   * Loads what `locale`'s sentences need, the first time: a promise to await before wording anything in that
   * language, or undefined when there is nothing to load (English, a language without a translation, one already
   * loaded). Never rejects.
   */
  load(locale: string | null | undefined): Promise<void> | undefined;
}

/**
 * A module of the upload loads in well under a millisecond; the limit only keeps a loader that never settles from
 * holding an interaction past Discord's 3 seconds (it is then English, with its log line).
 */
const LOAD_TIMEOUT_MS = 1_000;

/** The platform's translations loaded in this isolate, by locale: shared by every catalogue and platformTranslator. */
const platformLoaded = new Map<string, Sentences>();
const PLATFORM_LOCALES = new Set(Object.keys(PLATFORM.translations));

function translate(catalogue: Sentences): Translate {
  return (key, ...args) => {
    // A key neither catalogue has can only come from a registry built without the bot's catalogue (the types know
    // both): the key itself shows, rather than a failed answer.
    const entry = catalogue[key];
    return typeof entry === "function" ? (entry as (...values: unknown[]) => string)(...args) : (entry ?? key);
  };
}

/** The module's translation, or undefined (logged once by the caller's bookkeeping) when it cannot be had. */
async function importTranslation(
  importModule: ImportModule | undefined,
  name: string,
  locale: string,
): Promise<Sentences | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!importModule) throw new Error("the registry was built without importModule (RegistryOptions)");
    const ms = scaled(LOAD_TIMEOUT_MS);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not loaded within ${ms} ms`)), ms);
    });
    const module = (await Promise.race([importModule(name), timeout])) as { default?: unknown } | null;
    const sentences = module?.default;
    if (typeof sentences !== "object" || sentences === null) throw new Error("its default export is not a translation");
    return sentences as Sentences;
  } catch (error) {
    log("i18n.load_failed", { locale, module: name, effect: "English", level: "error", ...errorFields(error) });
    return undefined;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * The platform's catalogue merged with a bot's: "de" and "fr" (and any locale either translates) get their own
 * sentences once loaded, English where one lacks a key; a regional code ("de-AT", "fr-CA" if Discord adds one) uses
 * its language's; anything else, or no locale, English. Built once per registry (per isolate); a lookup is a Map
 * read and a property read.
 */
export function createCatalogue(bot?: Messages, importModule?: ImportModule): Catalogue {
  const english = { ...PLATFORM.en, ...bot?.en };
  const ENGLISH = translate(english);
  const botModules = bot?.translations ?? {};
  // Sets and Maps, not objects: a locale string is data, and must not reach Object.prototype ("constructor").
  const locales = new Set([...PLATFORM_LOCALES, ...Object.keys(botModules)]);
  const ready = new Map<string, Translate>();
  const loading = new Map<string, Promise<void>>();

  const platformPart = (key: string): Sentences | Promise<Sentences | undefined> | undefined => {
    if (!PLATFORM_LOCALES.has(key)) return undefined;
    const loaded = platformLoaded.get(key);
    if (loaded) return loaded;
    return importTranslation(importModule, PLATFORM.translations[key]!, key).then((sentences) => {
      if (sentences) platformLoaded.set(key, sentences);
      return sentences;
    });
  };
  const botPart = (key: string) =>
    Object.hasOwn(botModules, key) ? importTranslation(importModule, botModules[key]!, key) : undefined;

  return {
    translator: (locale) => {
      const key = catalogueKey(locales, locale);
      return (key !== null && ready.get(key)) || ENGLISH;
    },
    load(locale) {
      const key = catalogueKey(locales, locale);
      if (key === null || ready.has(key)) return undefined;
      let pending = loading.get(key);
      if (!pending) {
        pending = Promise.all([platformPart(key), botPart(key)]).then(([platform, own]) => {
          ready.set(key, platform || own ? translate({ ...english, ...platform, ...own }) : ENGLISH);
          loading.delete(key);
        });
        loading.set(key, pending);
      }
      return pending;
    },
  };
}

const PLATFORM_ENGLISH = translate(PLATFORM.en);
const platformTranslators = new Map<string, Translate>();

/**
 * The platform's sentences alone, for code that runs without a registry (the engine's status edits and error
 * messages): a language's once any catalogue has loaded it in this isolate (the ingress and the queue consumer load
 * the user's before such code runs), English otherwise.
 */
export const platformTranslator: Translators = (locale) => {
  const key = catalogueKey(PLATFORM_LOCALES, locale);
  if (key === null) return PLATFORM_ENGLISH;
  let translator = platformTranslators.get(key);
  if (!translator) {
    const sentences = platformLoaded.get(key);
    if (!sentences) return PLATFORM_ENGLISH;
    translator = translate({ ...PLATFORM.en, ...sentences });
    platformTranslators.set(key, translator);
  }
  return translator;
};
