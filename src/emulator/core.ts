// The emulator without its Node adapter: safe to import inside workerd (Worker tests) and in a browser.
// Re-exports only; index.ts adds startDiscordEmulator for Node.

export { createDiscordEmulator, type DiscordEmulator, type EmulatorOptions, type InlineResult } from "./app.ts";
export { fault, type FaultSpec } from "./faults.ts";
export type { EnforcementOptions, RateLimitStats, SharedRule } from "./enforce.ts";
export type { CallFilter, Conversation } from "./conversation.ts";
export type {
  AppEventRecord,
  EmulatedSku,
  EmulatorState,
  RecordedCall,
  StoredAttachment,
  StoredCommand,
  StoredFile,
  StoredMessage,
  PostedMessage,
  CallbackRecord,
  Invocation,
  SendRecord,
} from "./state.ts";
export { DEFAULT_APPLICATION_ID, DEFAULT_ATTACHMENT_SIZE_LIMIT } from "./state.ts";
export { snowflake, snowflakeDate, isSnowflake } from "./snowflake.ts";
export {
  generateDevKeyPair,
  keyPairFromSeed,
  importPrivateKey,
  signInteraction,
  type DevKeyPair,
  type SignatureHeaders,
} from "./signer.ts";
export {
  buildInteraction,
  buildUserCommandInteraction,
  buildMessageCommandInteraction,
  userCommandData,
  messageCommandData,
  completeUser,
  botUser,
  sendInteraction,
  interactionToken,
  failureText,
  INTERACTION_TYPES,
  COMMAND_TYPES,
  MEMBER_PERMISSIONS,
  APP_PERMISSIONS,
  ADMINISTRATOR,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  DEFAULT_USER,
  CONTEXTS,
  BOT_DM_CHANNEL_ID,
  GROUP_DM_CHANNEL_ID,
  CHANNEL_OF_CONTEXT,
  FRIEND,
  type InteractionContext,
  type BuildInteractionOptions,
  type ContextMenuCommand,
  type ContextMenuOptions,
  type UserTarget,
  type InteractionPayload,
  type InteractionUser,
  type SendOptions,
  type SendResult,
} from "./signed-interactions.ts";
export {
  webhookEvent,
  webhookPing,
  authorizedData,
  deauthorizedData,
  testEntitlement,
  eventTimestamp,
  deliverWebhookEvent,
  ENTITLEMENT_TYPES,
  INTEGRATION_TYPES,
  WEBHOOK_TYPES,
  type EmulatedEntitlement,
  type WebhookEventBody,
  type EventDelivery,
} from "./app-events.ts";
export type { AppActionResult } from "./app-actions.ts";
export { DEFAULT_CHANNEL_ID, INITIAL_RESPONSE_DEADLINE_MS, TOKEN_LIFETIME_MS } from "./registry.ts";
export { CALLBACK_TYPES } from "./callback-types.ts";
export { MESSAGE_FLAGS } from "./limits.ts";
export { renderPost } from "./messages.ts";
export { serverMembers, parsePostInput, TargetError, type PostInput, type PostResult } from "./channel.ts";
export {
  parseSendInput,
  type SendInput,
  type SendOutcome,
  type SendResult as PlaygroundSendResult,
  type WorkerTarget,
} from "./send.ts";
export {
  buildFeed,
  currentMessage,
  redactTokenPath,
  type FeedApp,
  type FeedSnapshot,
  type LogEntry,
  type TimelineItem,
  type TimelineMessage,
  type TimelineFailure,
  type TimelineActivity,
} from "./feed.ts";
export type { UploadInput, UploadResult } from "./uploads.ts";
export type { Asset, AssetLoader } from "./routes/playground.ts";
export { describeDiscordError } from "./errors.ts";
