// The Chromium for browser tests, found without apt and without a download at test time, so that `npm ci &&
// npm test` passes on a bare machine: CHROMIUM_PATH if set, else Debian's /usr/bin/chromium, else (Linux x64)
// the headless Chromium that the @sparticuz/chromium devDependency carries inside its npm package. That one is
// a brotli file the package decompresses to $TMPDIR/chromium (with a few libraries beside it) on first use, in a
// few seconds, and reuses whatever it finds there after: delete $TMPDIR/chromium when the package is upgraded.
// Its flags are meant for AWS Lambda: the ones that change what a test would see are dropped (see below).
import { existsSync } from "node:fs";
import { chromium as playwright, type BrowserContext } from "playwright-core";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export interface FoundChromium {
  executablePath: string;
  /** Flags the binary needs besides the caller's. */
  args: string[];
  /** Where it came from, for error messages. */
  source: string;
}

/**
 * Lambda-only flags of @sparticuz/chromium we do not pass. `--single-process` and `--no-zygote` exist because
 * Lambda cannot run Chromium's process model; one renderer crash then takes the whole browser down, and
 * Chromium supports it for debugging only. `--disable-web-security`, `--allow-running-insecure-content` and
 * `--disable-site-isolation-trials` would let the playground do what a user's browser refuses (cross-origin
 * reads without CORS), so a broken playground could pass. `--headless='shell'` duplicates the caller's
 * `--headless` (the binary is headless-only anyway).
 */
const DROPPED = new Set([
  "--single-process",
  "--no-zygote",
  "--disable-web-security",
  "--allow-running-insecure-content",
  "--disable-site-isolation-trials",
  "--headless",
]);

const switchName = (arg: string) => arg.split("=", 1)[0]!;

/** Finds the browser, or throws a sentence saying what to set. Call it before starting anything slow. */
export async function findChromium(): Promise<FoundChromium> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(
        `browser tests: CHROMIUM_PATH is ${fromEnv}, which does not exist. Point it at a Chromium or Chrome executable, or unset it.`,
      );
    return { executablePath: fromEnv, args: [], source: "CHROMIUM_PATH" };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: [], source: DEBIAN_CHROMIUM };
  if (process.platform === "linux" && process.arch === "x64") {
    // The npm package ships x64 binaries only.
    const { default: packaged } = await import("@sparticuz/chromium");
    packaged.setGraphicsMode = false; // no WebGL: the playground draws none, and the tests pass --disable-gpu
    const args = packaged.args.filter((arg) => !DROPPED.has(switchName(arg)));
    return { executablePath: await packaged.executablePath(), args, source: "@sparticuz/chromium" };
  }
  throw new Error(
    `browser tests: no Chromium found. Set CHROMIUM_PATH to a Chromium or Chrome executable (e.g. "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"); ` +
      `on Linux x64 the @sparticuz/chromium devDependency provides one after \`npm ci\`. These tests never download a browser.`,
  );
}

/**
 * Launches a found Chromium with a persistent profile in `userDataDir`. `args` are the caller's flags; for the
 * same switch they win over the package's.
 */
export async function launchChromium(
  found: FoundChromium,
  userDataDir: string,
  options: { args: string[]; viewport: { width: number; height: number } },
): Promise<BrowserContext> {
  const own = new Set(options.args.map(switchName));
  const args = [...found.args.filter((arg) => !own.has(switchName(arg))), ...options.args];
  try {
    return await playwright.launchPersistentContext(userDataDir, {
      ...options,
      executablePath: found.executablePath,
      args,
    });
  } catch (error) {
    const hint =
      found.source === "@sparticuz/chromium"
        ? ` If its first extraction was interrupted, delete ${found.executablePath} and rerun.`
        : "";
    throw new Error(`browser tests: ${found.source} (${found.executablePath}) did not start.${hint}`, { cause: error });
  }
}
