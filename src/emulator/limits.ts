// Discord's documented limits on message bodies (content, embeds, components, link schemes). Real Discord answers a
// violation with 400/50035, and so does the emulator, so a test catches an over-long chart caption, a 101-character
// custom_id or a `javascript:` link before a user does.

import type { FieldError } from "./errors.ts";

export const MESSAGE_FLAGS = {
  SUPPRESS_EMBEDS: 1 << 2,
  EPHEMERAL: 1 << 6,
  LOADING: 1 << 7,
  SUPPRESS_NOTIFICATIONS: 1 << 12,
  IS_VOICE_MESSAGE: 1 << 13,
  IS_COMPONENTS_V2: 1 << 15,
} as const;

/** Flags a bot may set when it creates an interaction response or follow-up. */
export const CREATABLE_FLAGS =
  MESSAGE_FLAGS.SUPPRESS_EMBEDS |
  MESSAGE_FLAGS.EPHEMERAL |
  MESSAGE_FLAGS.SUPPRESS_NOTIFICATIONS |
  MESSAGE_FLAGS.IS_VOICE_MESSAGE |
  MESSAGE_FLAGS.IS_COMPONENTS_V2;

const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  actionRows: 5,
  rowButtons: 5,
  customId: 100,
  buttonLabel: 80,
  selectOptions: 25,
  placeholder: 150,
  v2Components: 40,
} as const;

const tooLong = (path: string, max: number): FieldError => ({
  path,
  code: "BASE_TYPE_MAX_LENGTH",
  message: `Must be ${max} or fewer in length.`,
});

const badLength = (path: string, min: number, max: number): FieldError => ({
  path,
  code: "BASE_TYPE_BAD_LENGTH",
  message: `Must be between ${min} and ${max} in length.`,
});

const wrongType = (path: string, expected: string): FieldError => ({
  path,
  code: expected === "array" ? "BASE_TYPE_LIST" : expected === "integer" ? "NUMBER_TYPE_COERCE" : "BASE_TYPE_STRING",
  message:
    expected === "array" ? "Must be an array." : expected === "integer" ? "Value is not int." : "Must be a string.",
});

// Links a bot sets carry Discord's scheme rule: http(s), and discord:// for a link button too (discord-api-docs #3347).
// Discord names the scheme as the text before the first ":" (all of it when there is none: `Scheme "" is not
// supported` for an empty string), so "  javascript:…" is refused as "  javascript", not read as javascript. Whether
// the rest is a well-formed URL is the API description's check (conformance.ts: its `uri` format).
const EMBED_URL_SCHEMES = ["http", "https"] as const;
const BUTTON_URL_SCHEMES = ["http", "https", "discord"] as const;

function checkUrl(value: unknown, path: string, schemes: readonly string[], errors: FieldError[]): void {
  if (typeof value !== "string") return;
  const scheme = value.split(":", 1)[0]!;
  if (schemes.includes(scheme.toLowerCase())) return;
  errors.push({
    path,
    code: "URL_TYPE_INVALID_SCHEME",
    message: `Scheme "${scheme}" is not supported. Scheme must be one of (${schemes.map((s) => `'${s}'`).join(", ")}).`,
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const length = (v: unknown) => (typeof v === "string" ? [...v].length : 0);

/**
 * Checks a message body (create or edit). `flags` is the message's effective flags after the call, so
 * Components V2 rules apply to the message as it will be.
 */
export function validateMessageBody(body: Record<string, unknown>, flags: number): FieldError[] {
  const errors: FieldError[] = [];
  const v2 = (flags & MESSAGE_FLAGS.IS_COMPONENTS_V2) !== 0;

  if ("content" in body && body.content !== null) {
    if (typeof body.content !== "string") errors.push(wrongType("content", "string"));
    else if (length(body.content) > LIMITS.content) errors.push(tooLong("content", LIMITS.content));
    else if (v2 && body.content !== "") errors.push(legacyFieldWithV2("content"));
  }
  if ("flags" in body && body.flags !== null && !Number.isInteger(body.flags))
    errors.push(wrongType("flags", "integer"));

  if ("embeds" in body && body.embeds !== null) {
    if (!Array.isArray(body.embeds)) errors.push(wrongType("embeds", "array"));
    else {
      if (body.embeds.length > LIMITS.embeds) errors.push(badLength("embeds", 0, LIMITS.embeds));
      if (v2 && body.embeds.length > 0) errors.push(legacyFieldWithV2("embeds"));
      errors.push(...validateEmbeds(body.embeds));
    }
  }

  if ("components" in body && body.components !== null) {
    if (!Array.isArray(body.components)) errors.push(wrongType("components", "array"));
    else errors.push(...validateComponents(body.components, v2));
  }

  if ("attachments" in body && body.attachments !== null && !Array.isArray(body.attachments)) {
    errors.push(wrongType("attachments", "array"));
  }
  // Discord's API description allows 300 characters for any poll text; its documentation (and Discord) allow an
  // answer 55. The description checks the rest of the poll (conformance.ts).
  const answers =
    typeof body.poll === "object" && body.poll !== null ? (body.poll as { answers?: unknown }).answers : undefined;
  if (Array.isArray(answers)) {
    answers.forEach((answer, i) => {
      const text = (answer as { poll_media?: { text?: unknown } } | null)?.poll_media?.text;
      if (typeof text === "string" && length(text) > POLL_ANSWER_TEXT)
        errors.push(tooLong(`poll.answers.${i}.poll_media.text`, POLL_ANSWER_TEXT));
    });
  }
  return errors;
}

const POLL_ANSWER_TEXT = 55;

const legacyFieldWithV2 = (path: string): FieldError => ({
  path,
  code: "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
  message:
    "The 'content', 'embeds', 'sticker_ids', and 'poll' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
});

function validateEmbeds(embeds: unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds.${i}`;
    if (!isObject(embed)) {
      errors.push({ path: at, code: "MODEL_TYPE_CONVERT", message: "Only dictionaries may be used in a ModelType" });
      return;
    }
    const check = (value: unknown, path: string, max: number) => {
      if (value === undefined || value === null) return;
      if (typeof value !== "string") return errors.push(wrongType(path, "string"));
      total += length(value);
      if (length(value) > max) errors.push(tooLong(path, max));
    };
    check(embed.title, `${at}.title`, LIMITS.title);
    checkUrl(embed.url, `${at}.url`, EMBED_URL_SCHEMES, errors);
    if (isObject(embed.author)) checkUrl(embed.author.url, `${at}.author.url`, EMBED_URL_SCHEMES, errors);
    check(embed.description, `${at}.description`, LIMITS.description);
    if (isObject(embed.footer)) check(embed.footer.text, `${at}.footer.text`, LIMITS.footer);
    if (isObject(embed.author)) check(embed.author.name, `${at}.author.name`, LIMITS.author);
    if (embed.fields !== undefined) {
      if (!Array.isArray(embed.fields)) errors.push(wrongType(`${at}.fields`, "array"));
      else {
        if (embed.fields.length > LIMITS.fields) errors.push(badLength(`${at}.fields`, 0, LIMITS.fields));
        embed.fields.forEach((field, j) => {
          if (!isObject(field)) return;
          check(field.name, `${at}.fields.${j}.name`, LIMITS.fieldName);
          check(field.value, `${at}.fields.${j}.value`, LIMITS.fieldValue);
        });
      }
    }
  });
  if (total > LIMITS.embedTotal) {
    errors.push({
      path: "embeds",
      code: "MAX_EMBED_SIZE_EXCEEDED",
      message: `Embed size exceeds maximum size of ${LIMITS.embedTotal}`,
    });
  }
  return errors;
}

const BUTTON = 2;
const ACTION_ROW = 1;
const SELECTS = new Set([3, 5, 6, 7, 8]);
const TEXT_INPUT = 4;

function validateComponents(components: unknown[], v2: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const customIds = new Map<string, string>();
  let count = 0;

  const visit = (component: unknown, path: string, parentType: number | null) => {
    if (!isObject(component)) {
      errors.push({ path, code: "MODEL_TYPE_CONVERT", message: "Only dictionaries may be used in a ModelType" });
      return;
    }
    count++;
    const type = component.type;
    if (!Number.isInteger(type))
      errors.push({ path: `${path}.type`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
    if (type === TEXT_INPUT) {
      errors.push({
        path: `${path}.type`,
        code: "COMPONENT_TYPE_INVALID",
        message: "Text inputs are only valid in modals",
      });
    }
    if ("custom_id" in component) {
      const id = component.custom_id;
      if (typeof id !== "string") errors.push(wrongType(`${path}.custom_id`, "string"));
      else if (length(id) < 1 || length(id) > LIMITS.customId)
        errors.push(badLength(`${path}.custom_id`, 1, LIMITS.customId));
      else if (customIds.has(id)) {
        errors.push({
          path: `${path}.custom_id`,
          code: "COMPONENT_CUSTOM_ID_DUPLICATED",
          message: "Component custom id cannot be duplicated",
        });
      } else customIds.set(id, path);
    }
    if (type === BUTTON) validateButton(component, path, errors);
    if (typeof type === "number" && SELECTS.has(type)) {
      if (Array.isArray(component.options) && component.options.length > LIMITS.selectOptions) {
        errors.push(badLength(`${path}.options`, 1, LIMITS.selectOptions));
      }
      if (length(component.placeholder) > LIMITS.placeholder)
        errors.push(tooLong(`${path}.placeholder`, LIMITS.placeholder));
    }
    if (type === ACTION_ROW) {
      const children = Array.isArray(component.components) ? component.components : [];
      if (children.length < 1 || children.length > LIMITS.rowButtons)
        errors.push(badLength(`${path}.components`, 1, LIMITS.rowButtons));
      const selects = children.filter((c) => isObject(c) && typeof c.type === "number" && SELECTS.has(c.type)).length;
      if (selects > 0 && children.length > 1) {
        errors.push({
          path: `${path}.components`,
          code: "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
          message: "The specified component exceeds the maximum width",
        });
      }
    }
    if (parentType === null && !v2 && type !== ACTION_ROW) {
      errors.push({
        path: `${path}.type`,
        code: "COMPONENT_TYPE_INVALID",
        message: "Top-level components must be action rows unless the message uses IS_COMPONENTS_V2",
      });
    }
    for (const key of ["components", "accessory"] as const) {
      const child = component[key];
      if (Array.isArray(child))
        child.forEach((c, i) => visit(c, `${path}.${key}.${i}`, typeof type === "number" ? type : -1));
      else if (isObject(child)) visit(child, `${path}.${key}`, typeof type === "number" ? type : -1);
    }
  };

  components.forEach((c, i) => visit(c, `components.${i}`, null));
  if (!v2 && components.length > LIMITS.actionRows) errors.push(badLength("components", 0, LIMITS.actionRows));
  if (v2 && count > LIMITS.v2Components) {
    errors.push({
      path: "components",
      code: "BASE_TYPE_BAD_LENGTH",
      message: `Must be ${LIMITS.v2Components} or fewer components in total.`,
    });
  }
  return errors;
}

function validateButton(button: Record<string, unknown>, path: string, errors: FieldError[]): void {
  const style = button.style;
  if (length(button.label) > LIMITS.buttonLabel) errors.push(tooLong(`${path}.label`, LIMITS.buttonLabel));
  if (style === 5) {
    if (typeof button.url !== "string")
      errors.push({ path: `${path}.url`, code: "BUTTON_COMPONENT_URL_REQUIRED", message: "A url is required" });
    else checkUrl(button.url, `${path}.url`, BUTTON_URL_SCHEMES, errors);
    if ("custom_id" in button)
      errors.push({
        path: `${path}.custom_id`,
        code: "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED",
        message: "A custom id cannot be specified",
      });
  } else if (style === 6) {
    if (typeof button.sku_id !== "string")
      errors.push({ path: `${path}.sku_id`, code: "BASE_TYPE_REQUIRED", message: "This field is required" });
  } else if (typeof style === "number" && style >= 1 && style <= 4) {
    if (!("custom_id" in button))
      errors.push({
        path: `${path}.custom_id`,
        code: "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
        message: "A custom id is required",
      });
  } else {
    errors.push({
      path: `${path}.style`,
      code: "BASE_TYPE_CHOICES",
      message: `Value must be one of {1, 2, 3, 4, 5, 6}.`,
    });
  }
}

/** Modal (callback type 9) data: custom_id 1–100, title 1–45, 1–5 top-level components. */
export function validateModal(data: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const id = data.custom_id;
  if (typeof id !== "string" || length(id) < 1 || length(id) > LIMITS.customId)
    errors.push(badLength("data.custom_id", 1, LIMITS.customId));
  if (typeof data.title !== "string" || length(data.title) < 1 || length(data.title) > 45)
    errors.push(badLength("data.title", 1, 45));
  const components = data.components;
  if (!Array.isArray(components) || components.length < 1 || components.length > 5)
    errors.push(badLength("data.components", 1, 5));
  return errors;
}

/** Autocomplete result (callback type 8): at most 25 choices, each name 1–100. */
export function validateChoices(data: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const choices = data.choices;
  if (!Array.isArray(choices)) return [wrongType("data.choices", "array")];
  if (choices.length > 25) errors.push(badLength("data.choices", 0, 25));
  choices.forEach((choice, i) => {
    if (!isObject(choice)) return;
    if (typeof choice.name !== "string" || length(choice.name) < 1 || length(choice.name) > 100)
      errors.push(badLength(`data.choices.${i}.name`, 1, 100));
    if (typeof choice.value === "string" && length(choice.value) > 100)
      errors.push(tooLong(`data.choices.${i}.value`, 100));
  });
  return errors;
}
