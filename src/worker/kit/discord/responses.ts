/**
 * Builders for the initial interaction response (the body of our 200 to Discord). Each checks Discord's
 * limits as it builds, so a violation fails in the handler with a message naming the limit, instead of
 * Discord rejecting the response and the user seeing "This interaction failed".
 * `validateResponse` applies the same checks to whatever a handler returns, built here or not.
 */
import type {
  APIApplicationCommandOptionChoice,
  APIInteractionResponse,
  APIInteractionResponseCallbackData,
  APIModalInteractionResponseCallbackData,
} from "discord-api-types/v10";
import { isObject } from "../json.ts";
import { InteractionType, type InteractionTypeValue } from "./interaction-types.ts";
import { layoutProblem } from "./v2-rules.ts";
import { withDefaultMentions } from "./mentions.ts";
import { pollProblem } from "./poll.ts";

/** Discord caps a custom_id at 100 characters. */
export const MAX_CUSTOM_ID_LENGTH = 100;

/**
 * An answer given in the request. Deferred acknowledgements (types 5 and 6) are not among them: a handler defers
 * by naming a job (`ctx.defer`), so there is always work that ends in the final message.
 */
export type ImmediateResponse = Exclude<APIInteractionResponse, { type: 1 | 5 | 6 }>;

const ResponseType = {
  Pong: 1,
  Message: 4,
  DeferredMessage: 5,
  DeferredUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
  LaunchActivity: 12,
} as const;

export const MessageFlags = { SuppressEmbeds: 1 << 2, Ephemeral: 1 << 6, ComponentsV2: 1 << 15 } as const;

export const Limits = {
  content: 2000,
  embeds: 10,
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  actionRows: 5,
  rowButtons: 5,
  customId: MAX_CUSTOM_ID_LENGTH,
  modalTitle: 45,
  modalComponents: 5,
} as const;

export type MessageData = APIInteractionResponseCallbackData;
export type Choice = APIApplicationCommandOptionChoice;

/** @public Thrown by the builders for a response Discord would refuse. */
export class ResponseError extends Error {
  override readonly name = "ResponseError";
}

/** Which callback types Discord accepts for each interaction type. */
const ALLOWED: Record<InteractionTypeValue, readonly number[]> = {
  [InteractionType.Ping]: [ResponseType.Pong],
  // 12 (launch the app's Activity) answers a command or a component, as the emulator checks; Discord refuses it
  // for an app without Activities.
  [InteractionType.Command]: [
    ResponseType.Message,
    ResponseType.DeferredMessage,
    ResponseType.Modal,
    ResponseType.LaunchActivity,
  ],
  [InteractionType.Component]: [
    ResponseType.Message,
    ResponseType.DeferredMessage,
    ResponseType.DeferredUpdate,
    ResponseType.Update,
    ResponseType.Modal,
    ResponseType.LaunchActivity,
  ],
  [InteractionType.Autocomplete]: [ResponseType.Autocomplete],
  // 6 and 7 are valid only for modals opened from a component; Discord enforces the rest.
  [InteractionType.ModalSubmit]: [
    ResponseType.Message,
    ResponseType.DeferredMessage,
    ResponseType.DeferredUpdate,
    ResponseType.Update,
  ],
};

export function reply(data: string | MessageData): ImmediateResponse {
  const body = typeof data === "string" ? { content: data } : data;
  return checked({ type: ResponseType.Message, data: withDefaultMentions(body) });
}

export function ephemeral(data: string | MessageData): ImmediateResponse {
  const body = typeof data === "string" ? { content: data } : data;
  return checked({
    type: ResponseType.Message,
    data: withDefaultMentions({ ...body, flags: (body.flags ?? 0) | MessageFlags.Ephemeral }),
  });
}

/** Type 5: "thinking…" now, the message later (a PATCH of @original). */
export function deferReply(options: { ephemeral?: boolean } = {}): APIInteractionResponse {
  return options.ephemeral
    ? { type: ResponseType.DeferredMessage, data: { flags: MessageFlags.Ephemeral } }
    : { type: ResponseType.DeferredMessage };
}

/** Type 6: acknowledge a component; the message it is on is edited later. */
export function deferUpdate(): APIInteractionResponse {
  return { type: ResponseType.DeferredUpdate };
}

/** Type 7: edit the message the component is on, now. */
export function update(data: string | MessageData): ImmediateResponse {
  return checked({
    type: ResponseType.Update,
    data: withDefaultMentions(typeof data === "string" ? { content: data } : data),
  });
}

/**
 * Type 12: Discord opens the app's Activity for the user (only for apps with Activities enabled; others get
 * "This interaction failed"). Valid for a command or a component; there is no message.
 */
export function launchActivity(): ImmediateResponse {
  return { type: ResponseType.LaunchActivity };
}

/**
 * Type 9: opens a form. Named for what it does, apart from a module's `modal` export, which handles the form's
 * submit (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type).
 */
export function showModal(data: APIModalInteractionResponseCallbackData): ImmediateResponse {
  return checked({ type: ResponseType.Modal, data });
}

/** Type 8. More than 25 choices is a handler bug, reported as such rather than silently cut. */
export function autocompleteChoices(choices: readonly Choice[]): ImmediateResponse {
  return checked({ type: ResponseType.Autocomplete, data: { choices: [...choices] } });
}

/**
 * A message answer (type 4 or 7) as it is sent: mentions off unless the handler set `allowed_mentions`
 * (mentions.ts). The builders above apply it already; this covers an answer a handler wrote by hand.
 */
export function withMessageDefaults(response: APIInteractionResponse): APIInteractionResponse {
  if (
    (response.type !== ResponseType.Message && response.type !== ResponseType.Update) ||
    !isObject(response.data) ||
    response.data.allowed_mentions !== undefined
  )
    return response;
  return { ...response, data: withDefaultMentions(response.data) } as APIInteractionResponse;
}

function checked(response: ImmediateResponse): ImmediateResponse {
  const problem = describeLimitProblem(response);
  if (problem) throw new ResponseError(`discord(response): ${problem}`);
  return response;
}

/** Whether a message Discord sent us (a component's message) has IS_COMPONENTS_V2, which edits cannot remove. */
export function isComponentsV2(message: Record<string, unknown> | null): boolean {
  return typeof message?.flags === "number" && (message.flags & MessageFlags.ComponentsV2) !== 0;
}

/**
 * Null when `response` is a valid answer to an interaction of `interactionType`, else the problem. `v2Message`: the
 * component's message has IS_COMPONENTS_V2, so an update (type 7) of it must follow the V2 rules too.
 */
export function validateResponse(
  response: unknown,
  interactionType: InteractionTypeValue,
  v2Message = false,
): string | null {
  if (!isObject(response) || typeof response.type !== "number")
    return "a handler returned something that is not an interaction response";
  if (!ALLOWED[interactionType].includes(response.type)) {
    return `response type ${response.type} is not valid for interaction type ${interactionType}`;
  }
  return describeLimitProblem(
    response as unknown as APIInteractionResponse,
    v2Message && response.type === ResponseType.Update,
  );
}

function describeLimitProblem(response: APIInteractionResponse, v2Message = false): string | null {
  if (!("data" in response) || !isObject(response.data)) {
    return response.type === ResponseType.Message ||
      response.type === ResponseType.Update ||
      response.type === ResponseType.Modal ||
      response.type === ResponseType.Autocomplete
      ? `response type ${response.type} needs data`
      : null;
  }
  const data = response.data as Record<string, unknown>;
  if (response.type === ResponseType.Autocomplete) return choicesProblem(data.choices);
  if (response.type === ResponseType.Update && data.poll !== undefined)
    return "an update (type 7) cannot carry a poll; reply or follow up with it";
  if (response.type === ResponseType.Modal) return modalProblem(data);
  return messageProblem(data, v2Message);
}

/**
 * Null when `data` is a message Discord accepts, else the problem. `v2Message`: the message being edited already has
 * IS_COMPONENTS_V2, which can never be removed, so the edit is held to the same rules.
 */
export function messageProblem(data: Record<string, unknown>, v2Message = false): string | null {
  const v2 = v2Message || (typeof data.flags === "number" && (data.flags & MessageFlags.ComponentsV2) !== 0);
  if (v2) {
    // Empty content and embeds are allowed (and needed: they clear a legacy message being switched to V2).
    for (const field of ["content", "embeds", "poll", "sticker_ids"]) {
      const value = data[field];
      if (value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0)) {
        return `a Components V2 message (flag IS_COMPONENTS_V2) cannot have ${field}; put text in text displays`;
      }
    }
  }
  if (data.content !== undefined) {
    if (typeof data.content !== "string") return "content must be a string";
    if (data.content.length > Limits.content)
      return `content is ${data.content.length} characters; Discord allows ${Limits.content}`;
  }
  if (data.embeds !== undefined) {
    if (!Array.isArray(data.embeds)) return "embeds must be an array";
    if (data.embeds.length > Limits.embeds) return `${data.embeds.length} embeds; Discord allows ${Limits.embeds}`;
    const total = data.embeds.reduce<number>((sum, embed) => sum + embedTextLength(embed), 0);
    if (total > Limits.embedTotal) return `embeds hold ${total} characters; Discord allows ${Limits.embedTotal} in all`;
  }
  if (data.components !== undefined) {
    if (!Array.isArray(data.components)) return "components must be an array";
    if (!v2 && data.components.length > Limits.actionRows)
      return `${data.components.length} action rows; Discord allows ${Limits.actionRows}`;
    const problem = layoutProblem(data.components, v2 ? "v2" : "message");
    if (problem) return problem;
  }
  if (data.poll !== undefined) return pollProblem(data.poll);
  return null;
}

function modalProblem(data: Record<string, unknown>): string | null {
  if (typeof data.custom_id !== "string" || data.custom_id.length === 0) return "a modal needs a custom_id";
  if (data.custom_id.length > Limits.customId)
    return `modal custom_id is ${data.custom_id.length} characters; Discord allows ${Limits.customId}`;
  if (typeof data.title !== "string" || data.title.length === 0 || data.title.length > Limits.modalTitle)
    return `a modal needs a title of 1-${Limits.modalTitle} characters`;
  if (
    !Array.isArray(data.components) ||
    data.components.length < 1 ||
    data.components.length > Limits.modalComponents
  ) {
    return `a modal needs 1-${Limits.modalComponents} components`;
  }
  return layoutProblem(data.components, "modal");
}

function choicesProblem(choices: unknown): string | null {
  if (!Array.isArray(choices)) return "autocomplete choices must be an array";
  if (choices.length > Limits.choices)
    return `${choices.length} autocomplete choices; Discord allows ${Limits.choices}`;
  for (const choice of choices) {
    if (
      !isObject(choice) ||
      typeof choice.name !== "string" ||
      choice.name.length < 1 ||
      choice.name.length > Limits.choiceName
    ) {
      return `each choice needs a name of 1-${Limits.choiceName} characters`;
    }
  }
  return null;
}

function embedTextLength(embed: unknown): number {
  if (!isObject(embed)) return 0;
  let total = len(embed.title) + len(embed.description);
  if (isObject(embed.footer)) total += len(embed.footer.text);
  if (isObject(embed.author)) total += len(embed.author.name);
  if (Array.isArray(embed.fields)) for (const f of embed.fields) if (isObject(f)) total += len(f.name) + len(f.value);
  return total;
}

function len(value: unknown): number {
  return typeof value === "string" ? value.length : 0;
}
