/**
 * Every custom_id the bot sends must come back to a handler: a button, select or modal whose id routes to no
 * module (a renamed command, an id built by hand) or to a module without the matching handler (`component` for
 * message components, `modal` for a modal) would answer every click with "this belongs to a feature this bot no
 * longer has". Checked on what handlers answer, so the mistake is a handler error with a reference id the first
 * time a test (or the playground) runs the handler, naming the module that is missing its handler — not a dead
 * button in production. Only answers that carry components pay for the walk.
 */
import type { APIInteractionResponse } from "discord-api-types/v10";
import { isObject } from "../json.ts";
import { parseCustomId } from "./custom-id.ts";
import type { Registry } from "./registry.ts";

/** Components whose custom_id is a field name inside a modal, not a route: text inputs, selects, uploads in a form. */
const MODAL = 9;
/** Link (5) and premium (6) buttons send no interaction; everything else with a custom_id does. */
const NO_INTERACTION_STYLES = new Set([5, 6]);

/** The first custom_id in `response` that no handler would receive, described; null when all route. */
export function unroutedCustomId(response: APIInteractionResponse, registry: Registry): string | null {
  if (!("data" in response) || !isObject(response.data)) return null;
  const data = response.data as Record<string, unknown>;
  if (response.type === MODAL)
    return describe(typeof data.custom_id === "string" ? data.custom_id : "", "modal", registry);
  return Array.isArray(data.components) ? firstUnrouted(data.components, registry, 0) : null;
}

function firstUnrouted(components: readonly unknown[], registry: Registry, depth: number): string | null {
  if (depth > 4) return null;
  for (const component of components) {
    if (!isObject(component)) continue;
    if (typeof component.custom_id === "string" && !NO_INTERACTION_STYLES.has(component.style as number)) {
      const problem = describe(component.custom_id, "component", registry);
      if (problem) return problem;
    }
    const children = [...(Array.isArray(component.components) ? component.components : []), component.accessory];
    const nested = firstUnrouted(children, registry, depth + 1);
    if (nested) return nested;
  }
  return null;
}

function describe(id: string, handler: "component" | "modal", registry: Registry): string | null {
  const { prefix } = parseCustomId(id);
  if (registry.byPrefix(prefix)?.[handler]) return null;
  const module = registry.modules.find((m) => m.definition.name === prefix);
  const what = handler === "modal" ? "a modal" : "a component";
  return module
    ? `${what} with custom_id "${id.slice(0, 40)}" routes to the module for "${prefix}", which exports no \`${handler}\` handler`
    : `${what} with custom_id "${id.slice(0, 40)}" routes to no module: its prefix "${prefix}" is no command's name (build ids with ctx.customId)`;
}
