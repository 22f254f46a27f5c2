/**
 * The platform's one public door. Bot code (src/worker/app/**) imports the platform only from here (and the
 * contracts in src/shared/); the platform imports nothing from the bot. What is exported here is the kit's declared
 * API, which the bot may rely on; everything else under kit/ may change freely. test/node/boundary.test.ts enforces
 * both rules, naming the offending import.
 *
 * The entry (src/worker/index.ts) composes the two: the bot's modules, event modules, after-steps and message
 * catalogue go to the registry; the platform's ingress, engine and queue consumer serve them.
 */

// ── Command modules: definitions, typed contexts, the module list ────────────────────────────────────────────────
export {
  CommandType,
  EntryPointHandler,
  EVERYWHERE,
  IntegrationType,
  InteractionContext,
  OptionType,
  SERVER_ONLY,
  entryPointCommand,
  messageCommand,
  slashCommand,
  userCommand,
} from "./dispatch/definitions.ts";
export { option } from "./dispatch/option-builders.ts";
export type {
  CommandDefinition,
  MessageCommandDefinition,
  OptionsOf,
  SlashDefinition,
  UserCommandDefinition,
} from "./dispatch/definitions.ts";
export type {
  AutocompleteContext,
  BaseContext,
  CommandContext,
  CommandModule,
  ComponentContext,
  HandlerResult,
  MaybePromise,
  ModalContext,
  SubcommandContext,
  Subcommands,
} from "./dispatch/types.ts";
export { defineModule } from "./dispatch/types.ts";
export { createRegistry, listModules, RegistryError } from "./dispatch/registry.ts";
export type { Registry, RegistryOptions } from "./dispatch/registry.ts";
export { checkModules } from "./dispatch/module-checks.ts";
export { componentState, customId, CustomIdError, parseCustomId } from "./dispatch/custom-id.ts";
export type { ComponentState, ParsedCustomId } from "./dispatch/custom-id.ts";
export { modalForm } from "./dispatch/modal-form.ts";
export type { ModalFields } from "./dispatch/modal-fields.ts";
export { InteractionType, isUserInstallOnly } from "./dispatch/interaction.ts";
export type { ContextType, Interaction, IntegrationOwners } from "./dispatch/interaction.ts";
export type {
  Attachment,
  ResolvedChannel,
  ResolvedMember,
  ResolvedMessage,
  ResolvedRole,
  ResolvedUser,
} from "./dispatch/resolved.ts";

// ── Middleware ───────────────────────────────────────────────────────────────────────────────────────────────────
export { defineMiddleware } from "./dispatch/middleware.ts";
export type { AfterEvent, Middleware, MiddlewareOutcome } from "./dispatch/middleware.ts";

// ── Deferred work: jobs and their task context ───────────────────────────────────────────────────────────────────
export { DELETE_ORIGINAL, FollowUpLimitError, job, TaskClosedError } from "./engine/index.ts";
export type { Job, JobResult, Jobs, TaskContext } from "./engine/index.ts";

// ── Responses and components ─────────────────────────────────────────────────────────────────────────────────────
export {
  autocompleteChoices,
  ephemeral,
  launchActivity,
  Limits,
  MessageFlags,
  reply,
  ResponseError,
  showModal,
  update,
} from "./discord/responses.ts";
export type { Choice, ImmediateResponse, MessageData } from "./discord/responses.ts";
export type { FileUpload, FinalMessage } from "./discord/messages.ts";
export {
  actionRow,
  button,
  ButtonStyle,
  ComponentError,
  ComponentType,
  labelled,
  linkButton,
  premiumButton,
  stringSelect,
  textInput,
  TextInputStyle,
} from "./discord/components.ts";
export {
  container,
  file,
  layoutMessage,
  mediaGallery,
  section,
  separator,
  SeparatorSpacing,
  textDisplay,
  thumbnail,
} from "./discord/layout.ts";
export {
  channelSelect,
  checkbox,
  checkboxGroup,
  fileUpload,
  mentionableSelect,
  radioGroup,
  roleSelect,
  userSelect,
} from "./discord/modal-inputs.ts";
export { poll, PollLimits } from "./discord/poll.ts";
export type { PollInput } from "./discord/poll.ts";
export { createInteractionResponse, InteractionCallbackError } from "./discord/interaction-callback.ts";
export { adminScope, hasPermission, Permission, scopeGuild } from "./discord/permissions.ts";
export type { AdminScope } from "./discord/permissions.ts";
export { snowflakeTime } from "./discord/snowflake.ts";

// ── Discord's REST API with the bot token (scheduled posts, DMs, roles …) ───────────────────────────────────────
export { DiscordBotClient } from "./discord/bot-rest.ts";
export {
  addMemberRole,
  addReaction,
  consumeEntitlement,
  createDM,
  createEmoji,
  createTestEntitlement,
  deleteEmoji,
  deleteMessage,
  deleteOwnReaction,
  deleteTestEntitlement,
  editMessage,
  getMember,
  listCommands,
  listEmojis,
  listSkus,
  listSubscriptions,
  overwriteCommands,
  pinMessage,
  removeMemberRole,
  startThread,
  startThreadFromMessage,
  unpinMessage,
} from "./discord/bot-routes.ts";
export type { RateLimits } from "./discord/rate-limits.ts";

// ── Webhook Events ───────────────────────────────────────────────────────────────────────────────────────────────
export { listEventModules } from "./dispatch/event-registry.ts";
export type { EventContext, EventModule, EventRegistry } from "./dispatch/event-registry.ts";
export type { Authorization, Entitlement, HandledEventName } from "./dispatch/webhook-event.ts";

// ── Messages in the user's language ──────────────────────────────────────────────────────────────────────────────
export { defineMessages } from "./i18n/messages.ts";
export type { MessageKey, Messages, Register, Translate, Translation } from "./i18n/messages.ts";
export type { ImportModule } from "./i18n/translators.ts";

// ── Configuration, logs, storage deadlines, the backend relay ────────────────────────────────────────────────────
export { ConfigError, readConfig, requireRelay } from "./config.ts";
export type { Config } from "./config.ts";
export type { Env } from "./env.ts";
export { describeError, errorFields, log } from "./log.ts";
export type { LogFields } from "./log.ts";
export { StorageTimeoutError, withStorageTimeout } from "./storage/deadline.ts";
// ── Usage counters: what users do, counted per minute and route (per hour and server) ───────────────────────────
export { quantileMs, readUsage } from "./analytics/read-usage.ts";
export type { CounterRow } from "./analytics/cells.ts";
export { prunePlatformRecords } from "./storage/retention.ts";
export { relayJob, RelayError } from "./relay/client.ts";
export { scaled } from "./timing.ts";
export { base64ToBytes } from "./base64.ts";
export { errorResponse, jsonResponse, pathOf } from "./http.ts";
export { isObject } from "./json.ts";

// ── The Workers' entry points (src/worker/index.ts and src/worker/services.ts compose them) ───────────────────────
export { handleInteractionRequest } from "./ingress/handle-interactions.ts";
export { forwardEventRequest } from "./ingress/forward-events.ts";
export { handleEventRequest } from "./ingress/handle-events.ts";
export { handleQueue } from "./engine/queue-consumer.ts";
