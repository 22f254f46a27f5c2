// A modal (interaction response type 9) as a form: Label components (18) wrapping a text input, a select (string,
// user, role, mentionable, channel), a file upload, a radio group, a checkbox group or a checkbox; Text Display (10);
// and the legacy action row with a text input (1 → 4). The browser enforces what Discord's client enforces
// (required, min/max length, how many choices); Submit sends a MODAL_SUBMIT (type 5) whose components echo the
// modal's structure with the values filled in, as Discord does: `value` for text, radio groups (null when none) and
// checkboxes (a boolean), `values` for selects, checkbox groups and uploads. Files are uploaded to the emulator
// first; the emulator fills `resolved` for uploads and entity selects.

import { acceptOf, fileTypesHint } from "./file-types.ts";
import type { FeedIdentity } from "../feed.ts";
import { h } from "./dom.ts";
import { markdown, type MarkdownContext } from "./markdown.ts";

type Json = Record<string, any>;

/** Builds the submitted component (uploading files first). */
type Collect = () => Json | Promise<Json>;

/** Returns an error text to show in the form, or null when the submission was accepted. */
export type SubmitModal = (data: { custom_id: string; components: Json[] }) => Promise<string | null>;

export interface ModalDeps {
  /** Who and where the playground is: the choices of user, role, mentionable and channel selects. */
  identity: FeedIdentity | null;
  /** Uploads a file to the emulator, as Discord's client does before it submits; the id goes in `values`. */
  upload(file: File): Promise<{ id: string }>;
}

interface Control {
  field: HTMLElement;
  collect: Collect;
  /** A group of inputs is a fieldset with a legend, not a <label>. */
  group?: boolean;
  /** Checked on submit, beyond what the browser's own validation covers. */
  check?: () => boolean;
}

function textInput(input: Json, label: string | null, id: number): Control {
  const attrs = {
    class: "modal-input",
    name: String(input.custom_id),
    required: input.required !== false,
    minlength: input.min_length,
    maxlength: input.max_length,
    placeholder: input.placeholder,
    "aria-label": label ?? input.custom_id,
  };
  const control = input.style === 2 ? h("textarea", { ...attrs, rows: 4 }) : h("input", { ...attrs, type: "text" });
  if (typeof input.value === "string") control.value = input.value;
  return { field: control, collect: () => ({ type: 4, id, custom_id: input.custom_id, value: control.value }) };
}

/** The playground's own user, guild (@everyone) and channel, as the entity selects offer them. */
function entityOptions(type: number, identity: FeedIdentity | null): Json[] {
  if (!identity) return [];
  const user = { value: identity.user.id, label: `@${identity.user.name} (you)` };
  const role = { value: identity.guild_id, label: "@everyone" };
  const channel = { value: identity.channel.id, label: `#${identity.channel.name}` };
  return type === 5 ? [user] : type === 6 ? [role] : type === 7 ? [user, role] : type === 8 ? [channel] : [];
}

function select(component: Json, label: string | null, id: number, identity: FeedIdentity | null): Control {
  const options =
    component.type === 3 ? ((component.options as Json[] | undefined) ?? []) : entityOptions(component.type, identity);
  const max = Number(component.max_values ?? 1);
  const control = h(
    "select",
    {
      class: "modal-input",
      name: String(component.custom_id),
      multiple: max > 1,
      required: component.required !== false,
      "aria-label": label ?? component.custom_id,
    },
    max > 1 ? null : h("option", { value: "" }, component.placeholder ?? "Make a selection"),
    ...options.map((o) => h("option", { value: String(o.value), selected: o.default === true }, String(o.label))),
  );
  return {
    field: control,
    collect: () => ({
      type: component.type,
      id,
      custom_id: component.custom_id,
      values: Array.from(control.selectedOptions)
        .map((o) => o.value)
        .filter((v) => v !== ""),
    }),
  };
}

function choices(component: Json, id: number, kind: "radio" | "checkbox"): Control {
  const name = `${String(component.custom_id)}-${id}`;
  const inputs = ((component.options as Json[] | undefined) ?? []).map((o) => {
    const input = h("input", {
      type: kind,
      name,
      value: String(o.value),
      checked: o.default === true,
      required: kind === "radio" && component.required !== false,
    });
    return {
      input,
      el: h(
        "label",
        { class: "modal-choice" },
        input,
        h("span", {}, String(o.label)),
        o.description ? h("span", { class: "modal-description" }, String(o.description)) : null,
      ),
    };
  });
  const chosen = () => inputs.filter((i) => i.input.checked).map((i) => i.input.value);
  const field = h("div", { class: "modal-choices" }, ...inputs.map((i) => i.el));
  if (kind === "radio")
    return {
      field,
      group: true,
      collect: () => ({ type: 21, id, custom_id: component.custom_id, value: chosen()[0] ?? null }),
    };
  const min = component.required === false ? 0 : Number(component.min_values ?? 1);
  const max = Number(component.max_values ?? inputs.length);
  const check = () => {
    const n = chosen().length;
    const ok = n >= min && n <= max;
    inputs[0]?.input.setCustomValidity(ok ? "" : `Choose ${min === max ? min : `${min} to ${max}`} option(s).`);
    return ok;
  };
  return {
    field,
    group: true,
    check,
    collect: () => ({ type: 22, id, custom_id: component.custom_id, values: chosen() }),
  };
}

function checkbox(component: Json, label: string | null, id: number): Control {
  const input = h("input", {
    type: "checkbox",
    class: "modal-checkbox",
    checked: component.default === true,
    "aria-label": label ?? component.custom_id,
  });
  return { field: input, collect: () => ({ type: 23, id, custom_id: component.custom_id, value: input.checked }) };
}

function fileUpload(component: Json, label: string | null, id: number, deps: ModalDeps): Control {
  const max = Number(component.max_values ?? 1);
  const min = component.required === false ? 0 : Number(component.min_values ?? 1);
  const accept = acceptOf(component.file_types);
  const input = h("input", {
    type: "file",
    class: "modal-input",
    multiple: max > 1,
    required: min > 0,
    "aria-label": label ?? component.custom_id,
    ...(accept ? { accept, title: fileTypesHint(component.file_types) } : {}),
  });
  const check = () => {
    const n = input.files?.length ?? 0;
    const ok = n >= min && n <= max;
    input.setCustomValidity(ok ? "" : `Attach ${min === max ? min : `${min} to ${max}`} file(s).`);
    return ok;
  };
  return {
    field: input,
    check,
    collect: async () => ({
      type: 19,
      id,
      custom_id: component.custom_id,
      values: await Promise.all(Array.from(input.files ?? []).map(async (file) => (await deps.upload(file)).id)),
    }),
  };
}

function control(component: Json, label: string | null, nextId: () => number, deps: ModalDeps): Control {
  const id = typeof component.id === "number" ? component.id : nextId();
  switch (component.type) {
    case 4:
      return textInput(component, label, id);
    case 3:
    case 5:
    case 6:
    case 7:
    case 8:
      return select(component, label, id, deps.identity);
    case 19:
      return fileUpload(component, label, id, deps);
    case 21:
      return choices(component, id, "radio");
    case 22:
      return choices(component, id, "checkbox");
    case 23:
      return checkbox(component, label, id);
    default:
      return {
        field: h(
          "div",
          { class: "component-unknown" },
          `(component type ${component.type} is not supported in the playground's forms)`,
        ),
        collect: () => ({ type: component.type, id }),
      };
  }
}

function fieldBlock(label: string, description: string | null, required: boolean, inner: Control): HTMLElement {
  const title = [label, required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null];
  const hint = description ? h("span", { class: "modal-description" }, description) : null;
  return inner.group
    ? h("fieldset", { class: "modal-field" }, h("legend", { class: "modal-label" }, ...title), hint, inner.field)
    : h("label", { class: "modal-field" }, h("span", { class: "modal-label" }, ...title), hint, inner.field);
}

/** Opens the form; it closes itself once a submission is accepted (or on Cancel / Escape). */
const NO_DEPS: ModalDeps = {
  identity: null,
  upload: () => Promise.reject(new Error("playground: this form cannot upload files")),
};

export function openModal(
  data: Json,
  md: MarkdownContext,
  submit: SubmitModal,
  deps: ModalDeps = NO_DEPS,
): HTMLDialogElement {
  let counter = 0;
  const nextId = () => ++counter;
  const parts: Array<{ el: HTMLElement; collect: Collect; check?: () => boolean }> = [];
  for (const component of (data.components as Json[] | undefined) ?? []) {
    const id = typeof component.id === "number" ? component.id : nextId();
    if (component.type === 18) {
      const inner = control(component.component ?? {}, String(component.label ?? ""), nextId, deps);
      const required = component.component?.type !== 23 && component.component?.required !== false;
      parts.push({
        el: fieldBlock(
          String(component.label ?? ""),
          component.description ? String(component.description) : null,
          required,
          inner,
        ),
        collect: async () => ({ type: 18, id, component: await inner.collect() }),
        ...(inner.check ? { check: inner.check } : {}),
      });
    } else if (component.type === 1) {
      const inputs = ((component.components as Json[] | undefined) ?? []).map((c) => ({
        def: c,
        ...control(c, String(c.label ?? c.custom_id), nextId, deps),
      }));
      parts.push({
        el: h(
          "div",
          {},
          ...inputs.map((i) => fieldBlock(String(i.def.label ?? i.def.custom_id), null, i.def.required !== false, i)),
        ),
        collect: async () => ({ type: 1, id, components: await Promise.all(inputs.map((i) => i.collect())) }),
      });
    } else if (component.type === 10) {
      parts.push({
        el: h("div", { class: "modal-text markdown", html: markdown(String(component.content ?? ""), md) }),
        collect: () => ({ type: 10, id }),
      });
    } else {
      parts.push({
        el: h(
          "div",
          { class: "component-unknown" },
          `(component type ${component.type} is not drawn by the playground)`,
        ),
        collect: () => ({ type: component.type, id }),
      });
    }
  }

  const error = h("div", { class: "modal-error", role: "alert", hidden: true });
  const submitButton = h("button", { class: "component-button style-primary", type: "submit" }, "Submit");
  const dialog = h("dialog", { class: "modal", "aria-label": String(data.title ?? "Form") });
  const form = h(
    "form",
    { class: "modal-form" },
    h("div", { class: "modal-body" }, ...parts.map((p) => p.el), error),
    h(
      "div",
      { class: "modal-footer" },
      h("button", { class: "link-button", type: "button", onclick: () => dialog.close() }, "Cancel"),
      submitButton,
    ),
  );
  dialog.append(
    h(
      "div",
      { class: "modal-header" },
      h("h2", { class: "modal-title" }, String(data.title ?? "")),
      h("button", { class: "modal-close", type: "button", "aria-label": "Close", onclick: () => dialog.close() }, "✕"),
    ),
    form,
  );
  // The browser checks validity before it fires submit: a choice count fixed by a change must clear its message now.
  form.addEventListener("change", () => parts.forEach((p) => p.check?.()));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    for (const part of parts) part.check?.();
    if (!form.reportValidity()) return;
    submitButton.disabled = true;
    error.hidden = true;
    Promise.all(parts.map((p) => p.collect()))
      .then((components) => submit({ custom_id: String(data.custom_id), components }))
      .then((problem) => {
        if (problem === null) dialog.close();
        else {
          error.textContent = problem;
          error.hidden = false;
        }
      })
      .catch((e: Error) => {
        error.textContent = e.message;
        error.hidden = false;
      })
      .finally(() => (submitButton.disabled = false));
  });
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector<HTMLElement>(".modal-input")?.focus();
  return dialog;
}
