/**
 * Imports a module of the Worker's upload that is not in its bundle, by its name in the upload: its path under
 * src/worker/ ("app/i18n/translations/de.js"). The entry hands it to the platform (`RegistryOptions.importModule`),
 * which loads each translation through it the first time a user's language needs it (kit/i18n/translators.ts).
 *
 * Why this file sits beside the entry, and nowhere else: wrangler bundles every module it can reach except those its
 * `rules` match (wrangler.toml: find_additional_modules), which it uploads as they are, named by their path from
 * here, and leaves an import() of them as written. The runtime resolves that import() from the bundle, which is this
 * folder; vitest (and TypeScript) resolve it from the file that wrote it. Only a file in this folder gives both the
 * same answer: from src/worker/kit/i18n/, the import() would pass every test and miss the module once deployed.
 * https://developers.cloudflare.com/workers/wrangler/bundling/#find-additional-modules
 */
export function importModule(name: string): Promise<unknown> {
  // A variable, not a template literal in the import(): esbuild would turn `./${name}` into a glob and bundle every
  // file it matches, which is what the rules keep out.
  const specifier = `./${name}`;
  return import(specifier);
}
