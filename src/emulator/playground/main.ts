// The playground page: reads the emulator's feed (and redraws when its event stream says something changed),
// posts plain messages, sends what the user does (commands, autocomplete, buttons, selects, forms, Apps from
// a right-click) through POST /__emulator/send as the member or the admin the toggle says, and opens a form
// when the bot answers with a modal. The place picker switches between the server's #general, a DM with the bot
// and a group DM the bot is not in (a user install), showing that channel only and offering only the commands
// whose `contexts` include it, as Discord does; the language picker sets the interactions' `locale`.

import type { FeedSnapshot, TimelineItem } from "../feed.ts";
import type { SendInput, SendOutcome } from "../send.ts";
import { api } from "./api.ts";
import type { CommandDef, OptionChoice } from "./command-line.ts";
import { Composer } from "./composer.ts";
import { openAppsMenu, type AppChoice } from "./context-menu.ts";
import { atBottom, h } from "./dom.ts";
import { renderLog } from "./log-view.ts";
import { pendingKey, renderTimeline, type AppsTarget, type ViewActions } from "./message-view.ts";
import { openModal } from "./modal.ts";

type Json = Record<string, any>;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`playground: the page has no #${id}`);
  return el as T;
}

const els = {
  scroller: byId<HTMLElement>("scroller"),
  messages: byId<HTMLElement>("messages"),
  log: byId<HTMLElement>("log"),
  composer: byId<HTMLElement>("composer"),
  admin: byId<HTMLInputElement>("admin-toggle"),
  place: byId<HTMLSelectElement>("place-select"),
  placeIcon: byId<HTMLElement>("place-icon"),
  locale: byId<HTMLSelectElement>("locale-select"),
  welcome: byId<HTMLElement>("welcome-title"),
  clear: byId<HTMLButtonElement>("clear-button"),
  app: byId<HTMLButtonElement>("app-button"),
  cron: byId<HTMLButtonElement>("cron-button"),
  logToggle: byId<HTMLButtonElement>("log-toggle"),
  connection: byId<HTMLElement>("connection"),
  devStatus: byId<HTMLElement>("dev-status"),
  worker: byId<HTMLElement>("worker-info"),
  linkedRole: byId<HTMLElement>("linked-role"),
};

const BOT_NAME = "Emulated Bot";
const EDIT_WAIT_MS = 30_000;

let feed: FeedSnapshot | null = null;
/** Whether the chat sticks to its newest message: true until the user scrolls up, again once back at the bottom. */
let following = true;
els.scroller.addEventListener("scroll", () => (following = atBottom(els.scroller)), { passive: true });
// Images load after they are drawn and push the chat up; keep the newest message in view.
els.scroller.addEventListener(
  "load",
  () => {
    if (following) els.scroller.scrollTop = els.scroller.scrollHeight;
  },
  true,
);
const pending = new Set<string>();
/** Components answered with a deferred update (type 6): busy until their message changes. */
const awaitingEdit = new Map<string, { messageId: string; stamp: unknown; until: number }>();
const dismissed = new Set<string>();

const stored = (key: string) => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // Storage can be disabled (private windows); the defaults apply.
  }
};
const store = (key: string, value: string) => {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not persisted; the choice still applies to this page.
  }
};

els.admin.checked = stored("playground.role") === "admin";
els.admin.addEventListener("change", () => store("playground.role", els.admin.checked ? "admin" : "member"));
const role = (): "admin" | "member" => (els.admin.checked ? "admin" : "member");

type Place = 0 | 1 | 2;
const PLACE_ICONS: Record<Place, string> = { 0: "#", 1: "@", 2: "👥" };
const PLACE_TITLES: Record<Place, string> = {
  0: "Welcome to #general!",
  1: "Your DM with the bot",
  2: "A group DM the bot is not in",
};
const PLACE_INPUTS: Record<Place, string> = {
  0: "Message #general",
  1: "Message @Emulated Bot",
  2: "Message the group",
};
const place = (): Place => Number(els.place.value) as Place;
/** The current place's channel, from the feed (the emulator owns the ids). */
const placeChannel = (): string | undefined => feed?.places.find((p) => p.context === place())?.channel_id;
/**
 * Discord offers a command only where its `contexts` allow (none listed: everywhere) and to an install its
 * `integration_types` name: the playground acts as the server's install in #general and as the user's elsewhere.
 */
const offeredHere = (command: Record<string, unknown>): boolean =>
  (!Array.isArray(command.contexts) || command.contexts.includes(place())) &&
  (!Array.isArray(command.integration_types) || command.integration_types.includes(place() === 0 ? 0 : 1));

function showPlace(): void {
  els.placeIcon.textContent = PLACE_ICONS[place()];
  els.welcome.textContent = PLACE_TITLES[place()];
  document
    .getElementById("command-input")
    ?.setAttribute("placeholder", `${PLACE_INPUTS[place()]} — type / to use a command`);
  // Outside a server there is no member and no permission to act with.
  els.admin.disabled = place() !== 0;
  els.admin.closest("label")?.classList.toggle("disabled", place() !== 0);
}
const storedPlace = stored("playground.place");
if (storedPlace === "0" || storedPlace === "1" || storedPlace === "2") els.place.value = storedPlace;
const storedLocale = stored("playground.locale");
if (storedLocale && Array.from(els.locale.options).some((o) => o.value === storedLocale))
  els.locale.value = storedLocale;
showPlace();
els.place.addEventListener("change", () => {
  store("playground.place", els.place.value);
  showPlace();
  following = true;
  render();
});
els.locale.addEventListener("change", () => store("playground.locale", els.locale.value));
/** Where and in which language every interaction the page sends happens. */
const situation = () => ({ context: place(), locale: els.locale.value });

function inPlace(item: TimelineItem, channelId: string | undefined): boolean {
  const itemChannel = item.kind === "message" ? item.message.channel_id : item.channel_id;
  return typeof itemChannel !== "string" || itemChannel === channelId;
}

function setLogVisible(visible: boolean): void {
  document.body.classList.toggle("log-hidden", !visible);
  els.logToggle.setAttribute("aria-pressed", String(visible));
  store("playground.log", visible ? "shown" : "hidden");
}
setLogVisible(stored("playground.log") !== "hidden");
els.logToggle.addEventListener("click", () => setLogVisible(document.body.classList.contains("log-hidden")));

function messageStamp(messageId: string): unknown {
  const item = feed?.timeline.find((i) => i.kind === "message" && i.key === messageId);
  return item && item.kind === "message" ? [item.message.edited_timestamp, item.loading] : null;
}

function render(): void {
  if (!feed) return;
  const now = Date.now();
  awaitingEdit.forEach((wait, key) => {
    if (now > wait.until || JSON.stringify(messageStamp(wait.messageId)) !== JSON.stringify(wait.stamp)) {
      awaitingEdit.delete(key);
      pending.delete(key);
    }
  });
  const channelId = placeChannel();
  renderTimeline(
    els.messages,
    feed.timeline.filter((item) => inPlace(item, channelId)),
    { pending, dismissed, identity: feed.identity, botName: BOT_NAME, skus: feed.app.skus },
    actions,
  );
  renderLog(els.log, feed.log);
  if (following) els.scroller.scrollTop = els.scroller.scrollHeight;
  els.worker.textContent = feed.worker_url
    ? `Worker: ${feed.worker_url}`
    : "No Worker configured: start the stack with npm start";
  els.worker.classList.toggle("warn", !feed.worker_url);
  const linked = feed.app.linked_role;
  els.linkedRole.hidden = !linked;
  if (linked)
    els.linkedRole.textContent = `🔗 ${linked.platform_name ?? "linked"}: ${linked.values.map((v) => `${v.name} ${v.value}`).join(", ") || "no values"}`;
  renderDevStatus(feed.dev);
  document.body.dataset.version = String(feed.version);
  document.body.dataset.ready = "true";
}

/** npm start's type-check of the Worker: a change that fails it is shown here, and the last good version keeps running. */
function renderDevStatus(dev: FeedSnapshot["dev"]): void {
  els.devStatus.hidden = dev === null;
  if (dev) els.devStatus.replaceChildren(h("strong", {}, dev.summary), h("pre", {}, dev.errors.join("\n")));
  else els.devStatus.replaceChildren();
}

let loading: Promise<void> | null = null;
let again = false;
/** Reads the feed; changes that arrive meanwhile cause one more read, never a pile of them. */
function refresh(): void {
  if (loading) {
    again = true;
    return;
  }
  loading = api
    .feed()
    .then((snapshot) => {
      feed = snapshot;
      render();
      showConnection(null);
    })
    .catch((error: Error) => showConnection(error.message))
    .finally(() => {
      loading = null;
      if (again) {
        again = false;
        refresh();
      }
    });
}

function showConnection(problem: string | null): void {
  els.connection.hidden = problem === null;
  els.connection.textContent = problem ?? "";
}

const mdContext = () => ({ now: Date.now(), users: feed ? { [feed.identity.user.id]: feed.identity.user.name } : {} });

async function send(input: SendInput): Promise<SendOutcome> {
  const outcome = await api.send({ ...input, role: role(), ...situation() });
  const body = outcome.body as Json | null;
  if (!outcome.error && body?.type === 9) {
    openModal(
      body.data ?? {},
      mdContext(),
      async (submission) => {
        const submitted = await api.send({
          type: 5,
          data: submission,
          role: role(),
          ...situation(),
          label: String(body.data?.title ?? "a form"),
          ...(input.message_id ? { message_id: input.message_id } : {}),
        });
        return submitted.error ?? null;
      },
      { identity: feed?.identity ?? null, upload: (file) => api.upload(file) },
    );
  }
  return outcome;
}

async function componentInteraction(messageId: string, component: Json, data: Json, label: string): Promise<void> {
  const key = pendingKey(messageId, String(component.custom_id));
  pending.add(key);
  render();
  let deferredUpdate = false;
  try {
    const outcome = await send({ type: 3, data, message_id: messageId, label });
    deferredUpdate = !outcome.error && (outcome.body as Json | null)?.type === 6;
  } catch (error) {
    showConnection((error as Error).message);
  } finally {
    if (deferredUpdate)
      awaitingEdit.set(key, { messageId, stamp: messageStamp(messageId), until: Date.now() + EDIT_WAIT_MS });
    else pending.delete(key);
    render();
  }
}

function selectData(component: Json, values: string[]): Json {
  const data: Json = { component_type: component.type, custom_id: component.custom_id, values };
  if (component.type === 3 || !feed) return data;
  const { user, channel, guild_id: guildId } = feed.identity;
  const resolved: Json = {};
  for (const value of values) {
    if (value === user.id) {
      (resolved.users ??= {})[value] = {
        id: user.id,
        username: "tester",
        global_name: user.name,
        discriminator: "0",
        avatar: null,
        public_flags: 0,
      };
      (resolved.members ??= {})[value] = {
        roles: [],
        joined_at: "2024-01-01T00:00:00.000000+00:00",
        nick: null,
        permissions: "0",
        flags: 0,
        pending: false,
      };
    } else if (value === channel.id) {
      (resolved.channels ??= {})[value] = { id: channel.id, type: 0, name: channel.name, permissions: "0", flags: 0 };
    } else if (value === guildId) {
      (resolved.roles ??= {})[value] = {
        id: guildId,
        name: "@everyone",
        color: 0,
        position: 0,
        permissions: "0",
        managed: false,
        mentionable: false,
        hoist: false,
      };
    }
  }
  return { ...data, resolved };
}

/** A user or message command on its target: Discord sends it as an APPLICATION_COMMAND with data.type 2 or 3. */
async function contextCommand(command: AppChoice, target: AppsTarget): Promise<void> {
  // The answer lands at the bottom of the chat, wherever the target was: follow it there.
  following = true;
  try {
    await send({
      type: 2,
      data: { name: command.name, type: target.kind === "user" ? 2 : 3, target_id: target.id },
      label: command.name,
    });
  } catch (error) {
    showConnection((error as Error).message);
  }
}

const actions: ViewActions = {
  click(messageId, component) {
    const label = String(component.label ?? component.emoji?.name ?? component.custom_id);
    void componentInteraction(messageId, component, { component_type: 2, custom_id: component.custom_id }, label);
  },
  select(messageId, component, values) {
    const labels = values.map((value) =>
      String(((component.options as Json[] | undefined) ?? []).find((o) => o.value === value)?.label ?? value),
    );
    void componentInteraction(messageId, component, selectData(component, values), labels.join(", ") || "nothing");
  },
  dismiss(key) {
    dismissed.add(key);
    render();
  },
  buy(skuId) {
    void appAction(() => api.buy(skuId));
  },
  apps(target, opener, at) {
    const commands = ((target.kind === "user" ? feed?.apps.user : feed?.apps.message) ?? []).filter(offeredHere);
    openAppsMenu(
      {
        target: target.label,
        commands,
        empty: `The bot has no ${target.kind} commands`,
        choose: (command) => void contextCommand(command, target),
      },
      opener,
      at,
    );
  },
};

const composer = new Composer(els.composer, {
  commands: () => (feed?.commands ?? []).filter(offeredHere) as unknown as CommandDef[],
  async send(line, data) {
    try {
      await send({ type: 2, data, label: line });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  },
  async post(text) {
    try {
      following = true;
      await api.post(text, placeChannel());
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  },
  async autocomplete(data) {
    const outcome = await api.send({ type: 4, data, role: role(), ...situation() });
    if (outcome.error) throw new Error(outcome.error);
    const body = outcome.body as Json | null;
    return (body?.data?.choices as OptionChoice[] | undefined) ?? [];
  },
  upload: (file) => api.upload(file),
});

/** An App-menu action or a purchase: the Worker gets a webhook event; a delivery it did not take (not 204) is shown. */
async function appAction(run: () => Promise<{ event: { error?: string } }>): Promise<void> {
  try {
    const { event } = await run();
    showConnection(event.error ? `The Worker did not take the event: ${event.error}` : null);
  } catch (error) {
    showConnection((error as Error).message);
  }
}

/** The App menu: where Discord's users add an app (its profile, the app directory) and buy its SKUs (its store). */
els.app.addEventListener("click", () => {
  const app = feed?.app;
  const items: Array<{ name: string; run: () => Promise<{ event: { error?: string } }> }> = [
    { name: app?.installed.guild ? "Add to server again" : "Add to server", run: () => api.install(0) },
    { name: app?.installed.user ? "Add to my apps again" : "Add to my apps", run: () => api.install(1) },
  ];
  if (app?.installed.user) items.push({ name: "Remove from my apps", run: () => api.uninstall() });
  // Linked Roles: the Worker's Verification URL, in a new tab; it sends the browser to the emulated authorize page.
  if (feed?.worker_url) {
    // worker_url is the Interactions Endpoint URL (…/interactions); the Verification URL sits at the Worker's root.
    const linkUrl = new URL("/linked-role", feed.worker_url).href;
    items.push({
      name: app?.linked_role ? "Link roles again (Linked Roles)" : "Link roles (Linked Roles)",
      run: async () => (window.open(linkUrl, "_blank"), { event: {} }),
    });
  }
  for (const sku of app?.skus ?? []) {
    const owned = sku.entitlement_id;
    items.push(
      owned
        ? { name: `Refund ${sku.name} (test purchase)`, run: () => api.refund(owned) }
        : { name: `Buy ${sku.name}`, run: () => api.buy(sku.id) },
    );
  }
  openAppsMenu(
    {
      title: "App",
      target: "the app",
      commands: items,
      empty: "",
      choose: (item) => void appAction((item as (typeof items)[number]).run),
    },
    els.app,
    null,
  );
});

els.clear.addEventListener("click", () => {
  dismissed.clear();
  api.clear().then(refresh, (error: Error) => showConnection(error.message));
});

// The Worker's scheduled handler; the daily report it posts arrives through the feed like any message.
els.cron.addEventListener("click", () => {
  els.cron.disabled = true;
  api
    .cron()
    .then(
      () => showConnection(null),
      (error: Error) => showConnection(error.message),
    )
    .finally(() => (els.cron.disabled = false));
});

const events = new EventSource("/__emulator/events");
events.addEventListener("change", (event) => {
  const { version } = JSON.parse((event as MessageEvent<string>).data) as { version: number };
  if (feed?.version !== version) refresh();
});
events.addEventListener("open", () => refresh());
events.addEventListener("error", () =>
  showConnection("Lost the connection to the emulator; retrying… (is npm start still running?)"),
);

// Relative timestamps (<t:…:R>) and the busy state of deferred updates age without any event.
setInterval(render, 30_000);
refresh();
showPlace(); // again, now that the composer's input exists
composer.focus();
