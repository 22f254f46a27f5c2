/**
 * What a job sees while it runs: the interaction, the checked config, a signal that aborts when its budget runs
 * out, and the interaction's webhook for messages besides the final one. Follow-ups (public or ephemeral) can be
 * sent, edited and deleted; @original can be edited to show progress. The final edit stays the runner's: it
 * happens exactly once, after the job returns, with the job's result or a readable error.
 */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { DiscordRestClient, SentMessage } from "../discord/rest.ts";
import { isComponentsV2, MessageFlags, messageProblem } from "../discord/responses.ts";
import type { FinalMessage, MessageData } from "../discord/messages.ts";
import type { Interaction } from "./interaction.ts";

export interface TaskContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  /** Aborted when the job's budget runs out (waitUntil work is cancelled about 30 s after the response). */
  readonly signal: AbortSignal;
  /** Sends a follow-up message; `ephemeral` shows it to the user who ran the command only. */
  followUp(message: string | MessageData | FinalMessage, options?: { ephemeral?: boolean }): Promise<SentMessage>;
  editFollowUp(messageId: string, message: string | MessageData | FinalMessage): Promise<SentMessage>;
  deleteFollowUp(messageId: string): Promise<void>;
  /** Edits @original before the job finishes (progress); the final edit still follows when the job returns. */
  progress(message: string | MessageData): Promise<void>;
}

function asFinal(message: string | MessageData | FinalMessage): FinalMessage {
  if (typeof message === "string") return { data: { content: message } };
  return "data" in message && typeof message.data === "object" && message.data !== null ? (message as FinalMessage) : { data: message as MessageData };
}

/**
 * Follow-ups and progress edits are user-visible messages too: same checks, mentions off unless asked for. `v2`: the
 * message being edited already has IS_COMPONENTS_V2 (it cannot be removed, so the edit must follow its rules).
 */
function checked(final: FinalMessage, ephemeral: boolean, v2 = false): FinalMessage {
  const data = { allowed_mentions: { parse: [] }, ...final.data } as MessageData;
  if (ephemeral) data.flags = (data.flags ?? 0) | MessageFlags.Ephemeral;
  const problem = messageProblem(data as Record<string, unknown>, v2);
  if (problem) throw new Error(`deferred(follow-up): the message is invalid: ${problem}`);
  return { ...final, data };
}

export class JobTaskContext implements TaskContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  readonly signal: AbortSignal;
  readonly #rest: DiscordRestClient;
  /** Follow-ups sent with IS_COMPONENTS_V2: their edits must keep to V2. */
  readonly #v2FollowUps = new Set<string>();
  /**
   * @original has IS_COMPONENTS_V2: the component's message had it (after a type-6 defer) or a progress edit set it.
   * The final edit, and the runner's error edit, must then be V2 messages too.
   */
  originalIsV2: boolean;

  constructor(interaction: Interaction, env: Env, config: Config, signal: AbortSignal, rest: DiscordRestClient, originalIsV2 = false) {
    this.originalIsV2 = originalIsV2;
    this.interaction = interaction;
    this.env = env;
    this.config = config;
    this.signal = signal;
    this.#rest = rest;
  }

  async followUp(message: string | MessageData | FinalMessage, options: { ephemeral?: boolean } = {}): Promise<SentMessage> {
    const final = checked(asFinal(message), options.ephemeral ?? false);
    const sent = await this.#rest.createFollowupMessage(this.interaction.token, final);
    if (isComponentsV2(final.data as Record<string, unknown>) && typeof sent?.id === "string") this.#v2FollowUps.add(sent.id);
    return sent;
  }

  editFollowUp(messageId: string, message: string | MessageData | FinalMessage): Promise<SentMessage> {
    return this.#rest.editFollowupMessage(this.interaction.token, messageId, checked(asFinal(message), false, this.#v2FollowUps.has(messageId)));
  }

  deleteFollowUp(messageId: string): Promise<void> {
    return this.#rest.deleteFollowupMessage(this.interaction.token, messageId);
  }

  async progress(message: string | MessageData): Promise<void> {
    const final = checked(asFinal(message), false, this.originalIsV2);
    await this.#rest.editOriginalResponse(this.interaction.token, final);
    if (isComponentsV2(final.data as Record<string, unknown>)) this.originalIsV2 = true;
  }
}
