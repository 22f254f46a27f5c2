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
import { translator, type Translate } from "../i18n/messages.ts";
import { isUserInstallOnly, type Interaction } from "../dispatch/interaction.ts";

/**
 * Discord's cap on follow-ups for an app only the user installed where it runs. discord-api-docs,
 * developers/interactions/receiving-and-responding, "Create Followup Message": "Apps are limited to 5 followup
 * messages per interaction if it was initiated from a user-installed app and isn't installed in the server
 * (meaning the authorizing integration owners object only contains USER_INSTALL)". A 6th gets error 40094
 * ("This interaction has hit the maximum number of follow up messages"); refusing it here says why, with the
 * module's name, instead of a bare API error.
 */
const USER_INSTALL_FOLLOW_UP_LIMIT = 5;

/** A job asked for more follow-ups than Discord allows this interaction; the runner still makes the final edit. @public */
export class FollowUpLimitError extends Error {
  override readonly name = "FollowUpLimitError";
}

export interface TaskContext {
  readonly interaction: Interaction;
  readonly env: Env;
  readonly config: Config;
  /** Aborted when the job's budget runs out (waitUntil work is cancelled about 30 s after the response). */
  readonly signal: AbortSignal;
  /** A sentence of the message catalogue in the user's locale (as `ctx.t` in handlers). */
  readonly t: Translate;
  /**
   * Sends a follow-up message; `ephemeral` shows it to the user who ran the command only. Where only the user's
   * install authorised the interaction, the 6th follow-up is refused (FollowUpLimitError), as Discord would.
   */
  followUp(message: string | MessageData | FinalMessage, options?: { ephemeral?: boolean }): Promise<SentMessage>;
  editFollowUp(messageId: string, message: string | MessageData | FinalMessage): Promise<SentMessage>;
  deleteFollowUp(messageId: string): Promise<void>;
  /** Edits @original before the job finishes (progress); the final edit still follows when the job returns. */
  progress(message: string | MessageData): Promise<void>;
  /**
   * Schedules work (a cache write, a counter) to run after the final edit, so the user never waits for it. It
   * runs whatever the job's outcome, in either relay mode; a failure is logged with the interaction id.
   */
  after(name: string, task: () => Promise<void>): void;
}

/** Work a job scheduled with `after`. */
export interface AfterTask {
  readonly name: string;
  readonly task: () => Promise<void>;
}

function asFinal(message: string | MessageData | FinalMessage): FinalMessage {
  if (typeof message === "string") return { data: { content: message } };
  return "data" in message && typeof message.data === "object" && message.data !== null ? (message as FinalMessage) : { data: message as MessageData };
}

/**
 * Follow-ups and progress edits are user-visible messages too: same checks (the REST client turns mentions off).
 * `v2`: the message being edited already has IS_COMPONENTS_V2 (it cannot be removed, so the edit must follow its
 * rules).
 */
function checked(final: FinalMessage, ephemeral: boolean, v2 = false): FinalMessage {
  const data = { ...final.data } as MessageData;
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
  /** Follow-ups asked for so far; counted when asked, so concurrent calls cannot slip past the limit. */
  #followUps = 0;

  /** What `after` scheduled: the runner's list, run once the final edit is out (runAfterTasks in run-deferred.ts). */
  readonly #after: AfterTask[];

  constructor(interaction: Interaction, env: Env, config: Config, signal: AbortSignal, rest: DiscordRestClient, originalIsV2 = false, after: AfterTask[] = []) {
    this.originalIsV2 = originalIsV2;
    this.interaction = interaction;
    this.env = env;
    this.config = config;
    this.signal = signal;
    this.#rest = rest;
    this.#after = after;
  }

  get t(): Translate {
    return translator(this.interaction.locale);
  }

  async followUp(message: string | MessageData | FinalMessage, options: { ephemeral?: boolean } = {}): Promise<SentMessage> {
    const final = checked(asFinal(message), options.ephemeral ?? false);
    if (++this.#followUps > USER_INSTALL_FOLLOW_UP_LIMIT && isUserInstallOnly(this.interaction)) {
      throw new FollowUpLimitError(
        `deferred(follow-up): follow-up ${this.#followUps} refused: Discord allows ${USER_INSTALL_FOLLOW_UP_LIMIT} per interaction when only the user's install authorised it; put the rest in the final message`,
      );
    }
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

  after(name: string, task: () => Promise<void>): void {
    this.#after.push({ name, task });
  }
}
