/**
 * Discord's component rules as data, checked before anything is sent, so a mistake is a handler error with a
 * reference id, not a 400 from Discord (or, in a job, a lost final message). Written here rather than taken from
 * a schema library: the generated validators for Discord's whole API cost more than this Worker's bundle.
 * Sources: discord/discord-api-spec (specs/openapi.json: *ComponentForMessageRequest, *ComponentForModalRequest,
 * IncomingWebhookInteractionRequest) and Discord's components reference (Components V2: at most 40 components in
 * all, counted nested; 4,000 characters of text display in all; content, embeds, poll and stickers refused).
 */
import { isObject } from "../json.ts";
import { ComponentType } from "./components.ts";

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

/** Parents: the list each holds, and how many (min, max). */
const HOLDS: Readonly<Record<number, readonly [string, number, number]>> = {
  1: ["components", 1, 5],
  9: ["components", 1, 3],
  12: ["items", 1, 10],
  17: ["components", 1, MAX_TOTAL],
  21: ["options", 2, 10],
  22: ["options", 1, 10],
};

/** "media gallery" from ComponentType's key MediaGallery: the names the Worker already ships, no second table. */
function nameOf(type: number): string {
  const key = Object.keys(ComponentType).find((k) => ComponentType[k as keyof typeof ComponentType] === type);
  return key ? key.replace(/\B[A-Z]/g, (c) => ` ${c}`).toLowerCase() : `component type ${String(type)}`;
}

/** Null when `components` follow Discord's rules for `where` ("message", "v2" or "modal"), else the problem. */
export function layoutProblem(components: readonly unknown[], where: "message" | "v2" | "modal"): string | null {
  const modal = where === "modal";
  let total = 0;
  let text = 0;
  const walk = (list: readonly unknown[], place: string, parent: string): string | null => {
    for (const c of list) {
      if (!isObject(c))
        return place === "accessory"
          ? "a section needs an accessory (a thumbnail or a button)"
          : "components must be objects";
      total++;
      const type = c.type as number;
      const name = nameOf(type);
      const [key, min = 0, max = 0] = HOLDS[type] ?? [];
      if (!ALLOWED[place]?.includes(type)) return `a ${name} cannot be ${parent}`;
      if (
        c.custom_id !== undefined &&
        (typeof c.custom_id !== "string" || c.custom_id.length < 1 || c.custom_id.length > 100)
      ) {
        return `custom_id "${String(c.custom_id).slice(0, 40)}" must be 1-100 characters`;
      }
      const items = (key ? c[key] : []) as unknown[];
      if (key && (!Array.isArray(items) || items.length < min || items.length > max))
        return `${name} holds ${Array.isArray(items) ? items.length : "no"} ${key}; Discord allows ${min}-${max}`;
      const problem = check(c, type);
      if (problem) return `${name}: ${problem}`;
      if (type === 10) text += (c.content as string).length;
      if (type === 1 && items.length > 1 && items.some((i) => isObject(i) && SELECTS.includes(i.type as number)))
        return "a select menu must be alone in its action row";
      const inner =
        (type === 1 || type === 9 || type === 17 ? walk(items, (modal ? "m" : "") + type, `in a ${name}`) : null) ??
        (type === 9 ? walk([c.accessory], "accessory", "a section's accessory (a thumbnail or a button)") : null) ??
        (type === 18 ? walk([c.component], "m18", "in a label") : null);
      if (inner) return inner;
    }
    return null;
  };
  const problem = walk(
    components,
    where,
    where === "message"
      ? "at the top of a message without the IS_COMPONENTS_V2 flag"
      : `at the top of a ${modal ? "modal" : "Components V2 message"}`,
  );
  if (problem) return problem;
  if (total > MAX_TOTAL) return `${total} components in all (counted nested); Discord allows ${MAX_TOTAL}`;
  if (text > MAX_TEXT) return `text displays hold ${text} characters; Discord allows ${MAX_TEXT} in all`;
  return null;
}

const URL = /^(https?|attachment):\/\//;
const media = (value: unknown): boolean => isObject(value) && typeof value.url === "string" && URL.test(value.url);

/** The rules of one component's own fields: null, or what is wrong (after the component's name). */
function check(c: Record<string, unknown>, type: number): string | null {
  const ok =
    type === 10
      ? typeof c.content === "string" && c.content.length > 0
      : type === 11
        ? media(c.media)
        : type === 12
          ? (c.items as unknown[]).every((item) => isObject(item) && media(item.media))
          : type === 13
            ? isObject(c.file) && typeof c.file.url === "string" && c.file.url.startsWith("attachment://")
            : type === 14
              ? c.spacing === undefined || c.spacing === 1 || c.spacing === 2
              : type === 17
                ? c.accent_color == null ||
                  (Number.isInteger(c.accent_color) &&
                    (c.accent_color as number) >= 0 &&
                    (c.accent_color as number) <= 0xffffff)
                : type === 18
                  ? typeof c.label === "string" && c.label.length > 0 && c.label.length <= 45
                  : true;
  return ok ? null : HINTS[type]!;
}

const HINTS: Readonly<Record<number, string>> = {
  10: "needs content",
  11: "needs media.url (http(s):// or attachment://)",
  12: "each item needs media.url (http(s):// or attachment://)",
  13: "needs file.url = attachment://<an uploaded file's name>",
  14: "spacing is 1 (small) or 2 (large)",
  17: "accent_color is 0x000000-0xFFFFFF",
  18: "needs a label of 1-45 characters",
};
