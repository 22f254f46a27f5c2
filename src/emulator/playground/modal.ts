// A modal (interaction response type 9) as a form: Label components (18) wrapping a text input or a string
// select, Text Display (10), and the legacy action row with a text input (1 → 4). The browser enforces what
// Discord's client enforces (required, min/max length); Submit sends a MODAL_SUBMIT (type 5) whose components
// echo the modal's structure with the values filled in, as Discord does.

import { h } from "./dom.ts";
import { markdown, type MarkdownContext } from "./markdown.ts";

type Json = Record<string, any>;

/** Builds the submitted `components`, or says why it cannot (a field fails validation). */
type Collect = () => Json;

/** Returns an error text to show in the form, or null when the submission was accepted. */
export type SubmitModal = (data: { custom_id: string; components: Json[] }) => Promise<string | null>;

function textInput(input: Json, label: string | null, nextId: () => number): { field: HTMLElement; collect: Collect } {
  const id = typeof input.id === "number" ? input.id : nextId();
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

function stringSelect(select: Json, label: string | null, nextId: () => number): { field: HTMLElement; collect: Collect } {
  const id = typeof select.id === "number" ? select.id : nextId();
  const max = Number(select.max_values ?? 1);
  const control = h(
    "select",
    { class: "modal-input", name: String(select.custom_id), multiple: max > 1, required: select.required !== false, "aria-label": label ?? select.custom_id },
    max > 1 ? null : h("option", { value: "" }, select.placeholder ?? "Make a selection"),
    ...((select.options as Json[] | undefined) ?? []).map((o) => h("option", { value: String(o.value), selected: o.default === true }, String(o.label))),
  );
  return { field: control, collect: () => ({ type: 3, id, custom_id: select.custom_id, values: Array.from(control.selectedOptions).map((o) => o.value).filter((v) => v !== "") }) };
}

function control(component: Json, label: string | null, nextId: () => number): { field: HTMLElement; collect: Collect } {
  if (component.type === 4) return textInput(component, label, nextId);
  if (component.type === 3) return stringSelect(component, label, nextId);
  const id = typeof component.id === "number" ? component.id : nextId();
  return { field: h("div", { class: "component-unknown" }, `(component type ${component.type} is not supported in the playground's forms)`), collect: () => ({ type: component.type, id }) };
}

function fieldBlock(label: string, description: string | null, required: boolean, field: HTMLElement): HTMLElement {
  return h("label", { class: "modal-field" }, h("span", { class: "modal-label" }, label, required ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null), description ? h("span", { class: "modal-description" }, description) : null, field);
}

/** Opens the form; it closes itself once a submission is accepted (or on Cancel / Escape). */
export function openModal(data: Json, md: MarkdownContext, submit: SubmitModal): HTMLDialogElement {
  let counter = 0;
  const nextId = () => ++counter;
  const parts: Array<{ el: HTMLElement; collect: Collect }> = [];
  for (const component of (data.components as Json[] | undefined) ?? []) {
    if (component.type === 18) {
      const id = typeof component.id === "number" ? component.id : nextId();
      const inner = control(component.component ?? {}, String(component.label ?? ""), nextId);
      parts.push({
        el: fieldBlock(String(component.label ?? ""), component.description ? String(component.description) : null, component.component?.required !== false, inner.field),
        collect: () => ({ type: 18, id, component: inner.collect() }),
      });
    } else if (component.type === 1) {
      const id = typeof component.id === "number" ? component.id : nextId();
      const inputs = ((component.components as Json[] | undefined) ?? []).map((c) => ({ def: c, ...control(c, String(c.label ?? c.custom_id), nextId) }));
      parts.push({
        el: h("div", {}, ...inputs.map((i) => fieldBlock(String(i.def.label ?? i.def.custom_id), null, i.def.required !== false, i.field))),
        collect: () => ({ type: 1, id, components: inputs.map((i) => i.collect()) }),
      });
    } else if (component.type === 10) {
      const id = typeof component.id === "number" ? component.id : nextId();
      parts.push({ el: h("div", { class: "modal-text markdown", html: markdown(String(component.content ?? ""), md) }), collect: () => ({ type: 10, id }) });
    } else {
      const id = typeof component.id === "number" ? component.id : nextId();
      parts.push({ el: h("div", { class: "component-unknown" }, `(component type ${component.type} is not drawn by the playground)`), collect: () => ({ type: component.type, id }) });
    }
  }

  const error = h("div", { class: "modal-error", role: "alert", hidden: true });
  const submitButton = h("button", { class: "component-button style-primary", type: "submit" }, "Submit");
  const dialog = h("dialog", { class: "modal", "aria-label": String(data.title ?? "Form") });
  const form = h(
    "form",
    { class: "modal-form" },
    h("div", { class: "modal-body" }, ...parts.map((p) => p.el), error),
    h("div", { class: "modal-footer" }, h("button", { class: "link-button", type: "button", onclick: () => dialog.close() }, "Cancel"), submitButton),
  );
  dialog.append(
    h("div", { class: "modal-header" }, h("h2", { class: "modal-title" }, String(data.title ?? "")), h("button", { class: "modal-close", type: "button", "aria-label": "Close", onclick: () => dialog.close() }, "✕")),
    form,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    submitButton.disabled = true;
    error.hidden = true;
    submit({ custom_id: String(data.custom_id), components: parts.map((p) => p.collect()) })
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
