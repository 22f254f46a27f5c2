/**
 * What a job sees while it runs: the interaction, the checked config, a signal that aborts when its budget runs
 * out, and the interaction's webhook for messages besides the final one. Follow-ups (public or ephemeral) can be
 * sent, edited and deleted; @original can be edited to show progress. The final edit stays the runner's: it
 * happens exactly once, after the job returns, with the job's result or a readable error.
 */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { DiscordRestClient, SentMessage } from "../discord/rest.ts";
import { MessageFlags, messageProblem } from "../discord/responses.ts";
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

/** Follow-ups and progress edits are user-visible messages too: same checks, mentions off unless asked for. */
function checked(final: FinalMessage, ephemeral: boolean): FinalMessage {
  const data = { allowed_mentions: { parse: [] }, ...final.data } as MessageData;
  if (ephemeral) data.flags = (data.flags ?? 0) | MessageFlags.Ephemeral;
  const problem = messageProblem(data as Record<string, unknown>);
  if (problem) throw new Error(`deferred(follow-up): the message is invalid: ${problem}`);
  return { ...final, data };
}

export class JobTaskContext implements TaskContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  readonly signal: AbortSignal;
  readonly #rest: DiscordRestClient;

  constructor(interaction: Interaction, env: Env, config: Config, signal: AbortSignal, rest: DiscordRestClient) {
    this.interaction = interaction;
    this.env = env;
    this.config = config;
    this.signal = signal;
    this.#rest = rest;
  }

  followUp(message: string | MessageData | FinalMessage, options: { ephemeral?: boolean } = {}): Promise<SentMessage> {
    return this.#rest.createFollowupMessage(this.interaction.token, checked(asFinal(message), options.ephemeral ?? false));
  }

  editFollowUp(messageId: string, message: string | MessageData | FinalMessage): Promise<SentMessage> {
    return this.#rest.editFollowupMessage(this.interaction.token, messageId, checked(asFinal(message), false));
  }

  deleteFollowUp(messageId: string): Promise<void> {
    return this.#rest.deleteFollowupMessage(this.interaction.token, messageId);
  }

  async progress(message: string | MessageData): Promise<void> {
    await this.#rest.editOriginalResponse(this.interaction.token, checked(asFinal(message), false));
  }
}
