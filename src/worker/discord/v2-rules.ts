/**
 * Discord's component rules as data, checked before anything is sent, so a mistake is a handler error with a
 * reference id, not a 400 from Discord (or, in a job, a lost final message). Written here rather than taken from
 * a schema library: the generated validators for Discord's whole API cost more than this Worker's bundle.
 * Sources: discord/discord-api-spec (specs/openapi.json: *ComponentForMessageRequest, *ComponentForModalRequest,
 * IncomingWebhookInteractionRequest) and Discord's components reference (Components V2: at most 40 components in
 * all, counted nested; 4,000 characters of text display in all; content, embeds, poll and stickers refused).
 */
import { isObject } from "../json.ts";

const MAX_TOTAL = 40;
const MAX_TEXT = 4000;
const SELECTS = [3, 5, 6, 7, 8];

/**
 * Which component types may sit where: at the top of a legacy message, a V2 message or a modal, and inside each
 * parent type (`m` prefix: inside a modal).
 */
const ALLOWED: Readonly<Record<string, readonly number[]>> = {
  message: [1],
  v2: [1, 9, 10, 12, 13, 14, 17],
  modal: [1, 10, 18],
  1: [2, ...SELECTS],
  m1: [4],
  9: [10],
  accessory: [2, 11],
  17: [1, 9, 10, 12, 13, 14],
  m18: [...SELECTS, 4, 19, 21, 22, 23],
};

/** How many children each parent holds (min, max). */
const COUNT: Readonly<Record<number, readonly [number, number]>> = { 1: [1, 5], 9: [1, 3], 17: [1, MAX_TOTAL], 12: [1, 10], 21: [2, 10], 22: [1, 10] };

const NAMES: Readonly<Record<number, string>> = {
  1: "action row", 2: "button", 4: "text input", 9: "section", 10: "text display", 11: "thumbnail", 12: "media gallery",
  13: "file", 14: "separator", 17: "container", 18: "label", 19: "file upload", 21: "radio group", 22: "checkbox group", 23: "checkbox",
};

const name = (type: unknown): string => NAMES[type as number] ?? (SELECTS.includes(type as number) ? "select menu" : `component type ${String(type)}`);

/** Null when `components` follow Discord's rules for `where` ("message", "v2" or "modal"), else the problem. */
export function layoutProblem(components: readonly unknown[], where: "message" | "v2" | "modal"): string | null {
  const modal = where === "modal";
  let total = 0;
  let text = 0;
  const walk = (list: readonly unknown[], place: string, parent: string): string | null => {
    for (const c of list) {
      if (!isObject(c)) return "components must be objects";
      total++;
      const type = c.type as number;
      if (!ALLOWED[place]?.includes(type)) return `a ${name(type)} cannot be ${parent}`;
      if (c.custom_id !== undefined && (typeof c.custom_id !== "string" || c.custom_id.length < 1 || c.custom_id.length > 100)) {
        return `custom_id "${String(c.custom_id).slice(0, 40)}…" must be 1-100 characters`;
      }
      const items = type === 12 ? c.items : type === 21 || type === 22 ? c.options : c.components;
      const count = COUNT[type];
      if (count && (!Array.isArray(items) || items.length < count[0] || items.length > count[1])) {
        return `${name(type)} holds ${Array.isArray(items) ? items.length : "no"} ${type === 12 ? "items" : type > 20 ? "options" : "components"}; Discord allows ${count[0]}-${count[1]}`;
      }
      const problem = check(c, type);
      if (problem) return problem;
      if (type === 10) text += typeof c.content === "string" ? c.content.length : 0;
      if (type === 1 && (items as unknown[]).length > 1 && (items as unknown[]).some((i) => isObject(i) && SELECTS.includes(i.type as number))) return "a select menu must be alone in its action row";
      const inner = type === 1 || type === 9 || type === 17 ? walk(items as unknown[], (modal ? "m" : "") + type, `in a ${name(type)}`) : null;
      if (inner) return inner;
      if (type === 9) {
        if (!isObject(c.accessory)) return "a section needs an accessory (a thumbnail or a button)";
        const accessory = walk([c.accessory], "accessory", "a section's accessory");
        if (accessory) return accessory;
      }
      if (type === 18) {
        const input = walk([c.component], "m18", "in a label");
        if (input) return input;
      }
    }
    return null;
  };
  const problem = walk(components, where, where === "message" ? "at the top of a message without the IS_COMPONENTS_V2 flag" : `at the top of a ${where === "v2" ? "Components V2 message" : "modal"}`);
  if (problem) return problem;
  if (total > MAX_TOTAL) return `${total} components in all (counted nested); Discord allows ${MAX_TOTAL}`;
  if (text > MAX_TEXT) return `text displays hold ${text} characters; Discord allows ${MAX_TEXT} in all`;
  return null;
}

function mediaUrl(value: unknown): boolean {
  return isObject(value) && typeof value.url === "string" && /^(https?|attachment):\/\//.test(value.url);
}

/** The rules of one component's own fields. */
function check(c: Record<string, unknown>, type: number): string | null {
  switch (type) {
    case 10:
      return typeof c.content === "string" && c.content.length > 0 ? null : "a text display needs content";
    case 11:
      return mediaUrl(c.media) ? null : "a thumbnail needs media.url (http(s):// or attachment://)";
    case 12:
      return (c.items as unknown[]).every((item) => isObject(item) && mediaUrl(item.media)) ? null : "each media gallery item needs media.url (http(s):// or attachment://)";
    case 13:
      return isObject(c.file) && typeof c.file.url === "string" && c.file.url.startsWith("attachment://") ? null : "a file component needs file.url = attachment://<an uploaded file's name>";
    case 14:
      return c.spacing === undefined || c.spacing === 1 || c.spacing === 2 ? null : "a separator's spacing is 1 (small) or 2 (large)";
    case 17:
      return c.accent_color === undefined || c.accent_color === null || (Number.isInteger(c.accent_color) && (c.accent_color as number) >= 0 && (c.accent_color as number) <= 0xffffff)
        ? null
        : "a container's accent_color is 0x000000-0xFFFFFF";
    case 18:
      return typeof c.label === "string" && c.label.length > 0 && c.label.length <= 45 ? null : "a label needs a label of 1-45 characters";
  }
  return null;
}
