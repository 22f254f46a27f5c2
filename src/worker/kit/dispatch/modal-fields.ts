/**
 * A modal submit's values, read once at the boundary into typed values by component kind. Discord sends each
 * input inside a Label (`component`, singular) or, for old text-only forms, inside an action row (`components`);
 * text displays come back with no value. Ids of users, roles, channels and uploads are resolved through
 * `data.resolved`: an id Discord did not resolve is dropped rather than handed on half-read.
 * Submit shapes: Discord's components reference, "… Interaction Response Structure" of each component.
 */
import { ComponentType } from "../discord/components.ts";
import { isObject } from "./interaction.ts";
import {
  resolveOption,
  type Attachment,
  type ResolvedChannel,
  type ResolvedRole,
  type ResolvedUser,
} from "./resolved.ts";

type Json = Record<string, unknown>;
type C = typeof ComponentType;

/** One submitted input, tagged with its component type. */
/** @public */
export type SubmittedField =
  | { readonly type: C["TextInput"]; readonly value: string }
  | { readonly type: C["Checkbox"]; readonly value: boolean }
  | { readonly type: C["RadioGroup"]; readonly value: string | null }
  | { readonly type: C["StringSelect"] | C["CheckboxGroup"]; readonly value: readonly string[] }
  | { readonly type: C["UserSelect"]; readonly value: readonly ResolvedUser[] }
  | { readonly type: C["RoleSelect"]; readonly value: readonly ResolvedRole[] }
  | { readonly type: C["MentionableSelect"]; readonly value: readonly (ResolvedUser | ResolvedRole)[] }
  | { readonly type: C["ChannelSelect"]; readonly value: readonly ResolvedChannel[] }
  | { readonly type: C["FileUpload"]; readonly value: readonly Attachment[] };

/** Submitted inputs by custom_id. */
export type ModalFields = ReadonlyMap<string, SubmittedField>;

/** The option type whose `resolved` table an entity select's ids live in (users 6, channels 7, roles 8, either 9, attachments 11). */
const RESOLVES_AS: Readonly<Record<number, number>> = {
  [ComponentType.UserSelect]: 6,
  [ComponentType.ChannelSelect]: 7,
  [ComponentType.RoleSelect]: 8,
  [ComponentType.MentionableSelect]: 9,
  [ComponentType.FileUpload]: 11,
};

export function readModalFields(data: Json | null): ModalFields {
  const fields = new Map<string, SubmittedField>();
  const resolved = isObject(data?.resolved) ? data.resolved : null;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 2 || !isObject(node)) return;
    if (typeof node.custom_id === "string" && typeof node.type === "number") {
      const field = read(node, node.type, resolved);
      if (field) fields.set(node.custom_id, field);
    }
    if (Array.isArray(node.components)) for (const child of node.components) visit(child, depth + 1);
    if (node.component !== undefined) visit(node.component, depth + 1);
  };
  if (Array.isArray(data?.components)) for (const component of data.components) visit(component, 0);
  return fields;
}

function strings(values: unknown): string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
}

function read(node: Json, type: number, resolved: Json | null): SubmittedField | undefined {
  switch (type) {
    // A text input's value that is not a string reads as empty: the handler's "empty" answer covers it.
    case ComponentType.TextInput:
      return { type, value: typeof node.value === "string" ? node.value : "" };
    case ComponentType.Checkbox:
      return { type, value: node.value === true };
    case ComponentType.RadioGroup:
      return { type, value: typeof node.value === "string" ? node.value : null };
    case ComponentType.StringSelect:
    case ComponentType.CheckboxGroup:
      return { type, value: strings(node.values) };
  }
  const as = RESOLVES_AS[type];
  if (as === undefined) return undefined;
  const value = strings(node.values).flatMap((id) => resolveOption(resolved, as, id) ?? []);
  return { type, value } as SubmittedField;
}
