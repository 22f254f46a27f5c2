/**
 * custom_id is the only state a component carries back, and Discord caps it at 100 characters. Ids are
 * `<module name>:<state>`: the prefix routes the click to its module, the rest is the module's own state.
 * Building an id checks the cap, so an oversized id fails in our code, not as a 400 from Discord later.
 */
import { MAX_CUSTOM_ID_LENGTH } from "../discord/responses.ts";

const SEPARATOR = ":";

export class CustomIdError extends Error {
  override readonly name = "CustomIdError";
}

/** `customId("chart", "bar", "k3f9")` → "chart:bar:k3f9". */
export function customId(prefix: string, ...state: readonly (string | number)[]): string {
  if (!prefix || prefix.includes(SEPARATOR))
    throw new CustomIdError(`custom_id(build): prefix "${prefix}" must be non-empty and contain no "${SEPARATOR}"`);
  const id = [prefix, ...state].join(SEPARATOR);
  if (id.length > MAX_CUSTOM_ID_LENGTH) {
    throw new CustomIdError(
      `custom_id(build): "${id.slice(0, 40)}…" is ${id.length} characters; Discord allows ${MAX_CUSTOM_ID_LENGTH}`,
    );
  }
  return id;
}

export interface ParsedCustomId {
  readonly prefix: string;
  /** Everything after the first separator (may be ""). */
  readonly state: string;
  /** `state` split on the separator. */
  readonly args: readonly string[];
}

export function parseCustomId(id: string): ParsedCustomId {
  const at = id.indexOf(SEPARATOR);
  if (at < 0) return { prefix: id, state: "", args: [] };
  const state = id.slice(at + 1);
  return { prefix: id.slice(0, at), state, args: state === "" ? [] : state.split(SEPARATOR) };
}

/**
 * Typed component state: the named fields a module's custom_ids carry after `<module>:`, in order. `build` gives
 * the state for `ctx.customId(...)`; `read` turns a click's `id.args` back into the same names, or null when the
 * id has another shape (an older message, a hand-made id). A misspelt field is a compile error on both sides.
 */
export interface ComponentState<F extends string> {
  build(values: Readonly<Record<F, string | number>>): string[];
  read(args: readonly string[]): Readonly<Record<F, string>> | null;
}

export function componentState<const F extends readonly string[]>(...fields: F): ComponentState<F[number]> {
  return {
    build: (values) =>
      fields.map((field) => {
        const value = String(values[field as F[number]]);
        if (value.includes(SEPARATOR))
          throw new CustomIdError(`custom_id(build): state field "${field}" may not contain "${SEPARATOR}"`);
        return value;
      }),
    read: (args) => {
      if (args.length !== fields.length) return null;
      const out: Record<string, string> = {};
      fields.forEach((field, i) => (out[field] = args[i]!));
      return out as Record<F[number], string>;
    },
  };
}
