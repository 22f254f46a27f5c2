/**
 * `npm run bench:scale`: the bot on several isolates at once, against Discord's per-bot limits (issue 24).
 *
 * Eight (--isolates) workerd processes, each one Miniflare instance running the interactions Worker built as
 * `wrangler deploy` builds it (bench/scale-worker.ts: the Worker plus two bench routes), with wrangler.toml's bindings.
 * One more process, named as the services Worker, hosts the DiscordRateLimiter and serves nothing else; the eight reach
 * that one object through Miniflare's dev registry (the binding's script_name), as isolates in other places reach the
 * one object the services Worker hosts on Cloudflare. The Discord emulator (Node, this process) enforces the global
 * 50/s, the per-route buckets and a shared-scope limit on reactions, and counts the 429s it did not plan.
 *
 * For --seconds, at once: every isolate sends bot-token calls from --concurrency loops as fast as the limiter lets
 * it (GET /__bench/bot), and signed `/ping` interactions go to all isolates from closed-loop connections
 * (--connections per isolate: the highest rate the machine sustains). Then: the emulator's peak of bot-token
 * requests in any 1 s window and its unplanned 429s; each isolate's D1 writes (counted on its DB binding) per
 * interaction answered. The last line is the issue's, exactly.
 *
 *   node bench/scale.ts [--isolates 8] [--seconds 10] [--concurrency 4] [--connections 2] [--no-write]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from "wrangler";
import { DEFAULT_CHANNEL_ID, startDiscordEmulator } from "../src/emulator/index.ts";
import { startProcess } from "../scripts/lib/processes.ts";
import { generateTestKeyPair } from "../test/support/signing.ts";
import { APPLICATION_ID, rawRequest, SCENARIOS, signRequests } from "./interactions.ts";
import { runLoad } from "./load.ts";
import { writeSection } from "./report.ts";

const ROOT = join(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    isolates: { type: "string", default: "8" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "4" },
    connections: { type: "string", default: "2" },
    "no-write": { type: "boolean", default: false },
  },
});
const isolates = Number(args.isolates);
// Others' work on the machine shows in the figures: the run records the load it started under.
const loadAtStart = loadavg()[0]!;
const seconds = Number(args.seconds);
const dir = mkdtempSync(join(tmpdir(), "scale-bench-"));
const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "1",
};
/** The limiter's host: the name the interactions Worker's DISCORD_LIMITER binding gives as script_name. */
const HOST_NAME = "edge-discord-bot-services";
const ISOLATE_NAME = "edge-discord-bot";
const REACTIONS = "/channels/:channel/messages/:message/reactions/:emoji/@me";

// The top level of wrangler.toml with the bench entry as main: wrangler builds it as it builds a deployment.
const config = join(dir, "wrangler.toml");
writeFileSync(
  config,
  readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .split(/^\[env\./m)[0]!
    .replace(/^main = .*$/m, `main = "${join(ROOT, "bench/scale-worker.ts")}"`)
    .replace(/^migrations_dir = .*$/m, `migrations_dir = "${join(ROOT, "migrations")}"`),
);
const built = startProcess(
  "build",
  process.execPath,
  [
    join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
    "deploy",
    "--dry-run",
    "--outdir",
    join(dir, "out"),
    "--config",
    config,
  ],
  { cwd: dir, env: wranglerEnv },
);
if ((await built.exited) !== 0) throw new Error("bench(scale): wrangler could not build bench/scale-worker.ts");

const keys = await generateTestKeyPair();
const discord = await startDiscordEmulator({
  botToken: "bench-bot-token",
  enforceRateLimits: { shared: [{ method: "PUT", template: REACTIONS, limit: 2, windowMs: 1_000 }] },
});
// A message of the bot's in the channel, for the reactions.
const channelId = DEFAULT_CHANNEL_ID;
const posted = await fetch(`${discord.apiBase}/channels/${channelId}/messages`, {
  method: "POST",
  headers: {
    Authorization: "Bot bench-bot-token",
    "Content-Type": "application/json",
    "User-Agent": "DiscordBot (bench, 1.0)",
  },
  body: JSON.stringify({ content: "react here" }),
});
if (!posted.ok) throw new Error(`bench(scale): the emulator refused the channel message (${posted.status})`);
const reactOn = ((await posted.json()) as { id: string }).id;
const baseline = discord.emulator.rateLimits();

const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
const registry = join(dir, "registry");
const bundle = join(dir, "out", readdirSync(join(dir, "out")).find((file) => file.endsWith(".js"))!);
const migrations = readdirSync(join(ROOT, "migrations"))
  .filter((file) => file.endsWith(".sql"))
  .sort();

const instances: Miniflare[] = [];
/** Workers' log lines go nowhere (they would cost the console more than the Workers); the limiter's fallbacks are counted. */
let fallbacks = 0;
const logs = ({ message }: { message: string }) => {
  if (message.includes('"event":"discord.limiter.fallback"')) fallbacks++;
};
const stopAll = async () => {
  await Promise.allSettled(instances.map((instance) => instance.dispose()));
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
};
process.on("SIGINT", () => void stopAll().then(() => process.exit(130)));

try {
  // The limiter's own process: on Cloudflare the object runs apart from the isolates that ask it, so here it does not
  // share a workerd thread with one of them (workerd runs a process's isolates on one thread).
  const options = (name: string, limiter: object) =>
    convertV4MiniflareOptions({
      ...(workerOptions as object),
      name,
      modules: [{ type: "ESModule", path: bundle }],
      modulesRoot: join(dir, "out"),
      unsafeDevRegistryPath: registry,
      handleStructuredLogs: logs,
      durableObjects: { DISCORD_LIMITER: limiter },
      bindings: {
        ...(workerOptions as { bindings: Record<string, string> }).bindings,
        DISCORD_PUBLIC_KEY: keys.publicKeyHex,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_TOKEN: "bench-bot-token",
      },
    } as Parameters<typeof convertV4MiniflareOptions>[0]);
  const host = new Miniflare(options(HOST_NAME, { className: "DiscordRateLimiter", useSQLite: true }));
  instances.push(host);
  await host.ready;
  const urls: URL[] = [];
  for (let i = 0; i < isolates; i++) {
    // Each isolate its own D1 (one database per process here; the count is their sum), the one limiter the host's.
    const instance = new Miniflare(
      options(`${ISOLATE_NAME}-${i + 1}`, { className: "DiscordRateLimiter", scriptName: HOST_NAME }),
    );
    instances.push(instance);
    urls.push(await instance.ready);
    const db = await instance.getD1Database("DB");
    for (const file of migrations)
      for (const sql of unstable_splitSqlQuery(readFileSync(join(ROOT, "migrations", file), "utf8")))
        await db.prepare(sql).run();
  }
  console.log(
    `bench(scale): ${isolates} workerd processes up, and the limiter's; ${seconds} s of bot-token calls and /ping interactions`,
  );

  const signed = await signRequests(SCENARIOS.command, keys.privateKeyPkcs8Hex, 4_000);
  const bot = urls.map((url, i) =>
    fetch(
      new URL(
        `/__bench/bot?seconds=${seconds}&concurrency=${args.concurrency}&channel=${channelId}&message=${reactOn}&offset=${i * 1000}`,
        url,
      ),
    ).then((r) => r.json() as Promise<{ statuses: Record<string, number> }>),
  );
  const load = urls.map((url) =>
    runLoad({
      host: url.hostname,
      port: Number(url.port),
      concurrency: Number(args.connections),
      durationMs: seconds * 1000,
      warmupMs: 0,
      requests: signed.map((request) => rawRequest(url.host, request)),
      expectedStatus: 200,
    }),
  );
  const [botResults, loadResults] = await Promise.all([Promise.all(bot), Promise.all(load)]);
  const interactions = loadResults.reduce((sum, r) => sum + r.requests + r.unexpected, 0);
  const answered = loadResults.reduce((sum, r) => sum + r.requests, 0);

  // The claims and records run in waitUntil: read the counts once they stop moving.
  let writes = -1;
  for (let previous = -2; writes !== previous; await new Promise((r) => setTimeout(r, 500))) {
    previous = writes;
    writes = (
      await Promise.all(
        urls.map(
          async (url) =>
            ((await (await fetch(new URL("/__bench/d1-writes", url))).json()) as { writes: number }).writes,
        ),
      )
    ).reduce((a, b) => a + b, 0);
  }

  const limits = discord.emulator.rateLimits();
  const statuses: Record<string, number> = {};
  for (const result of botResults)
    for (const [k, v] of Object.entries(result.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const botCalls = limits.botRequests - baseline.botRequests;
  const peak = limits.peakPerSecond;
  const unplanned = limits.unplanned429 - baseline.unplanned429;
  const perInteraction = interactions ? writes / interactions : 0;
  const rps = (answered / seconds).toFixed(0);
  console.log(
    `bench(scale): bot-token calls ${botCalls} (${(botCalls / seconds).toFixed(1)}/s), outcomes ${JSON.stringify(statuses)}; 429s planned ${limits.planned429 - baseline.planned429} ${JSON.stringify(limits.byScope)}; limiter fallbacks ${fallbacks}`,
  );
  console.log(
    `bench(scale): interactions ${answered} answered (${rps}/s over ${isolates} isolates), ${interactions - answered} not 200; D1 writes ${writes}`,
  );

  if (!args["no-write"]) {
    writeSection(
      join(ROOT, "BENCHMARKS.md"),
      [
        `Run ${new Date().toISOString().slice(0, 16)}Z, \`npm run bench:scale -- --isolates ${isolates} --seconds ${seconds} --concurrency ${args.concurrency} --connections ${args.connections}\`, ${cpus().length} cores, 1-minute load average ${loadAtStart.toFixed(1)} at the start${loadAtStart > 1.5 ? " (a shared machine: other work competed for the cores; interactions/s is not this Worker's capacity)" : ""}. Method and capacity model: "Scale: method and capacity model" above.`,
        "",
        "| measure | value |",
        "|---|---:|",
        `| isolates (workerd processes; the limiter has one more) | ${isolates} |`,
        `| bot-token calls sent | ${botCalls} (${(botCalls / seconds).toFixed(1)}/s) |`,
        `| peak bot-token requests in any 1 s window (limit 50) | ${peak} |`,
        `| 429s not planned by the emulator | ${unplanned} |`,
        `| 429s planned (shared-scope reactions) | ${limits.planned429 - baseline.planned429} |`,
        `| limiter fallbacks (log lines) | ${fallbacks} |`,
        `| interactions answered (/ping) | ${answered} (${rps}/s) |`,
        `| D1 writes | ${writes} (${perInteraction.toFixed(3)} per interaction) |`,
      ].join("\n"),
      "## Scale: measured (bench:scale)",
    );
  }
  console.log(
    `bench:scale: peak ${peak} requests/s to Discord in any 1 s window (limit 50); ${unplanned} 429s not planned by the emulator; ${perInteraction.toFixed(2)} D1 writes per interaction`,
  );
} finally {
  await stopAll();
}
