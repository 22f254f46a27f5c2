// Application emojis (discord.com/developers/docs/resources/emoji#list-application-emojis): the emojis an app owns,
// usable by it everywhere. With the bot token:
//   GET    /applications/{app}/emojis            → { items: [emoji, …] }
//   POST   /applications/{app}/emojis            { name, image: data URI } → 201 emoji (name 2-32 of A-Z a-z 0-9 _,
//                                                  unique; PNG, JPEG, GIF or WebP ≤ 256 KiB)
//   GET / PATCH { name } / DELETE /applications/{app}/emojis/{id}
// The images are served like Discord's CDN at /emojis/{id}.{png|gif|webp} (the playground draws <:name:id> with it).
// Emojis made here are created by the bot user; `seedForeignEmoji` adds one "uploaded in the Developer Portal" by a
// person, which the sync must leave alone.

import { discordError, invalidFormBody } from "../errors.ts";
import type { Route, RouteContext } from "../router.ts";
import { snowflake } from "../snowflake.ts";
import type { EmulatorState } from "../state.ts";

const BUCKET = { limit: 5, windowMs: 1_000 };
const MAX_IMAGE_BYTES = 256 * 1024;
const NAME = /^\w{2,32}$/;
const IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/]+=*)$/;

export interface StoredEmoji {
  id: string;
  name: string;
  animated: boolean;
  user: { id: string; username: string };
  contentType: string;
  bytes: Uint8Array;
}

const stores = new WeakMap<EmulatorState, Map<string, StoredEmoji>>();

export function emojiStore(state: EmulatorState): Map<string, StoredEmoji> {
  let store = stores.get(state);
  if (!store) stores.set(state, (store = new Map()));
  return store;
}

export function clearEmojis(state: EmulatorState): void {
  stores.delete(state);
}

/** The bot user of the emulated app: its id is the application id, as for apps Discord creates today. */
export const botUserOf = (state: EmulatorState) => ({ id: state.applicationId, username: "Emulated Bot" });

const PERSON = { id: "1000000000000000099", username: "app-owner" };

/** An emoji uploaded by a person in the Developer Portal (not by the bot): tests and the playground use it. */
export function seedForeignEmoji(
  state: EmulatorState,
  name: string,
  bytes: Uint8Array,
  contentType = "image/png",
): StoredEmoji {
  const emoji = { id: snowflake(), name, animated: contentType === "image/gif", user: PERSON, contentType, bytes };
  emojiStore(state).set(emoji.id, emoji);
  return emoji;
}

const asJson = (emoji: StoredEmoji) => ({
  id: emoji.id,
  name: emoji.name,
  roles: [],
  user: { ...emoji.user, discriminator: "0", global_name: null, avatar: null, public_flags: 0 },
  require_colons: true,
  managed: false,
  animated: emoji.animated,
  available: true,
});

function list(ctx: RouteContext): Response {
  return Response.json({ items: [...emojiStore(ctx.state).values()].map(asJson) });
}

function create(ctx: RouteContext): Response {
  const body = (ctx.body.payload ?? {}) as { name?: unknown; image?: unknown };
  const errors = [];
  if (typeof body.name !== "string" || !NAME.test(body.name))
    errors.push({
      path: "name",
      code: "BASE_TYPE_BAD_LENGTH",
      message: "Must be between 2 and 32 in length, letters, digits and _ only.",
    });
  const image = typeof body.image === "string" ? IMAGE.exec(body.image) : null;
  if (!image)
    errors.push({
      path: "image",
      code: "IMAGE_INVALID",
      message: "Invalid image data (a data URI of PNG, JPEG, GIF or WebP, base64).",
    });
  if (errors.length > 0) return invalidFormBody(errors);
  const store = emojiStore(ctx.state);
  if ([...store.values()].some((e) => e.name === body.name))
    return invalidFormBody([
      {
        path: "name",
        code: "APPLICATION_EMOJI_NAME_ALREADY_TAKEN",
        message: "An application emoji with that name already exists.",
      },
    ]);
  const bytes = Uint8Array.from(atob(image![2]!), (c) => c.charCodeAt(0));
  if (bytes.byteLength > MAX_IMAGE_BYTES)
    return invalidFormBody([
      {
        path: "image",
        code: "BINARY_TYPE_MAX_SIZE",
        message: `File cannot be larger than ${MAX_IMAGE_BYTES / 1024} kb.`,
      },
    ]);
  const emoji: StoredEmoji = {
    id: snowflake(ctx.now),
    name: body.name as string,
    animated: image![1] === "gif",
    user: botUserOf(ctx.state),
    contentType: `image/${image![1]}`,
    bytes,
  };
  store.set(emoji.id, emoji);
  ctx.log({ event: "emulator.emoji.created", emoji_id: emoji.id, name: emoji.name });
  return Response.json(asJson(emoji), { status: 201 });
}

function one(ctx: RouteContext): StoredEmoji | Response {
  return emojiStore(ctx.state).get(ctx.params.emoji!) ?? discordError(404, 10014, "Unknown Emoji");
}

export const emojiRoutes: Route[] = [
  { method: "GET", template: "/applications/:app/emojis", auth: true, bucket: BUCKET, major: [], handler: list },
  { method: "POST", template: "/applications/:app/emojis", auth: true, bucket: BUCKET, major: [], handler: create },
  {
    method: "GET",
    template: "/applications/:app/emojis/:emoji",
    auth: true,
    bucket: BUCKET,
    major: [],
    handler: (ctx) => {
      const e = one(ctx);
      return e instanceof Response ? e : Response.json(asJson(e));
    },
  },
  {
    method: "PATCH",
    template: "/applications/:app/emojis/:emoji",
    auth: true,
    bucket: BUCKET,
    major: [],
    handler: (ctx) => {
      const e = one(ctx);
      if (e instanceof Response) return e;
      const name = (ctx.body.payload as { name?: unknown } | undefined)?.name;
      if (typeof name !== "string" || !NAME.test(name))
        return invalidFormBody([
          { path: "name", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 2 and 32 in length." },
        ]);
      e.name = name;
      return Response.json(asJson(e));
    },
  },
  {
    method: "DELETE",
    template: "/applications/:app/emojis/:emoji",
    auth: true,
    bucket: BUCKET,
    major: [],
    handler: (ctx) => {
      const e = one(ctx);
      if (e instanceof Response) return e;
      emojiStore(ctx.state).delete(e.id);
      ctx.log({ event: "emulator.emoji.deleted", emoji_id: e.id, name: e.name });
      return new Response(null, { status: 204 });
    },
  },
];

/** GET /emojis/{id}.{ext}, as Discord's CDN serves an emoji's image. */
export function serveEmoji(state: EmulatorState, request: Request, path: string): Response | null {
  const match = /^\/emojis\/(\d{1,20})\.(png|gif|webp|jpe?g)$/.exec(path);
  if (!match || (request.method !== "GET" && request.method !== "HEAD")) return null;
  const emoji = emojiStore(state).get(match[1]!);
  if (!emoji) return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
  return new Response(request.method === "HEAD" ? null : (emoji.bytes as Uint8Array<ArrayBuffer>), {
    headers: { "content-type": emoji.contentType, "cache-control": "no-store" },
  });
}
