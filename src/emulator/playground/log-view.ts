// The log pane: every request/response pair in time order, with status and timing. Three kinds: the signed
// interaction or webhook event POSTed to the Worker (→ Worker) and the calls to the Discord API, i.e. to this emulator (→ API:
// the Worker's edits and follow-ups, and the command registration). Click an entry for its request and response bodies (interaction tokens are redacted).

import type { LogEntry } from "../feed.ts";
import { atBottom, h, reconcile } from "./dom.ts";

const MAX_BODY_CHARS = 20_000;

function pretty(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return text.length > MAX_BODY_CHARS
    ? `${text.slice(0, MAX_BODY_CHARS)}\n… (${text.length - MAX_BODY_CHARS} more characters)`
    : text;
}

const time = (iso: string) => {
  const d = new Date(iso);
  return `${d.toLocaleTimeString("en-GB", { hour12: false })}.${String(d.getMilliseconds()).padStart(3, "0")}`;
};

function statusClass(entry: LogEntry): string {
  if (entry.error !== undefined && entry.status === null) return "status-error";
  if (entry.status === null) return "status-pending";
  if (entry.status >= 500 || entry.error !== undefined) return "status-error";
  if (entry.status >= 400) return "status-warn";
  return "status-ok";
}

function shortTarget(entry: LogEntry): string {
  if (entry.kind !== "api") {
    try {
      return new URL(entry.target).pathname;
    } catch {
      return entry.target;
    }
  }
  // The application id and the (already redacted) token are the same on every call: the title shows them.
  return entry.target
    .replace(/^\/api\/v10/, "")
    .replace(/^\/webhooks\/\d+\/:token\//, "/webhooks/…/")
    .replace(/^\/applications\/\d+\//, "/applications/…/");
}

function entryView(entry: LogEntry, wasOpen: boolean): HTMLElement {
  const status = entry.status === null ? (entry.error !== undefined ? "no answer" : "…") : String(entry.status);
  return h(
    "details",
    { class: `log-entry log-${entry.kind}`, open: wasOpen },
    h(
      "summary",
      { title: entry.target },
      h(
        "div",
        { class: "log-line" },
        h(
          "span",
          {
            class: "log-direction",
            title:
              entry.kind === "api"
                ? "a call to the Discord API (this emulator)"
                : `the emulator, as Discord, to the Worker (${entry.kind === "event" ? "a webhook event" : "an interaction"})`,
          },
          entry.kind === "api" ? "→ API" : "→ Worker",
        ),
        h("span", { class: "log-method" }, entry.method),
        h("span", { class: "log-target" }, shortTarget(entry)),
        h("span", { class: `log-status ${statusClass(entry)}` }, status),
        h("span", { class: "log-ms" }, entry.ms === null ? "" : `${entry.ms} ms`),
      ),
      h(
        "div",
        { class: "log-line log-meta" },
        h("time", {}, time(entry.at)),
        entry.label ? h("span", { class: "log-label" }, entry.label) : null,
      ),
    ),
    entry.error !== undefined ? h("div", { class: "log-error" }, entry.error) : null,
    h("div", { class: "log-body-title" }, "Request"),
    h("pre", { class: "log-body" }, pretty(entry.request)),
    h("div", { class: "log-body-title" }, "Response"),
    h("pre", { class: "log-body" }, pretty(entry.response)),
  );
}

export function renderLog(container: HTMLElement, entries: readonly LogEntry[]): void {
  const follow = atBottom(container);
  reconcile(
    container,
    entries,
    (e) => e.key,
    (e) => JSON.stringify([e.status, e.ms, e.error, e.label]),
    (e, previous) => entryView(e, (previous as HTMLDetailsElement | undefined)?.open ?? false),
  );
  if (follow) container.scrollTop = container.scrollHeight;
}
