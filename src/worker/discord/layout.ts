/**
 * Components V2 builders: a message laid out with containers, sections, text displays, thumbnails, media
 * galleries, files and separators instead of `content` and embeds. `layoutMessage(...)` sets the
 * IS_COMPONENTS_V2 flag (1 << 15); Discord then refuses content, embeds, poll and stickers, and the flag can never
 * be removed from that message. The builders check what a typo would break; the message as a whole (nesting, 40
 * components, 4,000 characters of text) is checked by `layoutProblem` (v2-rules.ts) wherever a message is sent.
 * Shapes: discord/discord-api-spec, *ComponentForMessageRequest.
 */
import type {
  APIButtonComponent,
  APIComponentInContainer,
  APIContainerComponent,
  APIFileComponent,
  APIMediaGalleryComponent,
  APIMediaGalleryItem,
  APIMessageTopLevelComponent,
  APISectionComponent,
  APISeparatorComponent,
  APITextDisplayComponent,
  APIThumbnailComponent,
} from "discord-api-types/v10";
import { ComponentError, ComponentType } from "./components.ts";
import { MessageFlags, type MessageData } from "./responses.ts";

export const SeparatorSpacing = { Small: 1, Large: 2 } as const;

/** Message data with IS_COMPONENTS_V2; pass it to `reply`, `ephemeral`, `update` or return it from a job. */
export function layoutMessage(...components: APIMessageTopLevelComponent[]): MessageData {
  return { flags: MessageFlags.ComponentsV2, components };
}

/** Markdown text, up to 4,000 characters (for the whole message). */
export function textDisplay(content: string): APITextDisplayComponent {
  if (content.length === 0) throw new ComponentError("components(text display): content must not be empty");
  return { type: ComponentType.TextDisplay, content } as APITextDisplayComponent;
}

/** A box around other components, with an optional accent bar (0xRRGGBB) and spoiler blur. */
export function container(options: { accentColor?: number; spoiler?: boolean }, ...components: APIComponentInContainer[]): APIContainerComponent {
  const { accentColor, spoiler } = options;
  if (accentColor !== undefined && !(Number.isInteger(accentColor) && accentColor >= 0 && accentColor <= 0xffffff)) {
    throw new ComponentError(`components(container): accentColor must be 0x000000-0xFFFFFF, got ${accentColor}`);
  }
  return {
    type: ComponentType.Container,
    components,
    ...(accentColor !== undefined ? { accent_color: accentColor } : {}),
    ...(spoiler ? { spoiler } : {}),
  } as APIContainerComponent;
}

/** One to three text displays beside an accessory: a thumbnail or a button. */
export function section(accessory: APIThumbnailComponent | APIButtonComponent, ...texts: APITextDisplayComponent[]): APISectionComponent {
  if (texts.length < 1 || texts.length > 3) throw new ComponentError(`components(section): 1 to 3 text displays, got ${texts.length}`);
  return { type: ComponentType.Section, components: texts, accessory } as APISectionComponent;
}

interface Media {
  /** https://… or attachment://<filename> of a file sent with the message. */
  readonly url: string;
  readonly description?: string;
  readonly spoiler?: boolean;
}

function media(item: Media, where: string): { media: { url: string }; description?: string; spoiler?: boolean } {
  if (!/^(https?|attachment):\/\//.test(item.url)) throw new ComponentError(`components(${where}): url must be http(s):// or attachment://, got "${item.url.slice(0, 40)}"`);
  return { media: { url: item.url }, ...(item.description ? { description: item.description } : {}), ...(item.spoiler ? { spoiler: true } : {}) };
}

export function thumbnail(item: Media): APIThumbnailComponent {
  return { type: ComponentType.Thumbnail, ...media(item, "thumbnail") } as APIThumbnailComponent;
}

/** One to ten images or videos in a grid. */
export function mediaGallery(...items: Media[]): APIMediaGalleryComponent {
  if (items.length < 1 || items.length > 10) throw new ComponentError(`components(media gallery): 1 to 10 items, got ${items.length}`);
  return { type: ComponentType.MediaGallery, items: items.map((item) => media(item, "media gallery") as APIMediaGalleryItem) } as APIMediaGalleryComponent;
}

/** A file sent with the message, shown as a download: `filename` is the upload's name (attachment://filename). */
export function file(filename: string, options: { spoiler?: boolean } = {}): APIFileComponent {
  return { type: ComponentType.File, file: { url: `attachment://${filename}` }, ...(options.spoiler ? { spoiler: true } : {}) } as APIFileComponent;
}

/** Vertical space between components, with a line unless `divider: false`. */
export function separator(options: { divider?: boolean; spacing?: (typeof SeparatorSpacing)[keyof typeof SeparatorSpacing] } = {}): APISeparatorComponent {
  return {
    type: ComponentType.Separator,
    ...(options.divider === false ? { divider: false } : {}),
    ...(options.spacing ? { spacing: options.spacing } : {}),
  } as APISeparatorComponent;
}
