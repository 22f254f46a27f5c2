/**
 * Typed bot-token calls: each path is typed by discord-api-types' Routes (type-only: `Path<"channelMessage">` is
 * the template its builder returns, so a path of another route does not compile) and each body and answer by its
 * RESTPost…JSONBody / RESTGet…Result type. They are free functions over one DiscordBotClient (bot-rest.ts), so
 * they share its rate-limit state and request loop, and the Worker's bundle carries only the ones it calls (types
 * cost nothing at run time; bench/budget.ts).
 */
import type {
  RESTDeleteAPIApplicationEmojiResult,
  RESTDeleteAPIChannelMessageOwnReactionResult,
  RESTDeleteAPIChannelMessageResult,
  RESTDeleteAPIChannelMessagesPinResult,
  RESTDeleteAPIEntitlementResult,
  RESTDeleteAPIGuildMemberRoleResult,
  RESTGetAPIApplicationCommandsResult,
  RESTGetAPIApplicationEmojisResult,
  RESTGetAPIGuildMemberResult,
  RESTGetAPISKUSubscriptionsQuery,
  RESTGetAPISKUSubscriptionsResult,
  RESTGetAPISKUsResult,
  RESTPatchAPIChannelMessageJSONBody,
  RESTPatchAPIChannelMessageResult,
  RESTPostAPIApplicationEmojiJSONBody,
  RESTPostAPIApplicationEmojiResult,
  RESTPostAPIChannelMessagesThreadsJSONBody,
  RESTPostAPIChannelMessagesThreadsResult,
  RESTPostAPIChannelThreadsJSONBody,
  RESTPostAPIChannelThreadsResult,
  RESTPostAPICurrentUserCreateDMChannelJSONBody,
  RESTPostAPICurrentUserCreateDMChannelResult,
  RESTPostAPIEntitlementConsumeResult,
  RESTPostAPIEntitlementJSONBody,
  RESTPostAPIEntitlementResult,
  RESTPutAPIApplicationCommandsJSONBody,
  RESTPutAPIApplicationCommandsResult,
  RESTPutAPIChannelMessageReactionResult,
  RESTPutAPIChannelMessagesPinResult,
  RESTPutAPIGuildMemberRoleResult,
  Routes,
} from "discord-api-types/v10";
import type { DiscordBotClient } from "./bot-rest.ts";
import type { MessageData } from "./messages.ts";

/** A path as discord-api-types' `Routes[K]` builds it. */
type Path<K extends keyof typeof Routes> = ReturnType<(typeof Routes)[K]>;
const path = <K extends keyof typeof Routes>(value: Path<K>): Path<K> => value;
const id = encodeURIComponent;

/** PATCH /channels/{channel.id}/messages/{message.id}. */
export function editMessage(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
  message: RESTPatchAPIChannelMessageJSONBody,
): Promise<RESTPatchAPIChannelMessageResult> {
  return bot.request(
    "PATCH",
    path<"channelMessage">(`/channels/${id(channelId)}/messages/${id(messageId)}`),
    message as MessageData,
  ) as Promise<RESTPatchAPIChannelMessageResult>;
}

/** DELETE /channels/{channel.id}/messages/{message.id}. */
export async function deleteMessage(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
): Promise<RESTDeleteAPIChannelMessageResult> {
  await bot.request("DELETE", path<"channelMessage">(`/channels/${id(channelId)}/messages/${id(messageId)}`));
}

/** PUT /channels/{channel.id}/messages/pins/{message.id} (needs PIN_MESSAGES). */
export async function pinMessage(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
): Promise<RESTPutAPIChannelMessagesPinResult> {
  await bot.request("PUT", path<"channelMessagesPin">(`/channels/${id(channelId)}/messages/pins/${id(messageId)}`));
}

/** DELETE /channels/{channel.id}/messages/pins/{message.id}. */
export async function unpinMessage(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
): Promise<RESTDeleteAPIChannelMessagesPinResult> {
  await bot.request("DELETE", path<"channelMessagesPin">(`/channels/${id(channelId)}/messages/pins/${id(messageId)}`));
}

/** PUT /channels/{channel.id}/messages/{message.id}/reactions/{emoji}/@me; `emoji` is "🔥" or "name:id". */
export async function addReaction(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
  emoji: string,
): Promise<RESTPutAPIChannelMessageReactionResult> {
  await bot.request(
    "PUT",
    path<"channelMessageOwnReaction">(
      `/channels/${id(channelId)}/messages/${id(messageId)}/reactions/${encodeURIComponent(emoji)}/@me`,
    ),
  );
}

/** DELETE /channels/{channel.id}/messages/{message.id}/reactions/{emoji}/@me. */
export async function deleteOwnReaction(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
  emoji: string,
): Promise<RESTDeleteAPIChannelMessageOwnReactionResult> {
  await bot.request(
    "DELETE",
    path<"channelMessageOwnReaction">(
      `/channels/${id(channelId)}/messages/${id(messageId)}/reactions/${encodeURIComponent(emoji)}/@me`,
    ),
  );
}

/** POST /channels/{channel.id}/messages/{message.id}/threads: a thread on a message. */
export function startThreadFromMessage(
  bot: DiscordBotClient,
  channelId: string,
  messageId: string,
  body: RESTPostAPIChannelMessagesThreadsJSONBody,
): Promise<RESTPostAPIChannelMessagesThreadsResult> {
  return bot.request("POST", path<"threads">(`/channels/${id(channelId)}/messages/${id(messageId)}/threads`), {
    json: body,
  }) as Promise<RESTPostAPIChannelMessagesThreadsResult>;
}

/** POST /channels/{channel.id}/threads: a thread without a message. */
export function startThread(
  bot: DiscordBotClient,
  channelId: string,
  body: RESTPostAPIChannelThreadsJSONBody,
): Promise<RESTPostAPIChannelThreadsResult> {
  return bot.request("POST", path<"threads">(`/channels/${id(channelId)}/threads`), {
    json: body,
  }) as Promise<RESTPostAPIChannelThreadsResult>;
}

/** POST /users/@me/channels: the DM channel with a user (then createMessage on its id). */
export function createDM(bot: DiscordBotClient, userId: string): Promise<RESTPostAPICurrentUserCreateDMChannelResult> {
  const body: RESTPostAPICurrentUserCreateDMChannelJSONBody = { recipient_id: userId };
  return bot.request("POST", path<"userChannels">("/users/@me/channels"), {
    json: body,
  }) as Promise<RESTPostAPICurrentUserCreateDMChannelResult>;
}

/** GET /guilds/{guild.id}/members/{user.id}. */
export function getMember(
  bot: DiscordBotClient,
  guildId: string,
  userId: string,
): Promise<RESTGetAPIGuildMemberResult> {
  return bot.request(
    "GET",
    path<"guildMember">(`/guilds/${id(guildId)}/members/${id(userId)}`),
  ) as Promise<RESTGetAPIGuildMemberResult>;
}

/** PUT /guilds/{guild.id}/members/{user.id}/roles/{role.id} (needs MANAGE_ROLES, the role below the bot's). */
export async function addMemberRole(
  bot: DiscordBotClient,
  guildId: string,
  userId: string,
  roleId: string,
): Promise<RESTPutAPIGuildMemberRoleResult> {
  await bot.request("PUT", path<"guildMemberRole">(`/guilds/${id(guildId)}/members/${id(userId)}/roles/${id(roleId)}`));
}

/** DELETE /guilds/{guild.id}/members/{user.id}/roles/{role.id}. */
export async function removeMemberRole(
  bot: DiscordBotClient,
  guildId: string,
  userId: string,
  roleId: string,
): Promise<RESTDeleteAPIGuildMemberRoleResult> {
  await bot.request(
    "DELETE",
    path<"guildMemberRole">(`/guilds/${id(guildId)}/members/${id(userId)}/roles/${id(roleId)}`),
  );
}

/** GET /applications/{application.id}/commands. */
export function listCommands(
  bot: DiscordBotClient,
  applicationId: string,
): Promise<RESTGetAPIApplicationCommandsResult> {
  return bot.request(
    "GET",
    path<"applicationCommands">(`/applications/${id(applicationId)}/commands`),
  ) as Promise<RESTGetAPIApplicationCommandsResult>;
}

/** PUT /applications/{application.id}/commands: the bulk overwrite. */
export function overwriteCommands(
  bot: DiscordBotClient,
  applicationId: string,
  commands: RESTPutAPIApplicationCommandsJSONBody,
): Promise<RESTPutAPIApplicationCommandsResult> {
  return bot.request("PUT", path<"applicationCommands">(`/applications/${id(applicationId)}/commands`), {
    json: commands,
  }) as Promise<RESTPutAPIApplicationCommandsResult>;
}

/** GET /applications/{application.id}/emojis. */
export function listEmojis(bot: DiscordBotClient, applicationId: string): Promise<RESTGetAPIApplicationEmojisResult> {
  return bot.request(
    "GET",
    path<"applicationEmojis">(`/applications/${id(applicationId)}/emojis`),
  ) as Promise<RESTGetAPIApplicationEmojisResult>;
}

/** POST /applications/{application.id}/emojis: `image` is a data URI (PNG, GIF, WebP ≤ 256 KiB). */
export function createEmoji(
  bot: DiscordBotClient,
  applicationId: string,
  body: RESTPostAPIApplicationEmojiJSONBody,
): Promise<RESTPostAPIApplicationEmojiResult> {
  return bot.request("POST", path<"applicationEmojis">(`/applications/${id(applicationId)}/emojis`), {
    json: body,
  }) as Promise<RESTPostAPIApplicationEmojiResult>;
}

/** DELETE /applications/{application.id}/emojis/{emoji.id}. */
export async function deleteEmoji(
  bot: DiscordBotClient,
  applicationId: string,
  emojiId: string,
): Promise<RESTDeleteAPIApplicationEmojiResult> {
  await bot.request("DELETE", path<"applicationEmoji">(`/applications/${id(applicationId)}/emojis/${id(emojiId)}`));
}

/** POST /applications/{application.id}/entitlements/{entitlement.id}/consume: a one-time purchase used up. */
export async function consumeEntitlement(
  bot: DiscordBotClient,
  applicationId: string,
  entitlementId: string,
): Promise<RESTPostAPIEntitlementConsumeResult> {
  await bot.request(
    "POST",
    path<"consumeEntitlement">(`/applications/${id(applicationId)}/entitlements/${id(entitlementId)}/consume`),
  );
}

/** POST /applications/{application.id}/entitlements: a test entitlement (owner_type 1 guild, 2 user). */
export function createTestEntitlement(
  bot: DiscordBotClient,
  applicationId: string,
  body: RESTPostAPIEntitlementJSONBody,
): Promise<RESTPostAPIEntitlementResult> {
  return bot.request("POST", path<"entitlements">(`/applications/${id(applicationId)}/entitlements`), {
    json: body,
  }) as Promise<RESTPostAPIEntitlementResult>;
}

/** DELETE /applications/{application.id}/entitlements/{entitlement.id}: test entitlements only. */
export async function deleteTestEntitlement(
  bot: DiscordBotClient,
  applicationId: string,
  entitlementId: string,
): Promise<RESTDeleteAPIEntitlementResult> {
  await bot.request(
    "DELETE",
    path<"entitlement">(`/applications/${id(applicationId)}/entitlements/${id(entitlementId)}`),
  );
}

/** GET /applications/{application.id}/skus. */
export function listSkus(bot: DiscordBotClient, applicationId: string): Promise<RESTGetAPISKUsResult> {
  return bot.request("GET", path<"skus">(`/applications/${id(applicationId)}/skus`)) as Promise<RESTGetAPISKUsResult>;
}

/** GET /skus/{sku.id}/subscriptions?user_id=…. */
export function listSubscriptions(
  bot: DiscordBotClient,
  skuId: string,
  query: RESTGetAPISKUSubscriptionsQuery,
): Promise<RESTGetAPISKUSubscriptionsResult> {
  return bot.request(
    "GET",
    `${path<"skuSubscriptions">(`/skus/${id(skuId)}/subscriptions`)}?${new URLSearchParams(query as Record<string, string>)}`,
  ) as Promise<RESTGetAPISKUSubscriptionsResult>;
}
