// The chat: each timeline item as Discord's client draws it. A message someone posted shows its author; a reply
// shows who did what above it ("Tester used /chart …"), then the bot's message: "thinking…" while deferred, content (markdown), embeds (colour bar,
// author, title, fields, image, thumbnail, footer), images and files, buttons and select menus (legacy rows
// and Components V2), "Only you can see this" on ephemeral messages, and "This interaction failed" under a
// message whose component got no valid answer. Right-clicking a message (or its "Apps" button) asks for the
// message commands, right-clicking an author's name for the user commands; the page opens the menu.

import type {
  FeedApp,
  FeedIdentity,
  TimelineActivity,
  TimelineFailure,
  TimelineItem,
  TimelineMessage,
} from "../feed.ts";
import type { Invocation } from "../state.ts";
import { h, reconcile } from "./dom.ts";
import { markdown, type MarkdownContext } from "./markdown.ts";

// Messages and components arrive as the JSON Discord's API uses; this view reads them loosely.
type Json = Record<string, any>;

/** What a context menu is for: a message (message commands) or a person (user commands). */
export interface AppsTarget {
  kind: "message" | "user";
  id: string;
  /** "message from Tester", "Tester": what the menu says it is for. */
  label: string;
}

export interface ViewActions {
  click(messageId: string, component: Json): void;
  select(messageId: string, component: Json, values: string[]): void;
  dismiss(key: string): void;
  /** Opens the Apps menu for a target at a point (a right-click), or under `opener` (a button, the keyboard). */
  apps(target: AppsTarget, opener: HTMLElement, at: { x: number; y: number } | null): void;
  /** A premium button: Discord opens the SKU's purchase; the playground "buys" it at once (a test purchase). */
  buy(skuId: string): void;
}

export interface ViewState {
  /** Components waiting for their interaction's answer: `${messageId}|${custom_id}`. */
  pending: ReadonlySet<string>;
  dismissed: ReadonlySet<string>;
  identity: FeedIdentity;
  botName: string;
  /** The SKUs the app sells, and which the user owns: what a premium button shows. */
  skus: FeedApp["skus"];
}

export const pendingKey = (messageId: string, customId: string) => `${messageId}|${customId}`;

const BUTTON_STYLES: Record<number, string> = {
  1: "primary",
  2: "secondary",
  3: "success",
  4: "danger",
  5: "link",
  6: "premium",
};

function mdContext(state: ViewState): MarkdownContext {
  return {
    now: Date.now(),
    users: { [state.identity.user.id]: state.identity.user.name },
    channels: { [state.identity.channel.id]: state.identity.channel.name },
  };
}

const clockTime = (iso: string) => new Date(iso).toLocaleTimeString("en-US", { hour: "numeric", minute: "2-digit" });
const colorOf = (value: unknown) => (typeof value === "number" ? `#${value.toString(16).padStart(6, "0")}` : null);

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(2)} MB`;
}

function avatar(letter: string, kind: "bot" | "user" | "member"): HTMLElement {
  return h("div", { class: `avatar avatar-${kind}`, "aria-hidden": "true" }, letter.slice(0, 1).toUpperCase());
}

/** A right-click (or the keyboard's context-menu key) on `el` opens the Apps menu for `target`. */
function onContextMenu(el: HTMLElement, target: AppsTarget, actions: ViewActions): HTMLElement {
  el.addEventListener("contextmenu", (event) => {
    // Shift+right-click keeps the browser's own menu (inspect, copy a link or an image).
    if (event.shiftKey) return;
    event.preventDefault();
    event.stopPropagation();
    // A keyboard-opened menu has no pointer position (0, 0): place it under the element instead.
    const pointer = event.clientX !== 0 || event.clientY !== 0 ? { x: event.clientX, y: event.clientY } : null;
    actions.apps(target, el, pointer);
  });
  return el;
}

/** A person's name: a button, so the keyboard reaches their user commands too (Enter, or the menu key). */
function authorButton(user: { id: string; name: string }, className: string, actions: ViewActions): HTMLElement {
  const target: AppsTarget = { kind: "user", id: user.id, label: user.name };
  const button = h(
    "button",
    {
      class: `${className} author-button`,
      type: "button",
      "aria-haspopup": "menu",
      title: `Right-click for apps (user id ${user.id})`,
      onclick: (event: Event) => actions.apps(target, event.currentTarget as HTMLElement, null),
    },
    user.name,
  );
  return onContextMenu(button, target, actions);
}

function invocationLine(invocation: Invocation, state: ViewState, actions: ViewActions): HTMLElement {
  // Buttons and select menus alike: "Tester chose Bar", "Tester chose Beta".
  const verb = invocation.type === 3 ? "chose" : invocation.type === 5 ? "submitted" : "used";
  // Every interaction comes from the playground's user; right-clicking the name offers the user commands.
  const user = onContextMenu(
    h("span", { class: "invocation-user" }, invocation.user),
    { kind: "user", id: state.identity.user.id, label: invocation.user },
    actions,
  );
  return h(
    "div",
    { class: "invocation", title: invocation.label },
    h("span", { class: "invocation-spine", "aria-hidden": "true" }),
    avatar(invocation.user, "user"),
    user,
    invocation.admin
      ? h("span", { class: "tag tag-admin", title: "member.permissions includes ADMINISTRATOR" }, "admin")
      : null,
    ` ${verb} `,
    h("span", { class: "invocation-label" }, invocation.label),
  );
}

/** attachment://name → the message's attachment URL, as Discord resolves embed and media references. */
function mediaUrl(url: unknown, message: Json): string | null {
  if (typeof url !== "string") return null;
  if (!url.startsWith("attachment://")) return url;
  const name = url.slice("attachment://".length);
  const found = (message.attachments as Json[] | undefined)?.find((a) => a.filename === name);
  return found ? String(found.url) : null;
}

function referencedAttachments(message: Json): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === "string" && value.startsWith("attachment://")) names.add(value.slice(13));
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  visit(message.embeds);
  visit(message.components);
  return names;
}

function embedView(embed: Json, message: Json, md: MarkdownContext): HTMLElement {
  const color = colorOf(embed.color);
  const image = mediaUrl(embed.image?.url, message);
  const thumbnail = mediaUrl(embed.thumbnail?.url, message);
  const fields = Array.isArray(embed.fields) ? (embed.fields as Json[]) : [];
  const footerBits = [
    embed.footer?.text ? String(embed.footer.text) : null,
    embed.timestamp ? new Date(String(embed.timestamp)).toLocaleString("en-US") : null,
  ].filter(Boolean);
  return h(
    "div",
    { class: "embed", style: color ? `border-left-color:${color}` : undefined },
    h(
      "div",
      { class: "embed-main" },
      embed.author?.name
        ? h(
            "div",
            { class: "embed-author" },
            embed.author.icon_url
              ? h("img", { class: "embed-author-icon", src: mediaUrl(embed.author.icon_url, message), alt: "" })
              : null,
            embed.author.url
              ? h("a", { href: embed.author.url, target: "_blank", rel: "noreferrer" }, embed.author.name)
              : embed.author.name,
          )
        : null,
      embed.title
        ? h(
            "div",
            { class: "embed-title" },
            embed.url
              ? h("a", {
                  href: embed.url,
                  target: "_blank",
                  rel: "noreferrer",
                  html: markdown(String(embed.title), md, { inline: true }),
                })
              : h("span", { html: markdown(String(embed.title), md, { inline: true }) }),
          )
        : null,
      embed.description
        ? h("div", { class: "embed-description markdown", html: markdown(String(embed.description), md) })
        : null,
      fields.length
        ? h(
            "div",
            { class: "embed-fields" },
            ...fields.map((f) =>
              h(
                "div",
                { class: `embed-field${f.inline ? " inline" : ""}` },
                h("div", { class: "embed-field-name", html: markdown(String(f.name ?? ""), md, { inline: true }) }),
                h("div", { class: "embed-field-value markdown", html: markdown(String(f.value ?? ""), md) }),
              ),
            ),
          )
        : null,
      image
        ? h("img", {
            class: "embed-image",
            src: image,
            alt: embed.image?.description ?? "embed image",
            loading: "lazy",
          })
        : null,
      footerBits.length
        ? h(
            "div",
            { class: "embed-footer" },
            embed.footer?.icon_url
              ? h("img", { class: "embed-footer-icon", src: mediaUrl(embed.footer.icon_url, message), alt: "" })
              : null,
            footerBits.join(" • "),
          )
        : null,
    ),
    thumbnail ? h("img", { class: "embed-thumbnail", src: thumbnail, alt: "thumbnail" }) : null,
  );
}

function attachmentView(attachment: Json): HTMLElement {
  const type = String(attachment.content_type ?? "");
  if (type.startsWith("image/")) {
    return h(
      "a",
      { class: "attachment-image-link", href: attachment.url, target: "_blank", rel: "noreferrer" },
      h("img", { class: "attachment-image", src: attachment.url, alt: attachment.description ?? attachment.filename }),
    );
  }
  return h(
    "div",
    { class: "attachment-file" },
    h("span", { class: "attachment-icon", "aria-hidden": "true" }, "📄"),
    h(
      "div",
      {},
      h(
        "a",
        { href: attachment.url, target: "_blank", rel: "noreferrer", download: attachment.filename },
        attachment.filename,
      ),
      h("div", { class: "attachment-size" }, formatBytes(Number(attachment.size ?? 0))),
    ),
  );
}

function emojiText(emoji: Json | undefined): string {
  if (!emoji) return "";
  return emoji.id ? `:${emoji.name}: ` : `${emoji.name ?? ""} `;
}

function buttonView(component: Json, messageId: string, state: ViewState, actions: ViewActions): HTMLElement {
  const style = BUTTON_STYLES[Number(component.style)] ?? "secondary";
  const label = `${emojiText(component.emoji)}${component.label ?? ""}`.trim() || "\u200b";
  if (component.style === 5) {
    return h(
      "a",
      {
        class: "component-button style-link",
        href: component.url,
        target: "_blank",
        rel: "noreferrer",
        "aria-disabled": component.disabled ? "true" : undefined,
      },
      label,
      h("span", { class: "link-arrow", "aria-hidden": "true" }, " ↗"),
    );
  }
  if (component.style === 6) return premiumButtonView(component, state, actions);
  const busy = typeof component.custom_id === "string" && state.pending.has(pendingKey(messageId, component.custom_id));
  return h(
    "button",
    {
      class: `component-button style-${style}${busy ? " busy" : ""}`,
      type: "button",
      disabled: component.disabled === true || busy,
      "aria-busy": busy ? "true" : undefined,
      title: component.custom_id ? `custom_id: ${component.custom_id}` : undefined,
      onclick: () => actions.click(messageId, component),
    },
    busy ? h("span", { class: "spinner", "aria-hidden": "true" }) : null,
    label,
  );
}

/**
 * A premium button as Discord draws it: no label of the bot's own, but the SKU's name with the shop's icon; it sends
 * the bot no interaction but opens the purchase. Here a click is the purchase (a test one), and an owned SKU shows so.
 */
function premiumButtonView(component: Json, state: ViewState, actions: ViewActions): HTMLElement {
  const skuId = String(component.sku_id ?? "");
  const sku = state.skus.find((s) => s.id === skuId);
  const owned = sku?.entitlement_id != null;
  const name = sku?.name ?? `SKU ${skuId}`;
  return h(
    "button",
    {
      class: "component-button style-premium",
      type: "button",
      disabled: component.disabled === true || owned,
      title: `Premium button (sku_id ${skuId}): Discord opens the purchase; the playground makes a test purchase`,
      onclick: () => actions.buy(skuId),
    },
    h("span", { class: "premium-icon", "aria-hidden": "true" }, "◆"),
    owned ? `${name} · Purchased` : name,
  );
}

/** Entries for user/role/mentionable/channel selects: the playground's own user, guild and channel. */
function autoOptions(component: Json, identity: FeedIdentity): Array<{ value: string; label: string }> {
  const user = { value: identity.user.id, label: `@${identity.user.name} (you)` };
  const role = { value: identity.guild_id, label: "@everyone" };
  switch (component.type) {
    case 5:
      return [user];
    case 6:
      return [role];
    case 7:
      return [user, role];
    case 8:
      return [{ value: identity.channel.id, label: `#${identity.channel.name}` }];
    default:
      return [];
  }
}

function selectView(component: Json, messageId: string, state: ViewState, actions: ViewActions): HTMLElement {
  const options: Array<{ value: string; label: string; description?: string; default?: boolean }> =
    component.type === 3
      ? ((component.options as Json[] | undefined) ?? []).map((o) => ({
          value: String(o.value),
          label: `${emojiText(o.emoji)}${o.label}`,
          description: o.description,
          default: o.default === true,
        }))
      : autoOptions(component, state.identity);
  const max = Math.min(Number(component.max_values ?? 1), options.length);
  const multiple = max > 1;
  const busy = state.pending.has(pendingKey(messageId, String(component.custom_id)));
  const select = h(
    "select",
    {
      class: "component-select",
      multiple,
      disabled: component.disabled === true || busy,
      "aria-label": component.placeholder ?? "Make a selection",
      title: `custom_id: ${component.custom_id}`,
      size: multiple ? Math.min(options.length, 6) : undefined,
    },
    multiple
      ? null
      : h(
          "option",
          { value: "", disabled: true, selected: !options.some((o) => o.default) },
          component.placeholder ?? "Make a selection",
        ),
    ...options.map((o) =>
      h(
        "option",
        { value: o.value, selected: o.default, title: o.description },
        o.description ? `${o.label} — ${o.description}` : o.label,
      ),
    ),
  );
  const chosen = () =>
    Array.from(select.selectedOptions)
      .map((o) => o.value)
      .filter((v) => v !== "");
  if (!multiple) {
    select.addEventListener("change", () => actions.select(messageId, component, chosen()));
    return h("div", { class: "component-select-wrap" }, select);
  }
  const min = Number(component.min_values ?? 1);
  return h(
    "div",
    { class: "component-select-wrap" },
    select,
    h(
      "button",
      {
        class: "component-button style-primary",
        type: "button",
        disabled: component.disabled === true || busy,
        onclick: () => {
          const values = chosen();
          if (values.length < min || values.length > max) {
            select.setCustomValidity(`Choose ${min === max ? min : `${min} to ${max}`} option(s).`);
            select.reportValidity();
            return;
          }
          select.setCustomValidity("");
          actions.select(messageId, component, values);
        },
      },
      `Choose (${min}–${max})`,
    ),
  );
}

/** A spoiler (container, thumbnail, gallery item, file) is blurred until clicked, as in Discord's client. */
function spoiler(el: HTMLElement, on: unknown): HTMLElement {
  if (on !== true) return el;
  return h(
    "div",
    {
      class: "v2-spoiler",
      title: "Spoiler: click to show",
      onclick: (event: Event) => (event.currentTarget as HTMLElement).classList.add("revealed"),
    },
    el,
  );
}

/** Legacy action rows and Components V2 (text, sections, containers, media, files, separators). */
function componentView(
  component: Json,
  message: Json,
  state: ViewState,
  actions: ViewActions,
  md: MarkdownContext,
): HTMLElement | null {
  const id = String(message.id);
  const children = (list: unknown) =>
    ((Array.isArray(list) ? list : []) as Json[]).map((c) => componentView(c, message, state, actions, md));
  switch (component.type) {
    case 1:
      return h("div", { class: "action-row" }, ...children(component.components));
    case 2:
      return buttonView(component, id, state, actions);
    case 3:
    case 5:
    case 6:
    case 7:
    case 8:
      return selectView(component, id, state, actions);
    case 9:
      return h(
        "div",
        { class: "v2-section" },
        h("div", { class: "v2-section-text" }, ...children(component.components)),
        component.accessory ? componentView(component.accessory, message, state, actions, md) : null,
      );
    case 10:
      return h("div", { class: "v2-text markdown", html: markdown(String(component.content ?? ""), md) });
    case 11: {
      const src = mediaUrl(component.media?.url, message);
      return src
        ? spoiler(
            h("img", { class: "v2-thumbnail", src, alt: component.description ?? "thumbnail" }),
            component.spoiler,
          )
        : null;
    }
    case 12:
      return h(
        "div",
        { class: "v2-gallery" },
        ...((component.items as Json[] | undefined) ?? []).map((item) => {
          const src = mediaUrl(item.media?.url, message);
          return src
            ? spoiler(h("img", { class: "v2-gallery-image", src, alt: item.description ?? "image" }), item.spoiler)
            : null;
        }),
      );
    case 13: {
      const src = mediaUrl(component.file?.url, message);
      const attachment = ((message.attachments as Json[] | undefined) ?? []).find((a) => a.url === src);
      return spoiler(
        attachment
          ? attachmentView(attachment)
          : h("div", { class: "attachment-file" }, String(component.file?.url ?? "file")),
        component.spoiler,
      );
    }
    case 14:
      return h("div", {
        class: `v2-separator${component.divider === false ? " invisible" : ""}${component.spacing === 2 ? " large" : ""}`,
        role: component.divider === false ? undefined : "separator",
      });
    case 17: {
      const color = colorOf(component.accent_color);
      return spoiler(
        h(
          "div",
          { class: "v2-container", style: color ? `border-left-color:${color}` : undefined },
          ...children(component.components),
        ),
        component.spoiler,
      );
    }
    default:
      return h(
        "div",
        { class: "component-unknown" },
        `(component type ${component.type} is not drawn by the playground)`,
      );
  }
}

function messageView(
  item: TimelineMessage,
  failure: TimelineFailure | undefined,
  state: ViewState,
  actions: ViewActions,
): HTMLElement {
  const message = item.message as Json;
  const md = mdContext(state);
  const referenced = referencedAttachments(message);
  const attachments = ((message.attachments as Json[] | undefined) ?? []).filter((a) => !referenced.has(a.filename));
  const v2 = (Number(message.flags ?? 0) & (1 << 15)) !== 0;
  const author = (message.author ?? {}) as Json;
  const fromBot = author.bot === true || author.id === undefined;
  const name = fromBot ? state.botName : String(author.global_name || author.username || "someone");
  const apps: AppsTarget = { kind: "message", id: item.key, label: `message from ${name}` };
  // Discord offers no Apps on an ephemeral message: only its reader sees it, and no one can act on it.
  const tools = item.ephemeral
    ? null
    : h(
        "div",
        { class: "message-tools" },
        h(
          "button",
          {
            class: "message-tool",
            type: "button",
            "aria-label": "Apps for this message",
            "aria-haspopup": "menu",
            title: "Apps (or right-click the message)",
            onclick: (event: Event) => actions.apps(apps, event.currentTarget as HTMLElement, null),
          },
          "⋯",
        ),
      );
  const article = h(
    "article",
    {
      class: `message${item.ephemeral ? " ephemeral" : ""}${item.loading ? " loading" : ""}`,
      "data-message-id": item.key,
      "aria-label": `message from ${name}`,
    },
    tools,
    item.invocation ? invocationLine(item.invocation, state, actions) : null,
    h(
      "div",
      { class: "message-row" },
      avatar(name, fromBot ? "bot" : "member"),
      h(
        "div",
        { class: "message-main" },
        h(
          "header",
          { class: "message-header" },
          authorButton({ id: String(author.id ?? ""), name }, "author", actions),
          fromBot ? h("span", { class: "tag tag-app" }, "APP") : null,
          h(
            "time",
            { datetime: message.timestamp, title: new Date(String(message.timestamp)).toLocaleString("en-US") },
            `Today at ${clockTime(String(message.timestamp))}`,
          ),
        ),
        item.loading
          ? h(
              "div",
              { class: "thinking" },
              h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
              `${state.botName} is thinking…`,
            )
          : null,
        !item.loading && message.content
          ? h(
              "div",
              { class: "message-content markdown" },
              h("span", { html: markdown(String(message.content), md) }),
              item.edited && !v2
                ? h("span", { class: "edited", title: String(message.edited_timestamp) }, " (edited)")
                : null,
            )
          : null,
        ...((message.embeds as Json[] | undefined) ?? []).map((embed) => embedView(embed, message, md)),
        message.poll ? pollView(message.poll as Json) : null,
        attachments.length ? h("div", { class: "attachments" }, ...attachments.map(attachmentView)) : null,
        ...((message.components as Json[] | undefined) ?? []).map((c) => componentView(c, message, state, actions, md)),
        item.ephemeral
          ? h(
              "div",
              { class: "ephemeral-note" },
              h("span", { "aria-hidden": "true" }, "👁 "),
              "Only you can see this • ",
              h(
                "button",
                { class: "link-button", type: "button", onclick: () => actions.dismiss(item.key) },
                "Dismiss message",
              ),
            )
          : null,
        failure
          ? h(
              "div",
              { class: "interaction-failed", role: "alert" },
              h("span", { "aria-hidden": "true" }, "⚠ "),
              failure.error,
            )
          : null,
      ),
    ),
  );
  return item.ephemeral ? article : onContextMenu(article, apps, actions);
}

/** A poll as Discord draws it: the question, one row per answer, and the footer; votes are not emulated. */
function pollView(poll: Json): HTMLElement {
  const answers = (poll.answers as Json[] | undefined) ?? [];
  const hours = Math.max(0, Math.round((Date.parse(String(poll.expiry)) - Date.now()) / 3_600_000));
  const emoji = (media: Json | undefined) => (media?.emoji?.name ? `${String(media.emoji.name)} ` : "");
  return h(
    "section",
    { class: "poll", "aria-label": "poll" },
    h("div", { class: "poll-question" }, String(poll.question?.text ?? "")),
    h("div", { class: "poll-hint" }, poll.allow_multiselect ? "Select one or more answers" : "Select one answer"),
    h(
      "ul",
      { class: "poll-answers" },
      ...answers.map((answer) =>
        h(
          "li",
          { class: "poll-answer", "data-answer-id": String(answer.answer_id) },
          h("span", { class: poll.allow_multiselect ? "poll-check" : "poll-radio", "aria-hidden": "true" }),
          `${emoji(answer.poll_media)}${String(answer.poll_media?.text ?? "")}`,
        ),
      ),
    ),
    h(
      "div",
      { class: "poll-footer" },
      `0 votes • ${hours}h left`,
      h(
        "span",
        { class: "poll-note", title: "The emulator draws polls; voting is not emulated" },
        " • voting is read-only here",
      ),
    ),
  );
}

/** LAUNCH_ACTIVITY: Discord opens the app's Activity instead of posting a message; shown as one line. */
function activityView(item: TimelineActivity, state: ViewState, actions: ViewActions): HTMLElement {
  return h(
    "article",
    { class: "message activity" },
    item.invocation ? invocationLine(item.invocation, state, actions) : null,
    h(
      "div",
      { class: "activity-line" },
      h("span", { "aria-hidden": "true" }, "🚀 "),
      `${state.botName} launched the activity`,
    ),
  );
}

function failureView(item: TimelineFailure, state: ViewState, actions: ViewActions): HTMLElement {
  return h(
    "article",
    { class: "message failure" },
    item.invocation ? invocationLine(item.invocation, state, actions) : null,
    h(
      "div",
      { class: "message-row" },
      avatar(state.botName, "bot"),
      h(
        "div",
        { class: "message-main" },
        h(
          "header",
          { class: "message-header" },
          h("span", { class: "author" }, state.botName),
          h("span", { class: "tag tag-app" }, "APP"),
        ),
        h(
          "div",
          { class: "interaction-failed", role: "alert" },
          h("span", { "aria-hidden": "true" }, "⚠ "),
          item.error,
        ),
        h("div", { class: "ephemeral-note" }, "👁 Only you can see this"),
      ),
    ),
  );
}

export function renderTimeline(
  container: HTMLElement,
  timeline: readonly TimelineItem[],
  state: ViewState,
  actions: ViewActions,
): void {
  // A component's failure shows under its message (the newest one only), not as a message of its own.
  const failures = new Map<string, TimelineFailure>();
  for (const item of timeline) if (item.kind === "failure" && item.message_id) failures.set(item.message_id, item);
  const messageKeys = new Set(timeline.filter((i) => i.kind === "message").map((i) => i.key));
  const visible = timeline.filter(
    (item) =>
      !state.dismissed.has(item.key) &&
      !(item.kind === "failure" && item.message_id && messageKeys.has(item.message_id)),
  );
  const minute = Math.floor(Date.now() / 60_000);
  const skus = JSON.stringify(state.skus);
  reconcile(
    container,
    visible,
    (item) => item.key,
    (item) => {
      if (item.kind !== "message") return JSON.stringify(item);
      const busy = Array.from(state.pending)
        .filter((k) => k.startsWith(`${item.key}|`))
        .join(",");
      const json = JSON.stringify(item.message);
      const relative = json.includes("<t:") ? minute : 0;
      // A premium button shows whether its SKU is owned: redraw it when a purchase changes that.
      const owned = json.includes('"style":6') ? skus : "";
      return JSON.stringify([item, failures.get(item.key)?.key, busy, relative, owned]);
    },
    (item) =>
      item.kind === "message"
        ? messageView(item, failures.get(item.key), state, actions)
        : item.kind === "activity"
          ? activityView(item, state, actions)
          : failureView(item, state, actions),
  );
}
