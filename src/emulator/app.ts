// The emulator as a standard fetch handler (Request → Response): Discord's REST routes under /api/v10, file
// serving under /attachments, the control surface under /__emulator, and the playground page at /. Every API
// call passes one pipeline: record → User-Agent rule → scripted fault → route → auth → handler → rate-limit
// headers → log. Every visible change bumps state.version and tells subscribers (the playground's event stream).

import {
  activeEntitlements,
  buySku,
  deleteEntitlement,
  installApp,
  sendAppEvent,
  uninstallApp,
  type AppActionDeps,
  type AppActionResult,
} from "./app-actions.ts";
import type { EmulatedEntitlement } from "./app-events.ts";
import { channelMessage, postMessage, resolveContextTarget, type PostInput, type PostResult } from "./channel.ts";
import { checkAgainstSpec, specViolationResponse } from "./conformance.ts";
import { readBody, summarizeBody, type BodyResult, type ParsedBody } from "./discord-body.ts";
import { conversationOf, filterCalls, type CallFilter, type Conversation } from "./conversation.ts";
import { discordError, methodNotAllowed, notFound, unauthorized } from "./errors.ts";
import { buildFeed, type FeedSnapshot } from "./feed.ts";
import { takeFault, type FaultSpec } from "./faults.ts";
import {
  buildInteraction,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  type BuildInteractionOptions,
  type InteractionPayload,
} from "./signed-interactions.ts";
import { isLoopbackHostname } from "./loopback.ts";
import { createEnforcer, type EnforcementOptions, type RateLimitStats } from "./enforce.ts";
import { rateLimitHeaders, tooManyRequestsHeaders } from "./ratelimit.ts";
import { DEFAULT_CHANNEL_ID, registerInteraction } from "./registry.ts";
import { matchRoute, redactedPath, type Route, type RouteContext } from "./router.ts";
import { serveAttachment } from "./routes/attachments.ts";
import { acknowledge, callbackRoutes } from "./routes/callback.ts";
import { channelRoutes } from "./routes/channels.ts";
import { entitlementRoutes } from "./routes/entitlements.ts";
import { commandRoutes } from "./routes/commands.ts";
import { handleAppControl } from "./routes/app.ts";
import { handleControl } from "./routes/control.ts";
import { handlePlaygroundControl, servePage, type AssetLoader } from "./routes/playground.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { handleAuthorizePage, oauth2Routes, readTokenBody, redactTokenBody, TOKEN_PATH } from "./routes/oauth2.ts";
import { clearOAuth, oauthStore } from "./oauth2-store.ts";
import { clearEmojis, emojiRoutes, serveEmoji } from "./routes/emojis.ts";
import { surfaceRoutes } from "./routes/bot-surface.ts";
import { sendToWorker, type SendInput, type SendResult, type WorkerTarget } from "./send.ts";
import {
  clearState,
  createState,
  type DevStatus,
  type EmulatedSku,
  type EmulatorState,
  type RecordedCall,
  type StoredCommand,
  type StoredFile,
  type StoredMessage,
} from "./state.ts";
import { storeUpload, type UploadInput, type UploadResult } from "./uploads.ts";

export interface EmulatorOptions {
  /** Default "100000000000000001" (the id the Worker tests pin). */
  applicationId?: string;
  /** When set, only `Authorization: Bot <botToken>` passes; otherwise any non-empty bot token does. */
  botToken?: string;
  /** Reject webhook/callback calls for tokens the emulator did not issue (default false: lax). */
  strictTokens?: boolean;
  /** One JSON object per event; tokens are never included. Default: silent. */
  log?: (event: Record<string, unknown>) => void;
  /** Clock for deadlines and timestamps (ms epoch); tests may move it. */
  now?: () => number;
  /** The Worker the playground (POST /__emulator/send) signs and sends interactions to. */
  worker?: WorkerTarget;
  /** Loads the playground page's files; the Node adapter supplies one (see server.ts). Without it GET / is a 404. */
  assets?: AssetLoader;
  /** SKUs the app sells (the playground offers to "buy" them; a premium button names its SKU). */
  skus?: readonly EmulatedSku[];
  /** The app's OAuth2 client secret: when set, only it passes the token endpoint; otherwise any non-empty one does. */
  clientSecret?: string;
  /**
   * Refuse calls past Discord's limits with 429s as Discord answers them (enforce.ts): the global 50/s, the route
   * buckets the headers announce, and `shared` resource limits. Default: announce only, never refuse.
   */
  enforceRateLimits?: EnforcementOptions;
}

export type InlineResult = { ok: true } | { ok: false; status: number; error: unknown };

export interface DiscordEmulator {
  fetch(request: Request): Promise<Response>;
  state: EmulatorState;
  /** The live fault list: push specs to script failures. */
  faults: FaultSpec[];
  calls(filter?: CallFilter): RecordedCall[];
  /** What the bot said for one interaction: the original response first, then follow-ups. */
  messagesFor(token: string): StoredMessage[];
  conversation(token: string): Conversation | undefined;
  /** Records that the Worker finished an interaction (what its log says); conversations show it as `worker_done`. */
  workerDone(interactionId: string, outcome: string): void;
  /** What the local stack's type-check found (null: it passes); the playground shows it as a banner. */
  setDevStatus(status: DevStatus | null): void;
  /** An uploaded file by attachment id (bytes and content type), for asserting on images. */
  file(attachmentId: string): StoredFile | undefined;
  commands(guildId?: string): StoredCommand[];
  /**
   * Builds an interaction payload and registers its token (the playground's and strict tests' way in). A user or
   * message command (`data: {name, type: 2 | 3, target_id}`) gets its target resolved from the channel, unless
   * `data.resolved` has it already; an unknown target throws a TargetError.
   */
  issueInteraction(options: BuildInteractionOptions, label?: string): InteractionPayload;
  /** Registers a payload built elsewhere. */
  registerInteraction(payload: InteractionPayload): void;
  /** Records the Worker's inline HTTP answer as the interaction's initial response. */
  recordInlineResponse(token: string, body: unknown): Promise<InlineResult>;
  /**
   * Clears calls, faults, interactions, messages, files and (unless `keepCommands`) registered commands;
   * releases hanging calls. Configuration (application id, bot token, strictness) stays.
   */
  reset(options?: { keepCommands?: boolean }): void;
  /** Releases hanging calls for good (the Node adapter calls it before closing the server). */
  close(): void;
  /** Where POST /__emulator/send goes; undefined until configured. */
  worker: WorkerTarget | undefined;
  /** Issues, signs and POSTs an interaction to the Worker as Discord would; records the answer. */
  send(input: SendInput): Promise<SendResult>;
  /** Stores a file for an ATTACHMENT option (or a message to post); its URL is built on `origin`. */
  upload(input: UploadInput, origin: string): UploadResult;
  /** Posts a message in the channel as a person (default: the playground's user), for message commands to target. */
  postMessage(input: PostInput): PostResult;
  /** A message in the channel (posted, or the bot's as it is now) as Discord's API returns it; null when none. */
  channelMessage(id: string): Record<string, unknown> | null;
  /** The playground's chat timeline and log. */
  feed(): FeedSnapshot;
  /** Bot-token requests (peak per 1 s window) and the 429s answered, planned or not (enforce.ts). */
  rateLimits(): RateLimitStats;
  /** Called after every visible change (synchronously); returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Signs and POSTs a webhook event (any type, any data) to the Worker's Events URL; records the delivery. */
  sendAppEvent(type: string, data: unknown): Promise<AppActionResult<null>>;
  /** The playground's user adds the app to the server (0) or to their account (1): APPLICATION_AUTHORIZED. */
  installApp(integrationType: 0 | 1): Promise<AppActionResult<null>>;
  /** The playground's user removes the app from their account: APPLICATION_DEAUTHORIZED. */
  uninstallApp(): Promise<AppActionResult<null>>;
  /** A test purchase of a SKU by the playground's user: ENTITLEMENT_CREATE, and their interactions carry it. */
  buySku(skuId: string): Promise<AppActionResult<EmulatedEntitlement>>;
  /** ENTITLEMENT_DELETE, and interactions stop carrying it. */
  deleteEntitlement(id: string): Promise<AppActionResult<EmulatedEntitlement>>;
}

const API_PREFIX = /^\/api\/v(\d+)(\/.*)?$/;
const ROUTES: readonly Route[] = [
  ...commandRoutes,
  ...webhookRoutes,
  ...callbackRoutes,
  ...channelRoutes,
  ...entitlementRoutes,
  ...oauth2Routes,
  ...emojiRoutes,
  ...surfaceRoutes,
];
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);
const REDACTED = new Set(["authorization", "cookie"]);

function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = REDACTED.has(name) ? value.replace(/^(\w+)\s.+$/, "$1 [redacted]") : value;
  });
  return out;
}

function waitFor(ms: number, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of signals) {
      if (s.aborted) return done();
      s.addEventListener("abort", done, { once: true });
    }
  });
}

/** buildInteraction's defaults: the user, channel and guild every emulated interaction comes from. */
const PLAYGROUND_IDENTITY = {
  user: { id: DEFAULT_USER_ID, name: "Tester" },
  channel: { id: DEFAULT_CHANNEL_ID, name: "general" },
  guild_id: DEFAULT_GUILD_ID,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The control surface has no credentials: it trusts whoever reaches 127.0.0.1. A browser sends Origin with
 * every cross-site POST (even a "simple" one that needs no preflight), so changes requested by another site
 * (or through DNS rebinding to a non-loopback name) are refused.
 */
function refuseCrossSite(request: Request, url: URL): Response | null {
  if (request.method === "GET" || request.method === "HEAD") return null;
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  if (origin === url.origin && isLoopbackHostname(url.hostname)) return null;
  return Response.json(
    {
      error: `emulator(control): refused a ${request.method} from ${origin}; the control surface only answers its own page and local tools`,
    },
    { status: 403 },
  );
}

function checkAuth(state: EmulatorState, request: Request): Response | null {
  const header = request.headers.get("authorization") ?? "";
  const match = /^(Bot|Bearer) (\S+)$/.exec(header);
  if (!match) return unauthorized();
  if (state.botToken !== undefined && (match[1] !== "Bot" || match[2] !== state.botToken)) return unauthorized();
  return null;
}

export function createDiscordEmulator(options: EmulatorOptions = {}): DiscordEmulator {
  const state = createState(options);
  // Configuration, like the bot token: set again after every reset.
  const keepClientSecret = () => void (oauthStore(state).clientSecret = options.clientSecret);
  keepClientSecret();
  const enforcer = createEnforcer(state, options.enforceRateLimits);
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let lifecycle = new AbortController();
  let closed = false;
  const closing = new AbortController();
  const listeners = new Set<() => void>();
  /**
   * Tokens of interactions the emulator itself is sending, until the Worker's HTTP answer is recorded. Discord
   * has the answer before the webhook exists, so a Worker call that overtakes the answer's report (its
   * waitUntil PATCH can) waits here instead of finding no acknowledged interaction.
   */
  const answering = new Map<string, Promise<void>>();
  const changed = () => {
    state.version++;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        log({ event: "emulator.error", where: "subscriber", error: String(error) });
      }
    }
  };

  async function handleApi(request: Request, url: URL, apiPath: string): Promise<Response> {
    const started = performance.now();
    const call: RecordedCall = {
      seq: state.nextSeq++,
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: redactHeaders(request.headers),
      body: null,
      status: null,
      at: new Date(now()).toISOString(),
      ms: null,
    };
    state.calls.push(call);
    changed();

    // The OAuth2 token endpoint alone takes a form body (and its code and tokens stay out of the record).
    const isTokenCall = apiPath === TOKEN_PATH && request.method === "POST";
    const parsed: BodyResult = !BODY_METHODS.has(request.method)
      ? { ok: true, body: { kind: "none", payload: undefined, files: [] } }
      : isTokenCall
        ? await readTokenBody(request)
        : await readBody(request);
    call.body = parsed.ok
      ? isTokenCall
        ? { json: redactTokenBody(parsed.body.payload) }
        : summarizeBody(parsed.body)
      : parsed.summary;
    const match = matchRoute(ROUTES, request.method, apiPath);
    const route = match.kind === "found" ? match.route : null;
    const params = match.kind === "found" ? match.params : {};
    const logPath = route ? redactedPath(route, params) : "(unrouted)";

    const finish = async (
      response: Response,
      extraHeaders: Record<string, string> = {},
      fault?: RecordedCall["fault"],
    ): Promise<Response> => {
      const headers = new Headers(response.headers);
      for (const [k, v] of Object.entries(extraHeaders)) headers.set(k, v);
      const final = new Response(response.body, { status: response.status, headers });
      call.status = final.status;
      call.ms = Math.round(performance.now() - started);
      if (fault) call.fault = fault;
      if ((headers.get("content-type") ?? "").includes("application/json"))
        call.response = await final
          .clone()
          .json()
          .catch(() => undefined);
      log({
        event: "emulator.call",
        method: request.method,
        route: logPath,
        status: final.status,
        ms: call.ms,
        ...(fault ? { fault } : {}),
      });
      changed();
      return final;
    };

    const agent = request.headers.get("user-agent") ?? "";
    if (!agent.startsWith("DiscordBot (")) {
      return finish(
        discordError(
          400,
          0,
          `emulator: every Discord API call needs a User-Agent like "DiscordBot (https://example.com, 1.0.0)"; got ${agent ? JSON.stringify(agent) : "none"}. Real Discord may block such calls.`,
        ),
      );
    }

    const spec = takeFault(state.faults, request.method, url.pathname);
    if (spec) {
      if (spec.hang) {
        log({ event: "emulator.fault", kind: "hang", method: request.method, route: logPath });
        await waitFor(2 ** 31 - 1, [request.signal, lifecycle.signal]);
        call.fault = "hang";
        call.ms = Math.round(performance.now() - started);
        changed();
        return new Response(null, { status: 499 });
      }
      if (spec.delayMs) await waitFor(spec.delayMs, [request.signal, lifecycle.signal]);
      if (spec.respond) {
        const { status, json, body, headers = {} } = spec.respond;
        const response = json !== undefined ? Response.json(json, { status }) : new Response(body ?? null, { status });
        if (status === 429) enforcer.plannedFault();
        const defaults =
          status === 429 ? tooManyRequestsHeaders(json, route ? route.template : url.pathname, now()) : {};
        return finish(response, { ...defaults, ...headers }, "respond");
      }
    }

    const held = params.token === undefined ? undefined : answering.get(params.token);
    if (held) await held;

    if (!parsed.ok) return finish(parsed.response, {}, spec ? "delay" : undefined);
    if (match.kind === "none") return finish(notFound());
    if (match.kind === "wrong-method" || !route) return finish(methodNotAllowed());

    if (route.auth) {
      // A route under /applications/{id} answers only this application; channel routes have no :app.
      const denied =
        checkAuth(state, request) ??
        (params.app === undefined || params.app === state.applicationId
          ? null
          : discordError(403, 50001, "Missing Access"));
      if (denied) return finish(denied);
    }

    const body = parsed.body as ParsedBody;
    if (route.spec && body.kind !== "none") {
      const found = checkAgainstSpec(route.spec, body.payload);
      if (found) return finish(specViolationResponse(found, log));
    }

    // Counted before the handler runs, so calls in flight together cannot all take a bucket's last slot.
    const major = route.major.map((name) => params[name] ?? "").join("/");
    const botCall = route.auth && (request.headers.get("authorization") ?? "").startsWith("Bot ");
    const refused = enforcer.check(route, major, botCall, route.bucket, now());
    if (refused) return finish(refused);
    const limitHeaders = rateLimitHeaders(state, `${route.method} ${route.template}`, major, route.bucket, now());

    const ctx: RouteContext = { request, url, params, body, state, now: now(), origin: url.origin, log };
    let response: Response;
    try {
      response = await route.handler(ctx);
    } catch (error) {
      log({ event: "emulator.error", route: logPath, error: String(error) });
      response = discordError(500, 0, `emulator(${logPath}): ${(error as Error).message}`);
    }
    return finish(response, limitHeaders, spec ? "delay" : undefined);
  }

  const emulator: DiscordEmulator = {
    state,
    faults: state.faults,

    async fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/__emulator" || url.pathname.startsWith("/__emulator/")) {
        const refused = refuseCrossSite(request, url);
        if (refused) return refused;
        const path = url.pathname.replace(/^\/__emulator/, "") || "/";
        return (
          (await handlePlaygroundControl(emulator, changes, request, url, path)) ??
          (await handleAppControl(emulator, request, path)) ??
          handleControl(emulator, request, url)
        );
      }
      if ((url.pathname === "/" || url.pathname.startsWith("/playground/")) && request.method === "GET")
        return servePage(options.assets, url.pathname);
      const authorizePage = await handleAuthorizePage(state, request, url, now(), (event) => {
        log(event);
        changed();
      });
      if (authorizePage) return authorizePage;
      const emojiImage = url.pathname.startsWith("/emojis/") ? serveEmoji(state, request, url.pathname) : null;
      if (emojiImage) return emojiImage;
      if (url.pathname.startsWith("/attachments/") && (request.method === "GET" || request.method === "HEAD")) {
        return serveAttachment(state, request, url.pathname);
      }
      const api = API_PREFIX.exec(url.pathname);
      if (!api)
        return Response.json(
          { message: "404: Not Found", code: 0, hint: "emulator: Discord routes live under /api/v10" },
          { status: 404 },
        );
      if (api[1] !== "10")
        return Response.json(
          { message: `emulator: only API v10 is emulated (got v${api[1]})`, code: 0 },
          { status: 404 },
        );
      return handleApi(request, url, api[2] ?? "/");
    },

    calls: (filter) => filterCalls(state.calls, filter),
    messagesFor(token) {
      const record = state.interactions.get(token);
      return record ? conversationOf(record).messages : [];
    },
    conversation(token) {
      const record = state.interactions.get(token);
      return record ? conversationOf(record, state) : undefined;
    },
    workerDone(interactionId, outcome) {
      state.workerDone.set(interactionId, { at: new Date(now()).toISOString(), outcome });
      changed();
    },
    setDevStatus(status) {
      if (JSON.stringify(status) === JSON.stringify(state.devStatus)) return;
      state.devStatus = status;
      changed();
    },
    file: (attachmentId) => state.files.get(attachmentId),
    commands: (guildId) => (guildId === undefined ? state.commands.global : (state.commands.guilds.get(guildId) ?? [])),

    issueInteraction(buildOptions, label) {
      let data = buildOptions.data;
      const outsideGuilds = buildOptions.context === 1 || buildOptions.context === 2;
      const guildId = outsideGuilds
        ? null
        : buildOptions.guildId === undefined
          ? DEFAULT_GUILD_ID
          : buildOptions.guildId;
      // Use the registered command's id when one matches by name and type, as Discord would send.
      const commandType = typeof data?.type === "number" ? data.type : 1;
      const registered =
        data && typeof data.name === "string" && data.id === undefined
          ? [...(guildId ? (state.commands.guilds.get(guildId) ?? []) : []), ...state.commands.global].find(
              (c) => c.name === data!.name && c.type === commandType,
            )
          : undefined;
      if (data && registered)
        data = { ...data, id: registered.id, ...(registered.guild_id ? { guild_id: registered.guild_id } : {}) };
      if (data && buildOptions.type === 2) data = resolveContextTarget(state, data, guildId !== null);
      const invoker = buildOptions.user?.id ?? DEFAULT_USER_ID;
      const payload = buildInteraction({
        applicationId: state.applicationId,
        entitlements: activeEntitlements(state, invoker, guildId, now()),
        ...buildOptions,
        ...(data ? { data } : {}),
      });
      registerInteraction(state, payload, now(), label);
      log({ event: "emulator.interaction.issued", interaction_id: payload.id, type: payload.type });
      changed();
      return payload;
    },
    registerInteraction(payload) {
      registerInteraction(state, payload, now());
      log({ event: "emulator.interaction.issued", interaction_id: payload.id, type: payload.type });
      changed();
    },
    async recordInlineResponse(token, body) {
      const record = state.interactions.get(token);
      if (!record) return { ok: false, status: 404, error: { message: "Unknown interaction", code: 10062 } };
      if (record.acknowledged && record.callbacks.length === 0) {
        // The Worker's first webhook call (a quick PATCH @original after a defer) overtook the report of its
        // HTTP answer: Discord had the answer first, so record it, and keep the message the edit made.
        record.callbacks.push({
          type: (body as { type?: number } | null)?.type ?? 0,
          ...(isObject(body) && body.data !== undefined ? { data: body.data } : {}),
          at: new Date(now()).toISOString(),
          via: "inline",
        });
        changed();
        return { ok: true };
      }
      const result = acknowledge({ state, record, body, files: [], origin: "", now: now(), via: "inline", log });
      if (result.ok) {
        changed();
        return { ok: true };
      }
      const status = result.response.status;
      return { ok: false, status, error: await result.response.json() };
    },

    reset(resetOptions) {
      clearState(state, resetOptions);
      enforcer.reset();
      clearOAuth(state);
      keepClientSecret();
      clearEmojis(state);
      lifecycle.abort();
      if (!closed) lifecycle = new AbortController();
      changed();
    },
    close() {
      closed = true;
      lifecycle.abort();
      closing.abort();
    },

    worker: options.worker,
    send(input) {
      return sendToWorker(
        {
          state,
          worker: emulator.worker,
          issue: (buildOptions, label) => emulator.issueInteraction(buildOptions, label),
          recordInlineResponse: (token, body) => emulator.recordInlineResponse(token, body),
          hold(token) {
            let release = () => {};
            answering.set(token, new Promise<void>((resolve) => (release = resolve)));
            return () => {
              answering.delete(token);
              release();
            };
          },
          changed,
          now,
        },
        input,
      );
    },
    upload(input, origin) {
      const result = storeUpload(state, input, origin, now());
      if (result.ok) changed();
      return result;
    },
    postMessage(input) {
      const result = postMessage(state, input, now());
      if (result.ok) {
        log({ event: "emulator.channel.message", message_id: result.message.id });
        changed();
      }
      return result;
    },
    channelMessage: (id) => channelMessage(state, id),
    rateLimits: () => enforcer.stats(),
    feed: () => buildFeed(state, { workerUrl: emulator.worker?.url ?? null, identity: PLAYGROUND_IDENTITY }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sendAppEvent: (type, data) => sendAppEvent(appDeps(), type, data),
    installApp: (integrationType) => installApp(appDeps(), integrationType),
    uninstallApp: () => uninstallApp(appDeps()),
    buySku: (skuId) => buySku(appDeps(), skuId),
    deleteEntitlement: (id) => deleteEntitlement(appDeps(), id),
  };
  const appDeps = (): AppActionDeps => ({ state, worker: emulator.worker, changed, now });
  const changes = { version: () => state.version, subscribe: emulator.subscribe, closing: closing.signal };
  return emulator;
}
