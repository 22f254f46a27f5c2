// A tiny element builder for the playground: h("div", {class: "x", onclick: f}, child, "text"). Attributes
// are set as attributes (strings are never parsed as HTML); only `html` sets innerHTML, and only the markdown
// renderer's escaped output is passed there. A URL attribute (href, src) is set only to an absolute URL of a scheme
// Discord allows anywhere (http, https, and discord for link buttons): the emulator refuses other link schemes as
// Discord does (limits.ts), and should one get past it, the page still never holds a `javascript:` link.

type Child = Node | string | number | null | undefined | false;
type Attr = string | number | boolean | null | undefined | EventListener;

const URL_ATTRIBUTES = new Set(["href", "src"]);
const SAFE_SCHEMES = new Set(["http:", "https:", "discord:"]);

/** The URL as the browser would follow it, or null when it is not absolute or its scheme is not one Discord allows. */
function safeUrl(value: string): string | null {
  try {
    const url = new URL(value);
    return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "html") el.innerHTML = String(value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = String(value);
    else if (URL_ATTRIBUTES.has(name)) {
      const url = safeUrl(String(value));
      if (url !== null) el.setAttribute(name, url);
    } else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "number" ? String(child) : child);
  }
}

/** Whether a scroll container sits at (or within a few pixels of) its bottom. */
export const atBottom = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight < 24;

/**
 * Keyed update of a list: rebuilds only the children whose signature changed, keeps the rest (and so their
 * focus, open state and loaded images), and orders them as given.
 */
export function reconcile<T>(
  container: HTMLElement,
  items: readonly T[],
  key: (item: T) => string,
  signature: (item: T) => string,
  build: (item: T, previous: HTMLElement | undefined) => HTMLElement,
): void {
  const existing = new Map<string, HTMLElement>();
  Array.from(container.children).forEach((child) => {
    const el = child as HTMLElement;
    if (el.dataset.key !== undefined) existing.set(el.dataset.key, el);
  });
  let cursor: Element | null = container.firstElementChild;
  const keep = new Set<string>();
  for (const item of items) {
    const k = key(item);
    const sig = signature(item);
    keep.add(k);
    let el = existing.get(k);
    if (!el || el.dataset.sig !== sig) {
      const built = build(item, el);
      built.dataset.key = k;
      built.dataset.sig = sig;
      if (el) {
        if (cursor === el) cursor = built;
        el.replaceWith(built);
      }
      el = built;
    }
    if (el !== cursor) container.insertBefore(el, cursor);
    cursor = el.nextElementSibling;
  }
  existing.forEach((el, k) => {
    if (!keep.has(k)) el.remove();
  });
}
