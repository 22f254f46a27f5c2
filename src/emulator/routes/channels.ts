// Channel message routes a bot calls with its bot token (Authorization: Bot …): create a message (JSON, or
// multipart with files) and get one. The emulated server has one text channel, the playground's #general; a
// message the bot posts there shows in the playground like any other, from the bot. Another channel id is
// Discord's 404 Unknown Channel, so a wrong REPORT_CHANNEL_ID fails locally as it would in production.

import { planAttachments } from "../attachments.ts";
import { channelMessage } from "../channel.ts";
import { SPEC_OPERATIONS, type SpecOperation } from "../conformance.ts";
import { discordError, emptyMessage, entityTooLarge, invalidFormBody, unknownMessage } from "../errors.ts";
import { MESSAGE_FLAGS, validateMessageBody } from "../limits.ts";
import { renderPost } from "../messages.ts";
import { DEFAULT_CHANNEL_ID } from "../registry.ts";
import type { Route, RouteContext } from "../router.ts";
import { botUser } from "../signed-interactions.ts";
import { snowflake } from "../snowflake.ts";
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, type PostedMessage } from "../state.ts";

// Discord's POST message limit is per channel (5 per 5 s in practice, never documented as a number).
const BUCKET = { limit: 5, windowMs: 5_000 };
const MAJOR = ["channel"] as const;
/** A channel message may not be ephemeral or loading; these are the flags a bot may set on one. */
const CHANNEL_MESSAGE_FLAGS =
  MESSAGE_FLAGS.SUPPRESS_EMBEDS | MESSAGE_FLAGS.SUPPRESS_NOTIFICATIONS | MESSAGE_FLAGS.IS_COMPONENTS_V2;

const unknownChannel = () => discordError(404, 10003, "Unknown Channel");
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function createChannelMessage(ctx: RouteContext): Response {
  if (ctx.params.channel !== DEFAULT_CHANNEL_ID) return unknownChannel();
  const body = ctx.body.payload === undefined ? {} : ctx.body.payload;
  if (!isObject(body))
    return invalidFormBody([
      { path: "", code: "DICT_TYPE_CONVERT", message: "Only dictionaries may be used in a DictType" },
    ]);
  const flags = typeof body.flags === "number" ? body.flags : 0;
  const errors = validateMessageBody(body, flags);
  if ((flags & ~CHANNEL_MESSAGE_FLAGS) !== 0) {
    errors.push({
      path: "flags",
      code: "MESSAGE_FLAGS_INVALID",
      message: `emulator(channels): flags ${flags & ~CHANNEL_MESSAGE_FLAGS} cannot be set on a channel message`,
    });
  }
  if (errors.length > 0) return invalidFormBody(errors);

  const id = snowflake(ctx.now);
  const planned = planAttachments({
    mode: "create",
    messageId: id,
    existing: [],
    listed: body.attachments,
    files: ctx.body.files,
    origin: ctx.origin,
    sizeLimit: DEFAULT_ATTACHMENT_SIZE_LIMIT,
  });
  if (!planned.ok) return planned.tooLarge ? entityTooLarge() : invalidFormBody(planned.errors);
  const post: PostedMessage = {
    id,
    channel_id: DEFAULT_CHANNEL_ID,
    author: botUser(ctx.state.applicationId),
    content: typeof body.content === "string" ? body.content : "",
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    attachments: planned.plan.attachments,
    timestamp: new Date(ctx.now).toISOString(),
  };
  if (!post.content && post.embeds.length === 0 && post.attachments.length === 0) return emptyMessage();
  for (const file of planned.plan.newFiles) ctx.state.files.set(file.attachmentId, file);
  ctx.state.posts.push(post);
  ctx.log({ event: "emulator.channel.message", message_id: id, author: "bot" });
  return Response.json(renderPost(post));
}

function getChannelMessage(ctx: RouteContext): Response {
  if (ctx.params.channel !== DEFAULT_CHANNEL_ID) return unknownChannel();
  const message = channelMessage(ctx.state, ctx.params.message!);
  return message ? Response.json(message) : unknownMessage();
}

const route = (method: string, template: string, handler: Route["handler"], spec?: SpecOperation): Route => ({
  method,
  template,
  auth: true,
  bucket: BUCKET,
  major: MAJOR,
  handler,
  ...(spec ? { spec } : {}),
});

export const channelRoutes: Route[] = [
  route("POST", "/channels/:channel/messages", createChannelMessage, SPEC_OPERATIONS.createMessage),
  route("GET", "/channels/:channel/messages/:message", getChannelMessage),
];
