/**
 * Serving a bundle on bare workerd, the production runtime, instead of `wrangler dev` (whose local proxy
 * caps any Worker near 1,000 req/s on 2 cores). Each Worker gets a generated config.capnp with its bundle
 * embedded; secrets reach workerd through `fromEnvironment`, so no key is ever written to disk.
 *
 * Every child (wrangler builds, workerd servers) runs in its own process group and is stopped by group,
 * so no stray workerd keeps serving after the benchmark ends, fails or is interrupted.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export const ROOT = join(dirname(new URL(import.meta.url).pathname), "..");

/** The environment for every wrangler call: quiet and offline (toolchain notes, gotcha 10). */
export const WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
} as const;

export function findWorkerd(): string {
  const candidates = ["node_modules/workerd/bin/workerd", "node_modules/@cloudflare/workerd-linux-64/bin/workerd"].map(
    (p) => join(ROOT, p),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`bench(workerd): no workerd binary in ${candidates.join(" or ")}; run npm ci`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Child processes

const children = new Set<ChildProcess>();

/** Stops a child's whole process group: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 2000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    children.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    killGroup(child, "SIGKILL");
    await exited;
  }
  children.delete(child);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous last resort for process exit paths (signals, uncaught errors). */
export function killAllChildrenNow(): void {
  for (const child of children) killGroup(child, "SIGKILL");
  children.clear();
}

function spawnGroup(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; stdout: number | "pipe" | "ignore"; stderr: number | "pipe" | "ignore" },
): ChildProcess {
  const child = spawn(command, args, {
    cwd: ROOT,
    env: options.env,
    detached: true,
    stdio: ["ignore", options.stdout, options.stderr],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Runs a command to completion in its own group; returns its combined output, throws on failure. */
export async function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const child = spawnGroup(command, args, { env, stdout: "pipe", stderr: "pipe" });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c) => resolve(c));
  });
  if (code !== 0)
    throw new Error(`bench: ${relative(ROOT, command)} ${args.join(" ")} exited with ${code}:\n${output}`);
  return output;
}

// ---------------------------------------------------------------------------------------------------------
// Builds

export interface Bundle {
  /** The bundle's main module, as wrangler would upload it. */
  readonly file: string;
  readonly rawBytes: number;
  /**
   * The modules wrangler uploads beside it, unbundled (wrangler.toml: find_additional_modules; the translations), by
   * their name in the upload: their path from the main module's folder.
   */
  readonly modules: readonly string[];
  /** Wrangler's own "Total Upload: … / gzip: …" line, when it printed one. */
  readonly wranglerSize: string | null;
}

/**
 * `wrangler deploy --dry-run --outdir`: exactly the bundle `wrangler deploy` would upload. wrangler names
 * the output after the entry module, so `script` (an entry other than the config's `main`) changes it.
 */
export async function buildWithWrangler(
  outdir: string,
  extraArgs: readonly string[] = [],
  script?: string,
): Promise<Bundle> {
  const wrangler = join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const args = [wrangler, "deploy", "--dry-run", "--outdir", outdir, ...extraArgs, ...(script ? [script] : [])];
  const output = await run(process.execPath, args, { ...process.env, ...WRANGLER_ENV });
  // wrangler names the bundle after its entry module: the config's `main` (src/worker/index.ts → index.js) or `script`.
  const file = join(outdir, basename(script ?? configuredMain(extraArgs)).replace(/\.ts$/, ".js"));
  if (!existsSync(file)) throw new Error(`bench(build): wrangler wrote no ${file}:\n${output}`);
  const size = /Total Upload:\s*([^\n]+)/.exec(output);
  const modules = readdirSync(outdir, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".js") && join(outdir, name) !== file)
    .sort();
  return { file, rawBytes: readFileSync(file).length, modules, wranglerSize: size ? size[1]!.trim() : null };
}

/** The `main` of the wrangler config a build uses (`--config` among its arguments, else wrangler.toml). */
function configuredMain(args: readonly string[]): string {
  const at = args.indexOf("--config");
  const config = at >= 0 && args[at + 1] ? args[at + 1]! : "wrangler.toml";
  const main = /^main\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, config), "utf8"));
  if (!main) throw new Error(`bench(build): ${config} has no main`);
  return main[1]!;
}

/**
 * The top-level [vars] of wrangler.toml (what `wrangler dev` and the tests run with), as text bindings.
 * Only `KEY = "string"` lines are read: that is all the file uses for vars.
 */
export function readVars(): Record<string, string> {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const vars: Record<string, string> = {};
  const start = toml.search(/^\[vars\]\s*$/m);
  if (start < 0) return vars;
  for (const line of toml.slice(start).split("\n").slice(1)) {
    if (/^\s*\[/.test(line)) break;
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*")\s*(?:#.*)?$/.exec(line);
    if (match) vars[match[1]!] = JSON.parse(match[2]!) as string;
  }
  return vars;
}

/** compatibility_date and compatibility_flags of the production Worker, from wrangler.toml. */
export function readCompatibility(): { date: string; flags: string[] } {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  if (!date) throw new Error("bench: wrangler.toml has no compatibility_date");
  const flagsList = /^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  const flags = [...flagsList.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  return { date, flags };
}

// ---------------------------------------------------------------------------------------------------------
// Serving

export interface ServeOptions {
  readonly name: string;
  /** Directory for config.capnp (the bundle is embedded by a path relative to it). */
  readonly dir: string;
  readonly bundle: string;
  /** Modules beside the bundle (Bundle.modules), served as the upload would hold them. */
  readonly modules?: readonly string[];
  readonly port: number;
  readonly compatibilityDate: string;
  readonly compatibilityFlags: readonly string[];
  /** Plain-text bindings, written into the config (non-secret vars only). */
  readonly text: Readonly<Record<string, string>>;
  /** Secret bindings: binding name → value, handed to workerd through its environment. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Where the Worker's console output goes: a file path, or /dev/null (the default). */
  readonly logFile?: string;
}

export interface Server {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const capnpString = (value: string): string => JSON.stringify(value);

export function writeConfig(options: ServeOptions): string {
  mkdirSync(options.dir, { recursive: true });
  const bindings = [
    ...Object.entries(options.text).map(
      ([name, value]) => `    (name = ${capnpString(name)}, text = ${capnpString(value)}),`,
    ),
    ...Object.keys(options.secrets).map(
      (name) => `    (name = ${capnpString(name)}, fromEnvironment = ${capnpString(envName(name))}),`,
    ),
  ];
  // Named as wrangler names them in the upload, so the bundle's import() of one resolves as it does on Cloudflare.
  const modules = (options.modules ?? []).map(
    (name) =>
      `    (name = ${capnpString(name)}, esModule = embed ${capnpString(relative(options.dir, join(dirname(options.bundle), name)))}),`,
  );
  const config = `# Generated by bench/run.ts; secrets come from the environment (fromEnvironment), never from this file.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "worker", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${options.port}", http = (), service = "worker") ],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed ${capnpString(relative(options.dir, options.bundle))}),
${modules.join("\n")}
  ],
  compatibilityDate = ${capnpString(options.compatibilityDate)},
  compatibilityFlags = [${options.compatibilityFlags.map(capnpString).join(", ")}],
  bindings = [
${bindings.join("\n")}
  ],
);
`;
  const path = join(options.dir, "config.capnp");
  writeFileSync(path, config);
  return path;
}

const envName = (binding: string): string => `BENCH_${binding}`;

/** Starts `workerd serve config.capnp` in its own process group and waits until it answers HTTP. */
export async function serve(options: ServeOptions): Promise<Server> {
  const config = writeConfig(options);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const [name, value] of Object.entries(options.secrets)) env[envName(name)] = value;
  // The Worker logs one JSON line per interaction. workerd's stdout must be drained, or a full pipe would
  // block it: /dev/null (or a file) keeps logging's cost real but never blocking.
  const out = openSync(options.logFile ?? "/dev/null", "a");
  const errFile = join(options.dir, "workerd.stderr.log");
  const err = openSync(errFile, "w");
  const child = spawnGroup(findWorkerd(), ["serve", config], { env, stdout: out, stderr: err });
  closeSync(out);
  closeSync(err);
  const server: Server = { name: options.name, port: options.port, child, stop: () => stopGroup(child) };
  try {
    await waitForHttp(options.port, child, 15_000);
  } catch (error) {
    await server.stop();
    const stderr = existsSync(errFile) ? readFileSync(errFile, "utf8").slice(-2000) : "";
    throw new Error(`bench(workerd): ${options.name} did not start: ${(error as Error).message}\n${stderr}`);
  }
  return server;
}

async function waitForHttp(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`workerd exited (${child.exitCode ?? child.signalCode})`);
    try {
      await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      return; // any HTTP answer means it is serving
    } catch {
      if (Date.now() > deadline) throw new Error(`no HTTP answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}
