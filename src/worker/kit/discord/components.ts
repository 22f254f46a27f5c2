/**
 * Builders for message and modal components, with Discord's numbers named once here (discord-api-types' enums
 * are runtime objects we do not ship; these `as const` maps cost nothing). Each builder returns the plain JSON
 * Discord takes, typed with discord-api-types, and checks the limits a typo would break (labels, custom_id
 * length through the caller's `ctx.customId`, five buttons a row), so a mistake fails in the handler, with a
 * reference id, not as a 400 from Discord.
 */
import type {
  APIActionRowComponent,
  APIButtonComponentWithCustomId,
  APIButtonComponentWithSKUId,
  APIButtonComponentWithURL,
  APIComponentInMessageActionRow,
  APILabelComponent,
  APISelectMenuOption,
  APIStringSelectComponent,
  APITextInputComponent,
} from "discord-api-types/v10";

/** @public */
export const ComponentType = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Thumbnail: 11,
  MediaGallery: 12,
  File: 13,
  Separator: 14,
  Container: 17,
  Label: 18,
  FileUpload: 19,
  // Modal-only choices. Numbers from discord/discord-api-spec (specs/openapi.json, MessageComponentTypes:
  // RADIO_GROUP 21, CHECKBOX_GROUP 22, CHECKBOX 23) and Discord's components reference.
  RadioGroup: 21,
  CheckboxGroup: 22,
  Checkbox: 23,
} as const;

export const ButtonStyle = { Primary: 1, Secondary: 2, Success: 3, Danger: 4, Link: 5, Premium: 6 } as const;
export const TextInputStyle = { Short: 1, Paragraph: 2 } as const;

const MAX_LABEL = 80;
const MAX_ROW_BUTTONS = 5;

/** @public */
export class ComponentError extends Error {
  override readonly name = "ComponentError";
}

function label(text: string, where: string): string {
  if (text.length === 0 || text.length > MAX_LABEL)
    throw new ComponentError(`components(${where}): label must be 1 to ${MAX_LABEL} characters, got ${text.length}`);
  return text;
}

type InteractiveStyle = (typeof ButtonStyle)["Primary" | "Secondary" | "Success" | "Danger"];

/** A button that sends an interaction with `customId` (build it with `ctx.customId(…state)`). */
export function button(options: {
  label: string;
  customId: string;
  style?: InteractiveStyle;
  disabled?: boolean;
  emoji?: string;
}): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    style: options.style ?? ButtonStyle.Secondary,
    label: label(options.label, "button"),
    custom_id: options.customId,
    ...(options.disabled ? { disabled: true } : {}),
    ...(options.emoji ? { emoji: { name: options.emoji } } : {}),
  } as APIButtonComponentWithCustomId;
}

/** A button that opens a URL; it sends no interaction. */
/** @public */
export function linkButton(options: { label: string; url: string }): APIButtonComponentWithURL {
  if (!/^https?:\/\//.test(options.url))
    throw new ComponentError(`components(link button): url must be http(s), got "${options.url.slice(0, 40)}"`);
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Link,
    label: label(options.label, "link button"),
    url: options.url,
  } as APIButtonComponentWithURL;
}

/**
 * A premium button (style 6): Discord draws it with the SKU's name, icon and price and opens the purchase flow; it
 * has no label, emoji, url or custom_id and sends the bot no interaction (the purchase arrives as ENTITLEMENT_CREATE).
 */
export function premiumButton(options: { skuId: string }): APIButtonComponentWithSKUId {
  if (!/^\d{1,20}$/.test(options.skuId))
    throw new ComponentError(
      `components(premium button): sku_id must be a SKU id (a snowflake), got "${options.skuId.slice(0, 40)}"`,
    );
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Premium,
    sku_id: options.skuId,
  } as APIButtonComponentWithSKUId;
}

/** A row of up to five buttons, or one select menu. */
export function actionRow<C extends APIComponentInMessageActionRow>(...components: C[]): APIActionRowComponent<C> {
  if (components.length === 0) throw new ComponentError("components(action row): a row needs at least one component");
  const buttons = components.filter((c) => c.type === ComponentType.Button).length;
  if (buttons > MAX_ROW_BUTTONS)
    throw new ComponentError(`components(action row): ${buttons} buttons; a row holds ${MAX_ROW_BUTTONS}`);
  if (buttons !== components.length && components.length > 1)
    throw new ComponentError("components(action row): a select menu must be alone in its row");
  return { type: ComponentType.ActionRow, components };
}

/** @public */
export function stringSelect(options: {
  customId: string;
  options: readonly APISelectMenuOption[];
  placeholder?: string;
  minValues?: number;
  maxValues?: number;
}): APIStringSelectComponent {
  if (options.options.length < 1 || options.options.length > 25)
    throw new ComponentError(`components(select): 1 to 25 options, got ${options.options.length}`);
  return {
    type: ComponentType.StringSelect,
    custom_id: options.customId,
    options: [...options.options],
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.minValues !== undefined ? { min_values: options.minValues } : {}),
    ...(options.maxValues !== undefined ? { max_values: options.maxValues } : {}),
  };
}

/** A modal's text field; put it in a `label` (the current layout) to give it its visible label. In a `modalForm`
 * the field's key is its custom_id, so `customId` is left out there. */
export function textInput(options: {
  customId?: string;
  style?: (typeof TextInputStyle)[keyof typeof TextInputStyle];
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  placeholder?: string;
  value?: string;
}): APITextInputComponent {
  return {
    type: ComponentType.TextInput,
    custom_id: options.customId ?? "",
    style: options.style ?? TextInputStyle.Short,
    ...(options.required !== undefined ? { required: options.required } : {}),
    ...(options.minLength !== undefined ? { min_length: options.minLength } : {}),
    ...(options.maxLength !== undefined ? { max_length: options.maxLength } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.value ? { value: options.value } : {}),
  } as APITextInputComponent;
}

/** A modal's labelled field (type 18): a label, an optional description, and one input. */
export function labelled<C extends APILabelComponent["component"]>(
  text: string,
  component: C,
  description?: string,
): APILabelComponent & { readonly component: C } {
  if (text.length === 0 || text.length > 45)
    throw new ComponentError(`components(label): text must be 1 to 45 characters, got ${text.length}`);
  if (description !== undefined && description.length > 100)
    throw new ComponentError(
      `components(label): description must be at most 100 characters, got ${description.length}`,
    );
  return {
    type: ComponentType.Label,
    label: text,
    ...(description ? { description } : {}),
    component,
  } as APILabelComponent & { component: C };
}
