// The command box: type "/" for the registered commands, then subcommands, options (required first), choices,
// and the bot's own autocomplete suggestions (a real AUTOCOMPLETE interaction, debounced, as Discord's client
// sends while you type). An ATTACHMENT option opens a file picker; the file is uploaded to the emulator first,
// as Discord uploads before it sends the command. Enter or Tab takes the highlighted suggestion; Enter on a
// complete command sends it; ↑ in an empty box recalls the last command. Text without a "/" is posted as a
// message in the channel, as in Discord (right-click it for the bot's message commands).

import { acceptOf, fileTypesHint } from "./file-types.ts";
import {
  applyChoice,
  complete,
  parseCommandLine,
  type CommandData,
  type CommandDef,
  type OptionChoice,
  type Suggestion,
} from "./command-line.ts";
import { append, h } from "./dom.ts";

export interface ComposerDeps {
  commands(): CommandDef[];
  /** Sends the command; resolves to an error to show, or null once it went out. */
  send(line: string, data: CommandData): Promise<string | null>;
  /** Posts a plain message; resolves to an error to show, or null. */
  post(text: string): Promise<string | null>;
  /** Asks the bot for choices (interaction type 4). */
  autocomplete(data: CommandData): Promise<OptionChoice[]>;
  upload(file: File): Promise<{ id: string; filename: string }>;
}

const AUTOCOMPLETE_DELAY_MS = 250;

interface Item {
  label: string;
  detail?: string;
  /** The whole new input value and the caret position after choosing; or an action (the file picker). */
  apply: (() => void) | { value: string; caret: number };
}

export class Composer {
  readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly error: HTMLElement;
  private readonly file: HTMLInputElement;
  private items: Item[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private request = 0;
  private readonly uploads = new Map<string, string>();
  private readonly history: string[] = [];
  private pendingFileAt: number | null = null;

  private readonly deps: ComposerDeps;

  constructor(root: HTMLElement, deps: ComposerDeps) {
    this.deps = deps;
    this.list = h("div", { class: "suggestions", id: "suggestions", role: "listbox", hidden: true });
    this.input = h("input", {
      id: "command-input",
      class: "composer-input",
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Message #general — type / to use a command",
      "aria-label": "Message or command",
      "aria-controls": "suggestions",
      "aria-autocomplete": "list",
    });
    this.error = h("div", { class: "composer-error", role: "alert", hidden: true });
    this.file = h("input", { type: "file", hidden: true, "aria-label": "File to attach" });
    root.append(
      this.list,
      h(
        "div",
        { class: "composer-box" },
        h("span", { class: "composer-slash", "aria-hidden": "true" }, "⌘"),
        this.input,
      ),
      this.error,
      this.file,
    );

    this.input.addEventListener("input", () => this.update());
    this.input.addEventListener("click", () => this.update());
    this.input.addEventListener("keydown", (event) => this.onKey(event));
    this.input.addEventListener("blur", () => setTimeout(() => this.hide(), 150));
    this.file.addEventListener("change", () => void this.onFile());
  }

  focus(): void {
    this.input.focus();
  }

  /** The text before the caret decides what to suggest; the text after it is kept. */
  private parts(): { before: string; after: string } {
    const caret = this.input.selectionStart ?? this.input.value.length;
    return { before: this.input.value.slice(0, caret), after: this.input.value.slice(caret) };
  }

  private update(): void {
    clearTimeout(this.timer);
    this.request++;
    const { before, after } = this.parts();
    const completion = complete(before, this.deps.commands());
    if (!completion) return this.hide();
    const lineItem = (s: Suggestion): Item => ({
      label: s.label,
      ...(s.detail ? { detail: s.detail } : {}),
      apply: { value: s.line + after, caret: s.line.length },
    });
    switch (completion.kind) {
      case "list":
        return this.show(
          completion.title,
          completion.items.map(lineItem),
          completion.items.length ? null : "No matches",
          completion.preselect,
        );
      case "hint":
        return this.show(completion.title, [], null);
      case "attachment":
        return this.show(
          completion.title,
          [
            {
              label: "📎 Upload a file…",
              ...(completion.option.file_types ? { detail: fileTypesHint(completion.option.file_types) } : {}),
              apply: () => this.pickFile(completion.replaceFrom, acceptOf(completion.option.file_types)),
            },
          ],
          null,
        );
      case "autocomplete": {
        this.show(completion.title, [], "Loading options…");
        const ticket = this.request;
        this.timer = setTimeout(() => {
          this.deps.autocomplete(completion.data).then(
            (choices) => {
              if (ticket !== this.request) return;
              const items = choices.map((c) => {
                const line = applyChoice(before, completion.replaceFrom, c.value);
                return {
                  label: c.name,
                  ...(String(c.value) !== c.name ? { detail: String(c.value) } : {}),
                  apply: { value: line + after, caret: line.length },
                };
              });
              this.show(completion.title, items, items.length ? null : "No options match your search");
            },
            (error: Error) => {
              if (ticket === this.request) this.show(completion.title, [], `Loading options failed (${error.message})`);
            },
          );
        }, AUTOCOMPLETE_DELAY_MS);
        return;
      }
    }
  }

  private show(title: string, items: Item[], note: string | null, preselect = true): void {
    this.items = items;
    this.active = items.length > 0 && preselect ? 0 : -1;
    this.list.replaceChildren();
    append(this.list, [
      h("div", { class: "suggestions-title" }, title),
      ...items.map((item, i) =>
        h(
          "div",
          {
            class: `suggestion${i === this.active ? " active" : ""}`,
            role: "option",
            "aria-selected": i === this.active ? "true" : "false",
            onmousedown: (event: Event) => {
              event.preventDefault();
              this.accept(i);
            },
          },
          h("span", { class: "suggestion-label" }, item.label),
          item.detail ? h("span", { class: "suggestion-detail" }, item.detail) : null,
        ),
      ),
      note ? h("div", { class: "suggestions-note" }, note) : null,
    ]);
    this.list.hidden = false;
  }

  private hide(): void {
    this.list.hidden = true;
    this.items = [];
    this.active = -1;
  }

  private highlight(index: number): void {
    if (this.items.length === 0) return;
    this.active = (index + this.items.length) % this.items.length;
    Array.from(this.list.querySelectorAll(".suggestion")).forEach((el, i) => {
      el.classList.toggle("active", i === this.active);
      el.setAttribute("aria-selected", i === this.active ? "true" : "false");
      if (i === this.active) (el as HTMLElement).scrollIntoView({ block: "nearest" });
    });
  }

  private accept(index: number): void {
    const item = this.items[index];
    if (!item) return;
    if (typeof item.apply === "function") return item.apply();
    this.input.value = item.apply.value;
    this.input.setSelectionRange(item.apply.caret, item.apply.caret);
    this.input.focus();
    this.update();
  }

  private onKey(event: KeyboardEvent): void {
    const open = !this.list.hidden && this.items.length > 0;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      this.highlight(this.active + 1);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      this.highlight(this.active < 0 ? -1 : this.active - 1);
    } else if (event.key === "ArrowUp" && this.input.value === "" && this.history.length > 0) {
      event.preventDefault();
      this.input.value = this.history.at(-1)!;
      this.update();
    } else if (event.key === "Tab" && open) {
      event.preventDefault();
      this.accept(Math.max(this.active, 0));
    } else if (event.key === "Escape") {
      this.hide();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const item = this.items[this.active];
      // Take the suggestion only when it changes what would be sent ("/pi" → "/ping"), else send.
      if (open && item && (typeof item.apply === "function" || item.apply.value.trim() !== this.input.value.trim()))
        this.accept(this.active);
      else void this.submit();
    }
  }

  private pickFile(at: number, accept: string): void {
    this.pendingFileAt = at;
    this.file.accept = accept;
    this.file.value = "";
    this.file.click();
  }

  private async onFile(): Promise<void> {
    const file = this.file.files?.[0];
    const at = this.pendingFileAt;
    if (!file || at === null) return;
    this.setError(null);
    try {
      const uploaded = await this.deps.upload(file);
      this.uploads.set(uploaded.filename, uploaded.id);
      const name = /\s/.test(uploaded.filename) ? `"${uploaded.filename}"` : uploaded.filename;
      const before = this.input.value.slice(0, at);
      const rest = this.input.value.slice(at).replace(/^\S*\s?/, "");
      this.input.value = `${before}${name} ${rest}`;
      const caret = before.length + name.length + 1;
      this.input.focus();
      this.input.setSelectionRange(caret, caret);
      this.update();
    } catch (error) {
      this.setError(`Could not upload ${file.name}: ${(error as Error).message}`);
    }
  }

  private setError(text: string | null): void {
    this.error.hidden = text === null;
    this.error.textContent = text ?? "";
  }

  async submit(): Promise<void> {
    const line = this.input.value.trim();
    if (!line) return;
    if (!line.startsWith("/")) return this.post(line);
    const result = parseCommandLine(line, this.deps.commands());
    if (!result.ok) return this.setError(result.error);
    for (const { option, entry } of result.parsed.leaves) {
      if (option.type !== 11) continue;
      const id = this.uploads.get(String(entry.value));
      if (!id)
        return this.setError(
          `Attach the file for ${option.name} again: choose "Upload a file…" after typing ${option.name}:`,
        );
      entry.value = id;
    }
    this.hide();
    this.setError(null);
    // Cleared at once, as Discord does, so a second Enter cannot send the command twice.
    this.input.value = "";
    this.history.push(line);
    const problem = await this.deps.send(line, result.parsed.data);
    if (problem === null) return;
    this.setError(problem);
    if (this.input.value === "") this.input.value = line;
  }

  private async post(text: string): Promise<void> {
    this.hide();
    this.setError(null);
    this.input.value = "";
    this.history.push(text);
    const problem = await this.deps.post(text);
    if (problem === null) return;
    this.setError(problem);
    if (this.input.value === "") this.input.value = text;
  }
}
