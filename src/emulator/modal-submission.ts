// What Discord's client sends when a user submits a modal (MODAL_SUBMIT `data`), built from the modal the bot opened
// and the values given per field: the modal's structure (labels, legacy action rows, text displays) with `value`
// (text inputs, radio groups, checkboxes) or `values` (selects, checkbox groups, uploads) filled in, and the client's
// refusals: a field the form does not have, an option a select does not offer, a required field left empty. One
// builder for `npm run interact -- --fill … --submit` (values typed on a command line) and the test kit's
// `bot.submit(form, { … })` (typed values), so both send what a user in Discord would.
// https://discord.com/developers/docs/components/reference#label ; …#text-input ; …#file-upload

type Json = Record<string, any>;

/** What a field is given: text (a comma-separated list where the field takes several), a list, or a checkbox's state. */
export type Fill = string | readonly string[] | boolean;

export class ModalSubmissionError extends Error {
  override readonly name = "ModalSubmissionError";
}

/** Uploads a file for a file-upload field and returns its attachment id (the emulator hosts it, as Discord would). */
type Upload = (file: string, field: string) => Promise<string>;

export interface SubmissionOptions {
  /** Turns a given file (a path, a name) into an attachment id; default: the given text is the id already. */
  upload?: Upload;
  /** How the caller gives a missing field, for the refusal (interact: `--fill "Label=…"`). */
  howToFill?: (label: string) => string;
}

const same = (a: unknown, b: string) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** A field of the form, found by its label or custom_id, and how to read the value given for it. */
interface Field {
  label: string;
  input: Json;
}

function fieldsOf(modal: Json): Field[] {
  const fields: Field[] = [];
  for (const c of (modal.components as Json[] | undefined) ?? []) {
    if (c.type === 18 && c.component)
      fields.push({ label: String(c.label ?? c.component.custom_id), input: c.component });
    if (c.type === 1)
      for (const input of (c.components as Json[] | undefined) ?? [])
        fields.push({ label: String(input.label ?? input.custom_id), input });
  }
  return fields;
}

/**
 * The MODAL_SUBMIT data for `modal` with `fills` (field label or custom_id → value), shaped as Discord's client sends
 * it (and as the playground's form does). A required field left empty is refused, naming it.
 */
export async function buildSubmission(
  modal: Json,
  fills: ReadonlyMap<string, Fill>,
  how: SubmissionOptions = {},
): Promise<{ custom_id: string; components: Json[] }> {
  const upload = how.upload ?? (async (file: string) => file);
  const fields = fieldsOf(modal);
  for (const name of fills.keys()) {
    if (!fields.some((f) => same(f.label, name) || f.input.custom_id === name)) {
      throw new ModalSubmissionError(
        `the form "${modal.title}" has no field "${name}"; its fields are ${fields.map((f) => `"${f.label}"`).join(", ")}`,
      );
    }
  }
  let counter = 0;
  const nextId = () => ++counter;
  const fill = (label: string, input: Json): Fill | undefined =>
    [...fills].find(([name]) => same(label, name) || input.custom_id === name)?.[1];
  const valueOf = async (label: string, input: Json): Promise<Json> => {
    const id = typeof input.id === "number" ? input.id : nextId();
    const given = fill(label, input);
    const required = input.type !== 23 && input.required !== false;
    const options = (input.options as Json[] | undefined) ?? [];
    const optionValue = (choice: string) => {
      const option =
        options.find((o) => o.label === choice || o.value === choice) ??
        options.find((o) => same(o.label, choice) || same(o.value, choice));
      if (!option)
        throw new ModalSubmissionError(
          `the form's field "${label}" has no option "${choice}"; its options are ${options.map((o) => `"${o.label}"`).join(", ")}`,
        );
      return String(option.value);
    };
    const list = (fill: Fill | undefined): string[] =>
      Array.isArray(fill)
        ? fill.map(String)
        : String(fill ?? "")
            .split(",")
            .map((v) => v.trim())
            .filter(Boolean);
    const text = (fill: Fill | undefined): string | undefined =>
      fill === undefined ? undefined : Array.isArray(fill) ? fill.join(",") : String(fill);
    const missing = () =>
      new ModalSubmissionError(
        `the form's field "${label}" is required${how.howToFill ? `: ${how.howToFill(label)}` : ""}`,
      );
    switch (input.type) {
      case 4: {
        const value = text(given) ?? String(input.value ?? "");
        if (required && value === "") throw missing();
        return { type: 4, id, custom_id: input.custom_id, value };
      }
      case 3:
      case 5:
      case 6:
      case 7:
      case 8: {
        const values =
          given === undefined
            ? options.filter((o) => o.default === true).map((o) => String(o.value))
            : input.type === 3
              ? list(given).map(optionValue)
              : list(given);
        if (required && values.length === 0) throw missing();
        return { type: input.type, id, custom_id: input.custom_id, values };
      }
      case 21: {
        const value =
          given === undefined
            ? ((options.find((o) => o.default === true)?.value as string | undefined) ?? null)
            : optionValue(String(text(given)).trim());
        if (required && value === null) throw missing();
        return { type: 21, id, custom_id: input.custom_id, value };
      }
      case 22: {
        const values =
          given === undefined
            ? options.filter((o) => o.default === true).map((o) => String(o.value))
            : list(given).map(optionValue);
        if (required && values.length === 0) throw missing();
        return { type: 22, id, custom_id: input.custom_id, values };
      }
      case 23: {
        if (typeof given === "boolean") return { type: 23, id, custom_id: input.custom_id, value: given };
        const state = (text(given) ?? String(input.default ?? false)).trim().toLowerCase();
        if (!["true", "false", "yes", "no"].includes(state))
          throw new ModalSubmissionError(`the form's checkbox "${label}" takes true or false, got "${given}"`);
        return { type: 23, id, custom_id: input.custom_id, value: state === "true" || state === "yes" };
      }
      case 19: {
        const values = await Promise.all(list(given).map((path) => upload(path, label)));
        if (required && values.length === 0) throw missing();
        return { type: 19, id, custom_id: input.custom_id, values };
      }
      default:
        throw new ModalSubmissionError(
          `the form's field "${label}" is a component of type ${input.type}, which cannot be filled here`,
        );
    }
  };
  const components: Json[] = [];
  for (const c of (modal.components as Json[] | undefined) ?? []) {
    const id = typeof c.id === "number" ? c.id : nextId();
    if (c.type === 18)
      components.push({ type: 18, id, component: await valueOf(String(c.label ?? ""), c.component ?? {}) });
    else if (c.type === 1) {
      const inner: Json[] = [];
      for (const input of (c.components as Json[] | undefined) ?? [])
        inner.push(await valueOf(String(input.label ?? input.custom_id), input));
      components.push({ type: 1, id, components: inner });
    } else components.push({ type: c.type, id });
  }
  return { custom_id: String(modal.custom_id), components };
}
