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
  if (!prefix || prefix.includes(SEPARATOR)) throw new CustomIdError(`custom_id(build): prefix "${prefix}" must be non-empty and contain no "${SEPARATOR}"`);
  const id = [prefix, ...state].join(SEPARATOR);
  if (id.length > MAX_CUSTOM_ID_LENGTH) {
    throw new CustomIdError(`custom_id(build): "${id.slice(0, 40)}…" is ${id.length} characters; Discord allows ${MAX_CUSTOM_ID_LENGTH}`);
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
