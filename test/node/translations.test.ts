// The translation modules (src/worker/**/i18n/translations/*.js) as the Worker loads them: each is declared by its
// catalogue under its name in the upload, declares the type TypeScript checks it against (its catalogue's English:
// without it, `tsc` would accept any object), and imports nothing: it runs as written, beside the bundle, where no
// other source module exists. test/node/bundle.test.ts checks the upload itself.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const WORKER = join(import.meta.dirname, "..", "..", "src", "worker");
const CATALOGUES = [
  { folder: "kit/i18n", type: "PlatformTranslation" },
  { folder: "app/i18n", type: "BotTranslation" },
];

function modulesIn(folder: string): string[] {
  return readdirSync(join(WORKER, folder, "translations"))
    .filter((name) => name.endsWith(".js"))
    .map((name) => `${folder}/translations/${name}`);
}

describe("the translation modules", () => {
  it("are found where wrangler's rule uploads them, and nowhere else", () => {
    const all = (readdirSync(WORKER, { recursive: true }) as string[])
      .filter((path) => path.endsWith(".js"))
      .map((path) => relative(WORKER, join(WORKER, path)));
    expect(all.sort()).toEqual(CATALOGUES.flatMap(({ folder }) => modulesIn(folder)).sort());
    expect(readFileSync(join(WORKER, "..", "..", "wrangler.toml"), "utf8")).toMatch(
      /^rules = \[\{ type = "ESModule", globs = \["\*\*\/i18n\/translations\/\*\.js"\] \}\]$/m,
    );
  });

  for (const { folder, type } of CATALOGUES) {
    it(`of ${folder}: each declared by its catalogue, typed against its English, importing nothing`, () => {
      const catalogue = readFileSync(join(WORKER, folder, "messages.ts"), "utf8");
      const modules = modulesIn(folder);
      expect(modules.map((name) => name.slice(name.lastIndexOf("/") + 1))).toEqual(
        expect.arrayContaining(["de.js", "fr.js"]),
      );
      for (const name of modules) {
        expect(catalogue, `${folder}/messages.ts declares ${name}`).toContain(`"${name}"`);
        const source = readFileSync(join(WORKER, name), "utf8");
        expect(source, `${name}'s type`).toContain(`/** @type {import("../messages.ts").${type}} */\nexport default {`);
        expect(source.match(/^\s*(?:import|export)\b.*$/gm), `${name}: its only module statement`).toEqual([
          "export default {",
        ]);
        const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "");
        expect(code, `${name}: no dynamic import`).not.toMatch(/\bimport\s*\(/);
      }
    });
  }
});
