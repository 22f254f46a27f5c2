// What the Worker's and the backend's message catalogues share (src/worker/kit/i18n/, src/backend/i18n/): English is
// the reference, a translation has exactly its keys, each with its parameters (a compile error otherwise), and a
// Discord locale picks its catalogue the same way on both sides. Runtime-neutral: both sides import it.

/** A sentence, or a function of the sentence's parameters. */
type Sentence = string | ((...args: never[]) => string);
export type Sentences = Readonly<Record<string, Sentence>>;
/** A translation: exactly the reference's keys, each with the reference's parameters. */
export type Translation<E extends Sentences> = { readonly [K in keyof E]: E[K] };

/**
 * The catalogue key of a Discord locale among `locales`: itself ("pt-BR"), else its language ("de" for "de-AT"), else
 * null (English). `locales` is a Set: a locale string is data, and must not reach Object.prototype ("constructor").
 */
export function catalogueKey(locales: ReadonlySet<string>, locale: string | null | undefined): string | null {
  if (!locale) return null;
  if (locales.has(locale)) return locale;
  const dash = locale.indexOf("-");
  const language = dash > 0 ? locale.slice(0, dash) : null;
  return language !== null && locales.has(language) ? language : null;
}
