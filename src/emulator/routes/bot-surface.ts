// The rest of what a bot does with its token (the typed calls of src/worker/kit/discord/bot-routes.ts), as Discord
// answers them for the emulated server (one guild, #general, the playground's user):
//   PATCH/DELETE /channels/{c}/messages/{m}      the bot's own channel messages (another author's: 403 50005)
//   PUT/DELETE   /channels/{c}/messages/pins/{m} pins;  PUT/DELETE …/reactions/{emoji}/@me  the bot's reactions
//   POST /channels/{c}/messages/{m}/threads, POST /channels/{c}/threads   a thread (type 11)
//   POST /users/@me/channels                    the DM channel with a user
//   GET /guilds/{g}/members/{u}, PUT/DELETE …/roles/{r}
//   POST …/entitlements/{e}/consume, POST/DELETE /applications/{a}/entitlements[/{e}] (test entitlements)
//   GET /applications/{a}/skus, GET /skus/{s}/subscriptions
// What it keeps (pins, reactions, roles) lives beside the emulator's state, per state object.

import type { EmulatedEntitlement } from "../app-events.ts";
import { renderPost } from "../messages.ts";
import { discordError, invalidFormBody, unknownMessage } from "../errors.ts";
import { DEFAULT_CHANNEL_ID } from "../registry.ts";
import type { Route, RouteContext } from "../router.ts";
import { BOT_DM_CHANNEL_ID, DEFAULT_GUILD_ID, DEFAULT_USER } from "../signed-interactions.ts";
import { snowflake } from "../snowflake.ts";
import type { EmulatorState } from "../state.ts";

const BUCKET = { limit: 5, windowMs: 1_000 };

interface Extras {
  pins: Set<string>;
  /** message id → emoji the bot reacted with. */
  reactions: Map<string, Set<string>>;
  /** user id → role ids in the emulated guild. */
  roles: Map<string, Set<string>>;
}

const extras = new WeakMap<EmulatorState, Extras>();
export function surfaceStore(state: EmulatorState): Extras {
  let store = extras.get(state);
  if (!store) extras.set(state, (store = { pins: new Set(), reactions: new Map(), roles: new Map() }));
  return store;
}

const unknownChannel = () => discordError(404, 10003, "Unknown Channel");
const route = (method: string, template: string, handler: Route["handler"], major: readonly string[] = []): Route => ({
  method,
  template,
  auth: true,
  bucket: BUCKET,
  major,
  handler,
});
const noContent = () => new Response(null, { status: 204 });

/** The bot's own message in #general, or the error Discord gives. */
function ownPost(ctx: RouteContext) {
  if (ctx.params.channel !== DEFAULT_CHANNEL_ID) return unknownChannel();
  const post = ctx.state.posts.find((p) => p.id === ctx.params.message);
  if (!post) return unknownMessage();
  if (post.author.id !== ctx.state.applicationId)
    return discordError(403, 50005, "Cannot edit a message authored by another user");
  return post;
}

function anyMessage(ctx: RouteContext): Response | null {
  if (ctx.params.channel !== DEFAULT_CHANNEL_ID) return unknownChannel();
  return ctx.state.posts.some((p) => p.id === ctx.params.message) ? null : unknownMessage();
}

function editMessage(ctx: RouteContext): Response {
  const post = ownPost(ctx);
  if (post instanceof Response) return post;
  const body = (ctx.body.payload ?? {}) as { content?: unknown; embeds?: unknown };
  if (typeof body.content === "string") post.content = body.content;
  if (Array.isArray(body.embeds)) post.embeds = body.embeds;
  return Response.json({ ...renderPost(post), edited_timestamp: new Date(ctx.now).toISOString() });
}

function deleteMessage(ctx: RouteContext): Response {
  const post = ownPost(ctx);
  if (post instanceof Response) return post;
  ctx.state.posts.splice(ctx.state.posts.indexOf(post), 1);
  return noContent();
}

function pin(add: boolean) {
  return (ctx: RouteContext): Response => {
    const missing = anyMessage(ctx);
    if (missing) return missing;
    if (add) surfaceStore(ctx.state).pins.add(ctx.params.message!);
    else surfaceStore(ctx.state).pins.delete(ctx.params.message!);
    return noContent();
  };
}

function react(add: boolean) {
  return (ctx: RouteContext): Response => {
    const missing = anyMessage(ctx);
    if (missing) return missing;
    const reactions = surfaceStore(ctx.state).reactions;
    const set = reactions.get(ctx.params.message!) ?? new Set<string>();
    if (add) set.add(ctx.params.emoji!);
    else set.delete(ctx.params.emoji!);
    reactions.set(ctx.params.message!, set);
    return noContent();
  };
}

function thread(ctx: RouteContext): Response {
  if (ctx.params.channel !== DEFAULT_CHANNEL_ID) return unknownChannel();
  if (ctx.params.message && anyMessage(ctx)) return unknownMessage();
  const name = (ctx.body.payload as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || name.length < 1 || name.length > 100)
    return invalidFormBody([
      { path: "name", code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length." },
    ]);
  return Response.json(
    {
      id: ctx.params.message ?? snowflake(ctx.now),
      type: 11,
      name,
      parent_id: DEFAULT_CHANNEL_ID,
      guild_id: DEFAULT_GUILD_ID,
      owner_id: ctx.state.applicationId,
    },
    { status: 201 },
  );
}

function createDM(ctx: RouteContext): Response {
  const recipient = (ctx.body.payload as { recipient_id?: unknown } | undefined)?.recipient_id;
  if (recipient !== DEFAULT_USER.id) return discordError(400, 50007, "Cannot send messages to this user");
  return Response.json({ id: BOT_DM_CHANNEL_ID, type: 1, last_message_id: null, recipients: [DEFAULT_USER] });
}

function member(ctx: RouteContext): Response | { userId: string } {
  if (ctx.params.guild !== DEFAULT_GUILD_ID) return discordError(404, 10004, "Unknown Guild");
  if (ctx.params.user !== DEFAULT_USER.id) return discordError(404, 10007, "Unknown Member");
  return { userId: ctx.params.user };
}

function getMember(ctx: RouteContext): Response {
  const found = member(ctx);
  if (found instanceof Response) return found;
  return Response.json({
    user: DEFAULT_USER,
    roles: [...(surfaceStore(ctx.state).roles.get(found.userId) ?? [])],
    joined_at: "2026-01-01T00:00:00.000Z",
    deaf: false,
    mute: false,
    flags: 0,
  });
}

function memberRole(add: boolean) {
  return (ctx: RouteContext): Response => {
    const found = member(ctx);
    if (found instanceof Response) return found;
    const roles = surfaceStore(ctx.state).roles;
    const set = roles.get(found.userId) ?? new Set<string>();
    if (add) set.add(ctx.params.role!);
    else set.delete(ctx.params.role!);
    roles.set(found.userId, set);
    return noContent();
  };
}

const entitlement = (ctx: RouteContext) =>
  ctx.state.entitlements.find((e) => e.id === ctx.params.entitlement && !e.deleted);

function consume(ctx: RouteContext): Response {
  const found = entitlement(ctx);
  if (!found) return discordError(404, 10040, "Unknown Entitlement");
  found.consumed = true;
  return noContent();
}

function createTestEntitlement(ctx: RouteContext): Response {
  const body = (ctx.body.payload ?? {}) as { sku_id?: unknown; owner_id?: unknown; owner_type?: unknown };
  if (
    typeof body.sku_id !== "string" ||
    typeof body.owner_id !== "string" ||
    (body.owner_type !== 1 && body.owner_type !== 2)
  ) {
    return invalidFormBody([
      {
        path: "",
        code: "BASE_TYPE_REQUIRED",
        message: "sku_id, owner_id and owner_type (1 guild, 2 user) are required",
      },
    ]);
  }
  const created: EmulatedEntitlement = {
    id: snowflake(ctx.now),
    sku_id: body.sku_id,
    application_id: ctx.state.applicationId,
    ...(body.owner_type === 1 ? { guild_id: body.owner_id } : { user_id: body.owner_id }),
    type: 4,
    deleted: false,
    starts_at: null,
    ends_at: null,
    consumed: false,
  };
  ctx.state.entitlements.push(created);
  return Response.json(created);
}

function deleteTestEntitlement(ctx: RouteContext): Response {
  const found = entitlement(ctx);
  if (!found) return discordError(404, 10040, "Unknown Entitlement");
  if (found.type !== 4)
    return discordError(400, 40000, "emulator(entitlements): only test entitlements (type 4) can be deleted");
  found.deleted = true;
  return noContent();
}

export const surfaceRoutes: Route[] = [
  route("PATCH", "/channels/:channel/messages/:message", editMessage, ["channel"]),
  route("DELETE", "/channels/:channel/messages/:message", deleteMessage, ["channel"]),
  route("PUT", "/channels/:channel/messages/pins/:message", pin(true), ["channel"]),
  route("DELETE", "/channels/:channel/messages/pins/:message", pin(false), ["channel"]),
  route("PUT", "/channels/:channel/messages/:message/reactions/:emoji/@me", react(true), ["channel"]),
  route("DELETE", "/channels/:channel/messages/:message/reactions/:emoji/@me", react(false), ["channel"]),
  route("POST", "/channels/:channel/messages/:message/threads", thread, ["channel"]),
  route("POST", "/channels/:channel/threads", thread, ["channel"]),
  route("POST", "/users/@me/channels", createDM),
  route("GET", "/guilds/:guild/members/:user", getMember, ["guild"]),
  route("PUT", "/guilds/:guild/members/:user/roles/:role", memberRole(true), ["guild"]),
  route("DELETE", "/guilds/:guild/members/:user/roles/:role", memberRole(false), ["guild"]),
  route("POST", "/applications/:app/entitlements/:entitlement/consume", consume),
  route("POST", "/applications/:app/entitlements", createTestEntitlement),
  route("DELETE", "/applications/:app/entitlements/:entitlement", deleteTestEntitlement),
  route("GET", "/applications/:app/skus", (ctx) =>
    Response.json(
      ctx.state.skus.map((sku) => ({
        id: sku.id,
        type: 5,
        application_id: ctx.state.applicationId,
        name: sku.name,
        slug: sku.name.toLowerCase().replace(/\W+/g, "-"),
        flags: 128,
      })),
    ),
  ),
  route("GET", "/skus/:sku/subscriptions", (ctx) =>
    ctx.url.searchParams.has("user_id")
      ? Response.json([])
      : invalidFormBody([{ path: "user_id", code: "BASE_TYPE_REQUIRED", message: "This field is required" }]),
  ),
];
