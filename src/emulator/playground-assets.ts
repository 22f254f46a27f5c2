// Node-only: serves the playground's files from src/emulator/playground/. The browser code is TypeScript, type-
// checked with the rest of the emulator (tsconfig.node.json has the DOM types), and turned into JavaScript per
// request by Node's own type stripper: no bundler, no build step, nothing to download, and because stripping
// replaces types with spaces, line and column numbers in the browser's errors match the source files.

import { readFile } from "node:fs/promises";
import { stripTypeScriptTypes } from "node:module";
import { join } from "node:path";
import type { Asset, AssetLoader } from "./routes/playground.ts";
import { ASSET_NAME } from "./routes/playground.ts";

const DIR = join(import.meta.dirname, "playground");

const CONTENT_TYPES: Record<string, string> = {
  ts: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  html: "text/html; charset=utf-8",
  svg: "image/svg+xml",
};

let warningFiltered = false;

/**
 * stripTypeScriptTypes prints "ExperimentalWarning: stripTypeScriptTypes is an experimental feature" on first
 * use; in `npm start`'s output that line would look like a problem with the developer's bot. Only that warning
 * is dropped; every other warning still reaches the default handler.
 */
function filterStripWarning(): void {
  if (warningFiltered) return;
  warningFiltered = true;
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/stripTypeScriptTypes is an experimental feature/.test(text)) return;
    emit(warning, ...rest);
  }) as typeof process.emitWarning;
}

function toJavaScript(source: string, name: string): string {
  filterStripWarning();
  try {
    return stripTypeScriptTypes(source, { mode: "strip", sourceUrl: `/playground/${name}` });
  } catch (error) {
    throw new Error(`emulator(playground): cannot strip the types from ${name}: ${(error as Error).message}`);
  }
}

export const playgroundAssets: AssetLoader = async (name: string): Promise<Asset | null> => {
  if (!ASSET_NAME.test(name)) return null;
  const extension = name.slice(name.lastIndexOf(".") + 1);
  let source: string;
  try {
    source = await readFile(join(DIR, name), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return { body: extension === "ts" ? toJavaScript(source, name) : source, contentType: CONTENT_TYPES[extension]! };
};
