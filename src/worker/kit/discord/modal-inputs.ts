/**
 * A modal's inputs besides the text input (components.ts): the entity selects, file upload, radio group, checkbox
 * group and checkbox. Each goes inside a `labelled(...)` and, in a `modalForm`, takes its custom_id from its key.
 * Option counts and the rest are checked with the whole modal (v2-rules.ts). Each carries, as a type only, what its submit reads as (`FieldValue`), so `form.read(fields)` is typed from the
 * form: booleans stay booleans, selects and groups are arrays, a radio group is its one value, uploads are
 * attachments. Types and numbers: discord/discord-api-spec (specs/openapi.json: RadioGroupComponentForModalRequest,
 * CheckboxGroupComponentForModalRequest, CheckboxComponentForModalRequest, FileUploadComponentForModalRequest)
 * and Discord's components reference; discord-api-types 0.38.57 declares all of them.
 */
import type {
  APICheckboxComponent,
  APICheckboxGroupComponent,
  APIChannelSelectComponent,
  APIFileUploadComponent,
  APIMentionableSelectComponent,
  APIRadioGroupComponent,
  APIRoleSelectComponent,
  APIStringSelectComponent,
  APITextInputComponent,
  APIUserSelectComponent,
} from "discord-api-types/v10";
import { fileTypesProblem, type FileUploadType } from "./file-types.ts";
import type { Attachment, ResolvedChannel, ResolvedRole, ResolvedUser } from "../dispatch/resolved.ts";
import { ComponentType } from "./components.ts";

declare const submitted: unique symbol;
/** A component that reads as `V` when the modal is submitted (a type-only mark; nothing at run time). */
export type Field<C, V> = C & { readonly [submitted]?: V };

/** What an input reads as on submit: its `Field` mark, else a text input's string or a string select's values. */
export type SubmitsAs<T> =
  T extends Field<unknown, infer V>
    ? Exclude<V, undefined>
    : T extends APITextInputComponent
      ? string
      : T extends APIStringSelectComponent
        ? string[]
        : never;

interface Choice<V extends string> {
  readonly value: V;
  readonly label: string;
  readonly description?: string;
  readonly default?: boolean;
}

interface Common {
  /** Leave out in a `modalForm`: the key is the custom_id. */
  readonly customId?: string;
  readonly required?: boolean;
}

function common(type: number, options: Common): { type: number; custom_id: string; required?: boolean } {
  return {
    type,
    custom_id: options.customId ?? "",
    ...(options.required !== undefined ? { required: options.required } : {}),
  };
}

/** Exactly one of 2-10 options; reads as the chosen value (`null` only when `required: false` and none chosen). */
export function radioGroup<const V extends string, const R extends boolean = true>(
  options: Common & { readonly options: readonly Choice<V>[]; readonly required?: R },
): Field<APIRadioGroupComponent, R extends false ? V | null : V> {
  return { ...common(ComponentType.RadioGroup, options), options: [...options.options] } as APIRadioGroupComponent;
}

/** Any number of 1-10 options (within min/max); reads as the chosen values. */
export function checkboxGroup<const V extends string>(
  options: Common & {
    readonly options: readonly Choice<V>[];
    readonly minValues?: number;
    readonly maxValues?: number;
  },
): Field<APICheckboxGroupComponent, V[]> {
  return {
    ...common(ComponentType.CheckboxGroup, options),
    options: [...options.options],
    ...(options.minValues !== undefined ? { min_values: options.minValues } : {}),
    ...(options.maxValues !== undefined ? { max_values: options.maxValues } : {}),
  } as APICheckboxGroupComponent;
}

/** One box; reads as true or false. */
export function checkbox(
  options: { readonly customId?: string; readonly default?: boolean } = {},
): Field<APICheckboxComponent, boolean> {
  return {
    type: ComponentType.Checkbox,
    custom_id: options.customId ?? "",
    ...(options.default ? { default: true } : {}),
  } as APICheckboxComponent;
}

interface Many extends Common {
  readonly minValues?: number;
  readonly maxValues?: number;
}

function many(type: number, options: Many & { readonly placeholder?: string }): Record<string, unknown> {
  return {
    ...common(type, options),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.minValues !== undefined ? { min_values: options.minValues } : {}),
    ...(options.maxValues !== undefined ? { max_values: options.maxValues } : {}),
  };
}

/**
 * Up to `maxValues` (default 1) files; reads as the uploads, from the submit's `resolved.attachments`. `fileTypes`
 * limits what the picker offers (groups or extensions, ≤ 10; file-types.ts); a list Discord would refuse throws here.
 */
export function fileUpload(
  options: Many & { readonly fileTypes?: readonly FileUploadType[] } = {},
): Field<APIFileUploadComponent, Attachment[]> {
  const problem = options.fileTypes && fileTypesProblem(options.fileTypes);
  if (problem) throw new Error(`components(fileUpload): ${problem}`);
  return {
    ...many(ComponentType.FileUpload, options),
    ...(options.fileTypes ? { file_types: options.fileTypes } : {}),
  } as unknown as APIFileUploadComponent;
}

type SelectOptions = Many & { readonly placeholder?: string };

export function userSelect(options: SelectOptions = {}): Field<APIUserSelectComponent, ResolvedUser[]> {
  return many(ComponentType.UserSelect, options) as unknown as APIUserSelectComponent;
}

export function roleSelect(options: SelectOptions = {}): Field<APIRoleSelectComponent, ResolvedRole[]> {
  return many(ComponentType.RoleSelect, options) as unknown as APIRoleSelectComponent;
}

export function mentionableSelect(
  options: SelectOptions = {},
): Field<APIMentionableSelectComponent, (ResolvedUser | ResolvedRole)[]> {
  return many(ComponentType.MentionableSelect, options) as unknown as APIMentionableSelectComponent;
}

export function channelSelect(options: SelectOptions = {}): Field<APIChannelSelectComponent, ResolvedChannel[]> {
  return many(ComponentType.ChannelSelect, options) as unknown as APIChannelSelectComponent;
}
