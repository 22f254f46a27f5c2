/**
 * A modal's inputs declared once, keyed by custom_id, like componentState for custom_ids: `form.components` goes
 * into `showModal({ …, components })`, and `form.read(ctx.fields)` in the module's `modal` handler gives one typed
 * value per key, or null when the submit has another shape (a form opened before a deploy changed it). A key
 * that is misspelt, or a value used as the wrong kind, is a compile error.
 *
 *   const form = modalForm({ text: labelled("Feedback", textInput({})), kind: labelled("Kind", radioGroup({ options })) });
 *   const values = form.read(fields); // { text: string; kind: "bug" | "idea" } | null
 */
import type {
  APIComponentInLabel,
  APILabelComponent,
  APIModalInteractionResponseCallbackData,
  APITextDisplayComponent,
} from "discord-api-types/v10";
import { ComponentError, ComponentType } from "../discord/components.ts";
import type { SubmitsAs } from "../discord/modal-inputs.ts";
import { MAX_CUSTOM_ID_LENGTH } from "../discord/responses.ts";
import type { ModalFields } from "./modal-fields.ts";

type Entry = (APILabelComponent & { readonly component: APIComponentInLabel }) | APITextDisplayComponent;

/** @public */
export type FormValues<F> = {
  readonly [K in keyof F as F[K] extends { readonly component: unknown } ? K : never]: F[K] extends {
    readonly component: infer T;
  }
    ? SubmitsAs<T>
    : never;
};

export interface ModalForm<F> {
  /** Typed as discord-api-types' modal components, whose union lacks the text display Discord's spec allows
   * in a modal (TextDisplayComponentForModalRequest); validateResponse checks the real rules. */
  readonly components: APIModalInteractionResponseCallbackData["components"];
  read(fields: ModalFields): FormValues<F> | null;
}

export function modalForm<const F extends Readonly<Record<string, Entry>>>(entries: F): ModalForm<F> {
  // Per input: its component type and, for choices, the values it offers (a forged submit may name others).
  const inputs: [string, number, Set<unknown> | null][] = [];
  const components = Object.entries(entries).map(([key, entry]) => {
    if (!("component" in entry)) return entry;
    if (key.length > MAX_CUSTOM_ID_LENGTH)
      throw new ComponentError(
        `components(modal form): key "${key.slice(0, 40)}…" is longer than ${MAX_CUSTOM_ID_LENGTH} characters`,
      );
    const offered =
      "options" in entry.component && Array.isArray(entry.component.options)
        ? new Set<unknown>(entry.component.options.map((o) => o.value))
        : null;
    inputs.push([key, entry.component.type, offered]);
    return { ...entry, component: { ...entry.component, custom_id: key } } as Entry;
  });
  return {
    components: components as ModalForm<F>["components"],
    read(fields) {
      const values: Record<string, unknown> = {};
      for (const [key, type, offered] of inputs) {
        const optional =
          (entries[key] as { component: { required?: boolean } }).component.required === false ||
          type === ComponentType.Checkbox;
        const field = fields.get(key);
        // An input left empty may be missing from the submit: it reads as empty (nothing, no choice, unticked).
        if (!field && optional) {
          values[key] =
            type === ComponentType.TextInput
              ? ""
              : type === ComponentType.RadioGroup
                ? null
                : type === ComponentType.Checkbox
                  ? false
                  : [];
          continue;
        }
        if (field?.type !== type) return null;
        const { value } = field;
        // A radio group reads as null only when the form let it be left empty (`required: false`).
        if (
          value === null ? !optional : offered && !(Array.isArray(value) ? value : [value]).every((v) => offered.has(v))
        )
          return null;
        values[key] = value;
      }
      return values as FormValues<F>;
    },
  };
}
