// The whole local stack in one call: the Discord emulator and the backend in this process, the Worker under
// `wrangler dev` in its own process group. With `backend: "worker"` the backend is the backend Worker under its own
// `wrangler dev` instead (scripts/lib/backend-worker.ts), so no Node backend runs at all. With `relayMode: "queue"`
// the Worker hands deferred jobs to the JOBS queue that wrangler dev runs locally. Used by `npm start` and by the end-to-end tests, so what a developer
// tries is what the tests prove. Any part failing to start stops the others and says which part and why; a stop
// requested during start-up (options.signal) stops what has started so far.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CHANNEL_ID, startDiscordEmulator, type RunningEmulator } from "../../src/emulator/index.ts";
import { DEV_PREMIUM_SKU, ensureDevConfig, type DevConfig } from "./dev-config.ts";
import { loadDefinitions } from "./definitions.ts";
import { freePort, portHolders, portProblem, type Managed } from "./processes.ts";
import { startD1Migrations } from "./d1-migrate.ts";
import { startBackendWorker } from "./backend-worker.ts";
import { startWranglerDev } from "./wrangler.ts";
import { workerDoneFrom } from "./worker-done.ts";
import { mirrorEntries, syncWorkerMirror } from "./worker-mirror.ts";
import { register, type CommandDefinition, type Io } from "./register-core.ts";
import { loadRoleConnectionMetadata, putRoleConnectionMetadata } from "./role-connection-metadata.ts";
import { emojiIdsVar, loadLocalEmojis, syncEmojis } from "./emoji-sync.ts";
import { writeLocalWorkerConfigs } from "./local-worker-configs.ts";
import { unlessStopped } from "./stop-request.ts";

const HOST = "127.0.0.1";
/** The emulator accepts any bot token unless told one; the local stack uses this one for registration and the report. */
const LOCAL_BOT_TOKEN = "local-dev-token";
const DEFAULT_PORTS = { worker: 8787, backend: 8788, emulator: 8790 } as const;

export interface StackOptions {
  root: string;
  /** Where .dev.vars and .emulator/ live; default root. Tests use a temporary folder. */
  configDir?: string;
  ports?: Partial<Record<keyof typeof DEFAULT_PORTS, number>>;
  /** Called with one line per event (JSON lines from the parts, and the stack's own messages). */
  log?: (source: string, line: string) => void;
  /** Where wrangler keeps local state (KV, D1); default .wrangler/state under root. */
  persistTo?: string;
  /** How long wrangler dev may take to answer /health. */
  startTimeoutMs?: number;
  /**
   * Gate `/chart file:` behind the dev SKU (DEV_PREMIUM_SKU), which the playground can buy, when .dev.vars sets
   * no PREMIUM_SKU_ID (an empty one there turns the gate off). npm start does; other tests leave it off.
   */
  devPremiumSku?: boolean;
  /** Which backend serves the relay: the Node server in this process (default) or the backend Worker. */
  backend?: BackendKind;
  /**
   * The Worker's RELAY_MODE: "waitUntil" (default) or "queue", where deferred jobs go through the JOBS queue that
   * wrangler dev runs locally (wrangler.toml's producer, the services Worker's consumers), retries and status edit included.
   */
  relayMode?: RelayMode;
  /** A stop requested during start-up (stop-request.ts): what has started is stopped, and startStack rejects with its reason. */
  signal?: AbortSignal;
  /**
   * Run the Worker from this copy of its sources (worker-mirror.ts) instead of src/: npm start's dev loop copies a
   * change there only once it passes the type-check (dev-loop.ts). Default: wrangler dev bundles src/ directly.
   */
  workerMirror?: string;
}

type BackendKind = "node" | "worker";
type RelayMode = "waitUntil" | "queue";

/** The running backend, whichever runtime it is. */
interface StackBackend {
  kind: BackendKind;
  url: string;
  /** Stops it (the faults tests use this for "backend down"). */
  close(): Promise<void>;
  /** Starts it again after close(), on the same URL: the backend coming back from an outage. */
  start(): Promise<void>;
}

export interface Stack {
  workerUrl: string;
  backendUrl: string;
  emulatorUrl: string;
  playgroundUrl: string;
  emulator: RunningEmulator;
  backend: StackBackend;
  relayMode: RelayMode;
  worker: Managed;
  config: DevConfig;
  /** The SKU `/chart file:` needs in this stack; "" when nothing is gated. */
  premiumSkuId: string;
  /** The command definitions registered with the emulator at start. */
  definitions: readonly CommandDefinition[];
  /** Registers definitions with the emulator exactly as `npm run register` would with Discord; 0 when it worked. */
  registerCommands(definitions: readonly CommandDefinition[], io: Io): Promise<number>;
  /** Resolves when any part stops on its own, naming it. */
  died: Promise<string>;
  stop(): Promise<void>;
}

export class StackError extends Error {
  override readonly name = "StackError";
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const log = options.log ?? (() => {});
  const signal = options.signal;
  // A taken port is refused, naming its holder: the holder would otherwise answer /health and pass for this stack.
  for (const [part, port] of Object.entries(ports)) {
    if (port === 0) continue;
    const problem = await portProblem(HOST, port);
    if (problem)
      throw new StackError(
        `start: ${problem}, needed by the ${part}${portHolders(port)} (is another \`npm start\` running? stop it, or free the port)`,
      );
  }
  const config = await ensureDevConfig(options.configDir ?? options.root);
  const definitions = await loadDefinitions();
  signal?.throwIfAborted();
  const premiumSkuId =
    config.devVars.PREMIUM_SKU_ID !== undefined
      ? config.devVars.PREMIUM_SKU_ID.trim()
      : options.devPremiumSku
        ? DEV_PREMIUM_SKU.id
        : "";

  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    stops.length = 0;
  };
  try {
    const workerUrl = `http://${HOST}:${ports.worker}`;
    const emulator = await startDiscordEmulator({
      port: ports.emulator,
      applicationId: config.applicationId,
      // The playground plays Discord: it signs with the dev key and posts to this Worker.
      worker: {
        url: `${workerUrl}/interactions`,
        eventsUrl: `${workerUrl}/events`,
        privateKeyHex: config.keyPair.privateKeyHex,
      },
      // What the app sells: the playground's App menu and premium buttons buy it.
      skus: premiumSkuId
        ? [{ id: premiumSkuId, name: premiumSkuId === DEV_PREMIUM_SKU.id ? DEV_PREMIUM_SKU.name : "Premium" }]
        : [],
      // The Linked Roles Worker exchanges codes with this secret, as with Discord's.
      clientSecret: config.linkedRoles.clientSecret,
      log: (event) => log("emulator", JSON.stringify(event)),
    });
    stops.push(() => emulator.close());
    signal?.throwIfAborted();

    // The application emojis first: the Worker gets their ids (EMOJI_IDS) when it starts, as a deploy would.
    const emojiIds = await unlessStopped(
      syncEmojis(
        { apiBase: emulator.apiBase, applicationId: config.applicationId, token: LOCAL_BOT_TOKEN },
        loadLocalEmojis(),
        { out: (line) => log("register", line), err: (line) => log("register", line) },
      ),
      signal,
    );
    if (!emojiIds) throw new StackError("start: syncing the application emojis with the emulator failed (see above)");

    const emulatorHost = new URL(emulator.url).host;
    // Files uploaded in the playground are served by the emulator, so the backend may fetch from it too.
    const attachmentHosts = ["cdn.discordapp.com", "media.discordapp.net", emulatorHost];
    const persistTo = options.persistTo ?? join(options.root, ".wrangler", "state");
    // The backend's port is chosen before it listens, so the Worker (which needs BACKEND_URL) starts at once.
    const backendPort = ports.backend === 0 ? await freePort(HOST) : ports.backend;
    const backendUrl = `http://${HOST}:${backendPort}`;

    // The backend, the D1 migrations and the Worker start together (each takes seconds, mostly waiting on its own
    // runtime): the stack is up when all three are. The first to fail stops the others.
    const failed = new AbortController();
    const startup = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
    const part = <T>(promise: Promise<T>) =>
      promise.catch((error: unknown) => {
        failed.abort(error);
        throw error;
      });
    let backendProcess: Managed | undefined;
    let backendStopped = false;
    // The backend can be stopped and started again on the same URL (the faults tests: an outage and its end).
    const startBackend = async (): Promise<StackBackend> => {
      if (options.backend === "worker") {
        const startWorker = (port: number) =>
          startBackendWorker({
            root: options.root,
            host: HOST,
            port,
            vars: { RELAY_SECRET: config.relaySecret, ATTACHMENT_HOSTS: attachmentHosts.join(",") },
            // A state folder of its own: two runtimes on one folder fail with SQLITE_BUSY (see the migrations below).
            persistTo: join(persistTo, "backend-worker"),
            log: (line) => log("backend", line),
            startTimeoutMs: options.startTimeoutMs,
            signal: startup,
          }).catch((error: unknown) => {
            if (startup.aborted) throw startup.reason;
            throw new StackError(
              `start: the backend Worker did not come up: ${(error as Error).message}. Its output is above.`,
            );
          });
        let started: Awaited<ReturnType<typeof startWorker>> | undefined = await startWorker(backendPort);
        backendProcess = started.process;
        const url = started.url;
        const worker: StackBackend = {
          kind: "worker",
          url,
          close: async () => {
            backendStopped = true;
            await started?.stop();
            started = undefined;
          },
          start: async () => {
            if (!started) started = await startWorker(Number(new URL(url).port));
          },
        };
        stops.push(() => worker.close());
        return worker;
      }
      // Imported here: the renderer's modules take seconds to load, time the Worker's start-up already spends.
      const { startBackendServer } = await import("../../src/backend/server.ts");
      startup.throwIfAborted();
      const startServer = (port: number) =>
        startBackendServer({
          port,
          hostname: HOST,
          relaySecret: config.relaySecret,
          attachmentHosts,
          log: (event: object) => log("backend", JSON.stringify(event)),
        });
      let server: Awaited<ReturnType<typeof startServer>> | undefined = await startServer(backendPort);
      const url = server.url;
      const node: StackBackend = {
        kind: "node",
        url,
        close: async () => {
          await server?.close();
          server = undefined;
        },
        start: async () => {
          if (!server) server = await startServer(Number(new URL(url).port));
        },
      };
      stops.push(() => node.close());
      return node;
    };
    const migrateD1 = async (): Promise<void> => {
      if (!existsSync(join(options.root, "migrations"))) return;
      // Twice at most: once seen in a test run on a loaded machine, the local runtime failed to start for the
      // migrations; applying them is idempotent (each file and its d1_migrations row in one transaction).
      let code: number | string = 0;
      for (let attempt = 1; attempt <= 2; attempt++) {
        const migrate = startD1Migrations(options.root, persistTo, (line) => log("worker", line));
        stops.push(() => migrate.stop());
        code = await unlessStopped(migrate.exited, startup);
        if (code === 0) return;
        if (attempt === 1) log("worker", `d1: the migrations failed (exit ${code}); trying once more`);
      }
      throw new StackError(`start: applying the D1 migrations failed (exit ${code}); its output is above`);
    };

    const vars: Record<string, string> = {
      DISCORD_PUBLIC_KEY: config.keyPair.publicKeyHex,
      DISCORD_APPLICATION_ID: config.applicationId,
      DISCORD_API_BASE: emulator.apiBase,
      BACKEND_URL: backendUrl,
      RELAY_SECRET: config.relaySecret,
      PREMIUM_SKU_ID: premiumSkuId,
      // The daily report goes to the playground's #general, with the token the emulator accepts.
      DISCORD_TOKEN: LOCAL_BOT_TOKEN,
      REPORT_CHANNEL_ID: DEFAULT_CHANNEL_ID,
      EMOJI_IDS: emojiIdsVar(emojiIds),
      RELAY_MODE: options.relayMode ?? "waitUntil",
    };
    // The Worker, the services Worker (its Durable Objects, queue consumer, cron and Webhook Events) and, bound to both
    // as LINKED_ROLES, the Linked Roles Worker, all sharing one D1, in one wrangler dev (local-worker-configs.ts).
    const configDir = options.configDir ?? options.root;
    // npm start runs the Worker from its type-checked copy (worker-mirror.ts), brought up to date here.
    if (options.workerMirror) syncWorkerMirror(options.root, options.workerMirror);
    const devVarsPath = join(configDir, ".dev.vars");
    const configs = writeLocalWorkerConfigs(
      options.root,
      configDir,
      existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : null,
      vars,
      {
        DISCORD_APPLICATION_ID: config.applicationId,
        DISCORD_API_BASE: emulator.apiBase,
        DISCORD_CLIENT_SECRET: config.linkedRoles.clientSecret,
        TOKEN_ENCRYPTION_KEY: config.linkedRoles.tokenEncryptionKey,
      },
      options.workerMirror ? mirrorEntries(options.workerMirror) : undefined,
    );
    // --test-scheduled: GET /__scheduled runs the cron handler (the playground's "Run daily cron", npm run interact -- --cron),
    // the services Worker's through the interactions Worker's local entry (local-worker-configs.ts says why).
    const args = [
      "-c",
      configs.interactions,
      "-c",
      configs.services,
      "-c",
      configs.linkedRoles,
      "--test-scheduled",
      "--persist-to",
      persistTo,
    ];
    for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
    // The Worker's log says when it has finished an interaction: the emulator shows it (`npm run interact` waits for it).
    emulator.emulator.state.workerLogs = true;
    const workerLog = (line: string) => {
      log("worker", line);
      const done = workerDoneFrom(line);
      if (done) emulator.emulator.workerDone(done.interactionId, done.outcome);
    };
    const startWorker = async (): Promise<Managed> => {
      const { process: worker } = await startWranglerDev({
        root: options.root,
        name: "the Worker (wrangler dev)",
        host: HOST,
        port: ports.worker,
        args,
        log: workerLog,
        startTimeoutMs: options.startTimeoutMs,
        signal: startup,
      }).catch((error: unknown) => {
        if (startup.aborted) throw startup.reason;
        throw new StackError(`start: ${(error as Error).message}. Its output is above.`);
      });
      stops.push(() => worker.stop());
      return worker;
    };

    // The migrations run in a runtime of their own on the Worker's --persist-to state, so the Worker's runtime starts
    // only once they are done: two workerd processes on one state folder fail with SQLITE_BUSY (the Worker's runtime
    // exits before serving). The backend starts meanwhile.
    const migrated = part(migrateD1());
    const [backendResult, migratedResult, workerResult] = await Promise.allSettled([
      part(startBackend()),
      migrated,
      migrated.then(() => part(startWorker())),
    ]);
    // A stop requested by the user wins; else the part that failed first (the others were stopped because of it).
    signal?.throwIfAborted();
    if (failed.signal.aborted) throw failed.signal.reason;
    if (
      backendResult.status === "rejected" ||
      migratedResult.status === "rejected" ||
      workerResult.status === "rejected"
    )
      throw new StackError("start: a part failed to start (see above)");
    const backend = backendResult.value;
    const worker = workerResult.value;

    // Register the commands with the emulator exactly as `npm run register` would with Discord.
    const registerCommands = (list: readonly CommandDefinition[], io: Io) =>
      register({ apiBase: emulator.apiBase, applicationId: config.applicationId, token: LOCAL_BOT_TOKEN }, list, io);
    const io = { out: (line: string) => log("register", line), err: (line: string) => log("register", line) };
    const registered = await unlessStopped(registerCommands(definitions, io), signal);
    if (registered !== 0) throw new StackError("start: registering the commands with the emulator failed (see above)");
    const metadata = await unlessStopped(
      putRoleConnectionMetadata(
        { apiBase: emulator.apiBase, applicationId: config.applicationId, token: LOCAL_BOT_TOKEN },
        loadRoleConnectionMetadata(),
        io,
      ),
      signal,
    );
    if (metadata !== 0)
      throw new StackError("start: registering the role connection metadata with the emulator failed (see above)");

    const died = Promise.race([
      worker.exited.then((code) => `the Worker (wrangler dev) exited (${code})`),
      // Stopping the backend on purpose (a fault test) is not the stack dying.
      ...(backendProcess
        ? [
            backendProcess.exited.then((code) =>
              backendStopped ? new Promise<string>(() => {}) : `the backend Worker (wrangler dev) exited (${code})`,
            ),
          ]
        : []),
    ]);
    return {
      workerUrl,
      backendUrl: backend.url,
      emulatorUrl: emulator.url,
      playgroundUrl: `${emulator.url}/`,
      emulator,
      backend,
      relayMode: options.relayMode ?? "waitUntil",
      worker,
      config,
      premiumSkuId,
      definitions,
      registerCommands,
      died,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
