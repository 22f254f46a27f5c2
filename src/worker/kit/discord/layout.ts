/**
 * Components V2 builders: a message laid out with containers, sections, text displays, thumbnails, media
 * galleries, files and separators instead of `content` and embeds. `layoutMessage(...)` sets the
 * IS_COMPONENTS_V2 flag (1 << 15); Discord then refuses content, embeds, poll and stickers, and the flag can never
 * be removed from that message. The builders only shape the JSON: every rule (nesting, counts, URLs, the accent
 * colour, 40 components, 4,000 characters of text) is checked once, by `layoutProblem` (v2-rules.ts), wherever a
 * message is sent, so a mistake is a handler error with a reference id either way.
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
import { ComponentType } from "./components.ts";
import { MessageFlags, type MessageData } from "./responses.ts";

export const SeparatorSpacing = { Small: 1, Large: 2 } as const;

/** Message data with IS_COMPONENTS_V2; pass it to `reply`, `ephemeral`, `update` or return it from a job. */
export function layoutMessage(...components: APIMessageTopLevelComponent[]): MessageData {
  return { flags: MessageFlags.ComponentsV2, components };
}

/** Markdown text, up to 4,000 characters (for the whole message). */
export function textDisplay(content: string): APITextDisplayComponent {
  return { type: ComponentType.TextDisplay, content } as APITextDisplayComponent;
}

/** A box around other components, with an optional accent bar (0xRRGGBB) and spoiler blur. */
export function container(
  options: { accentColor?: number; spoiler?: boolean },
  ...components: APIComponentInContainer[]
): APIContainerComponent {
  const { accentColor, spoiler } = options;
  return {
    type: ComponentType.Container,
    components,
    ...(accentColor !== undefined ? { accent_color: accentColor } : {}),
    ...(spoiler ? { spoiler } : {}),
  } as APIContainerComponent;
}

/** One to three text displays beside an accessory: a thumbnail or a button. */
export function section(
  accessory: APIThumbnailComponent | APIButtonComponent,
  ...texts: APITextDisplayComponent[]
): APISectionComponent {
  return { type: ComponentType.Section, components: texts, accessory } as APISectionComponent;
}

interface Media {
  /** https://… or attachment://<filename> of a file sent with the message. */
  readonly url: string;
  readonly description?: string;
  readonly spoiler?: boolean;
}

function media(item: Media): { media: { url: string }; description?: string; spoiler?: boolean } {
  return {
    media: { url: item.url },
    ...(item.description ? { description: item.description } : {}),
    ...(item.spoiler ? { spoiler: true } : {}),
  };
}

export function thumbnail(item: Media): APIThumbnailComponent {
  return { type: ComponentType.Thumbnail, ...media(item) } as APIThumbnailComponent;
}

/** One to ten images or videos in a grid. */
export function mediaGallery(...items: Media[]): APIMediaGalleryComponent {
  return {
    type: ComponentType.MediaGallery,
    items: items.map((item) => media(item) as APIMediaGalleryItem),
  } as APIMediaGalleryComponent;
}

/** A file sent with the message, shown as a download: `filename` is the upload's name (attachment://filename). */
export function file(filename: string, options: { spoiler?: boolean } = {}): APIFileComponent {
  return {
    type: ComponentType.File,
    file: { url: `attachment://${filename}` },
    ...(options.spoiler ? { spoiler: true } : {}),
  } as APIFileComponent;
}

/** Vertical space between components, with a line unless `divider: false`. */
export function separator(
  options: { divider?: boolean; spacing?: (typeof SeparatorSpacing)[keyof typeof SeparatorSpacing] } = {},
): APISeparatorComponent {
  return {
    type: ComponentType.Separator,
    ...(options.divider === false ? { divider: false } : {}),
    ...(options.spacing ? { spacing: options.spacing } : {}),
  } as APISeparatorComponent;
}
