// The Apps menu Discord's client opens on a right-click: the bot's message commands for a message, its user
// commands for a person. One menu at a time, placed at the pointer (or under the button or name that opened it
// from the keyboard) and kept inside the window; ↑/↓ move, Enter chooses; choosing or Escape gives the focus
// back to what opened it, a click elsewhere closes it. The chat redrawing underneath (a deferred edit landing) leaves it open.

import { h } from "./dom.ts";

export interface AppChoice {
  name: string;
}

export interface AppsMenu {
  /** The menu's heading (default "Apps", as Discord's right-click menu says). */
  title?: string;
  /** Says what the menu is for, e.g. "message from Tester". */
  target: string;
  commands: readonly AppChoice[];
  /** Shown when there are none, e.g. "The bot has no message commands". */
  empty: string;
  choose(command: AppChoice): void;
}

let open: { el: HTMLElement; close(restoreFocus: boolean): void } | null = null;

export function openAppsMenu(menu: AppsMenu, opener: HTMLElement, at: { x: number; y: number } | null): void {
  open?.close(false);
  const items = menu.commands.map((command) =>
    h(
      "button",
      {
        class: "context-menu-item",
        type: "button",
        role: "menuitem",
        tabindex: "-1",
        onclick: () => {
          close(true);
          menu.choose(command);
        },
      },
      command.name,
    ),
  );
  const el = h(
    "div",
    { class: "context-menu", role: "menu", "aria-label": menu.title ?? "Apps", "data-target": menu.target },
    h("div", { class: "context-menu-title", "aria-hidden": "true" }, menu.title ?? "Apps"),
    ...items,
    items.length === 0 ? h("div", { class: "context-menu-note" }, menu.empty) : null,
  );
  document.body.append(el);

  const rect = opener.getBoundingClientRect();
  const point = at ?? { x: rect.left, y: rect.bottom + 4 };
  const x = Math.max(8, Math.min(point.x, window.innerWidth - el.offsetWidth - 8));
  const y = point.y + el.offsetHeight + 8 > window.innerHeight ? Math.max(8, point.y - el.offsetHeight) : point.y;
  el.style.left = `${x}px`;
  el.style.top = `${y}px`;

  const focusItem = (index: number) => {
    if (items.length === 0) return el.focus();
    items[(index + items.length) % items.length]!.focus();
  };
  const onKey = (event: KeyboardEvent) => {
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "ArrowDown") focusItem(index + 1);
    else if (event.key === "ArrowUp") focusItem(index < 0 ? -1 : index - 1);
    else if (event.key === "Home") focusItem(0);
    else if (event.key === "End") focusItem(-1);
    else if (event.key === "Escape") close(true);
    else if (event.key === "Tab") close(false);
    else return;
    if (event.key !== "Tab") event.preventDefault();
  };
  const onPointer = (event: Event) => {
    if (!el.contains(event.target as Node)) close(false);
  };
  function close(restoreFocus: boolean): void {
    if (open?.el !== el) return;
    open = null;
    el.remove();
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("mousedown", onPointer, true);
    document.removeEventListener("contextmenu", onPointer, true);
    if (restoreFocus && opener.isConnected) opener.focus();
  }
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("mousedown", onPointer, true);
  document.addEventListener("contextmenu", onPointer, true);
  el.tabIndex = -1;
  open = { el, close };
  focusItem(0);
}
