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
import type { Translate, Translators } from "../i18n/messages.ts";
import { platformTranslator } from "../i18n/translators.ts";
import { isUserInstallOnly, type Interaction } from "../dispatch/interaction.ts";
import { log } from "../log.ts";

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
   * Sends a follow-up message; `ephemeral` shows it to the user who ran the command only. While @original still shows
   * "thinking…" (after a type-5 deferral, before any progress edit), the follow-up is held and sent right after the
   * final edit (or the next progress edit), so it can never replace "thinking…" (see JobTaskContext); the handle it
   * returns works with editFollowUp and deleteFollowUp. Where only the user's install authorised the interaction,
   * the 6th follow-up is refused (FollowUpLimitError), as Discord would. After the job's budget ran out, or once it
   * returned, every call here is refused (TaskClosedError).
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
  return "data" in message && typeof message.data === "object" && message.data !== null
    ? (message as FinalMessage)
    : { data: message as MessageData };
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

/**
 * Refused: the job's budget ran out, or the runner has begun the final edit. Whatever the job does after that must
 * not reach the user: "took too long" would be overwritten by a late "step 2 of 2…", a follow-up would arrive after
 * the answer. @public
 */
export class TaskClosedError extends Error {
  override readonly name = "TaskClosedError";
}

/**
 * A follow-up operation the engine holds until @original is resolved (see JobTaskContext): replayed in order, with
 * the handles it returned mapped to the ids Discord gives.
 */
export type HeldOperation =
  | { readonly kind: "post"; readonly handle: string; readonly message: FinalMessage }
  | { readonly kind: "edit"; readonly handle: string; readonly message: FinalMessage }
  | { readonly kind: "delete"; readonly handle: string };

const HELD_PREFIX = "held:";

/**
 * Discord's follow-up rule, built in: after a type-5 deferral, the first follow-up POSTed while @original still shows
 * "thinking…" *becomes* @original, with the deferral's visibility (an ephemeral note turns public), and the final
 * edit then overwrites it (discord-api-docs, receiving-and-responding, "Followup Messages"; discord.py documents the
 * same). The engine therefore HOLDS follow-ups until @original is resolved, rather than resolving @original first
 * with a filler text: the user then reads the result first and the note after it (what `/chart file:` wants), and
 * nothing interim appears. A held follow-up returns a handle (`{ id: "held:1", held: true }`) that editFollowUp and
 * deleteFollowUp accept; the operations are replayed in order once @original is resolved: right after a progress
 * edit, or right after the final edit. After a type-6 deferral there is no "thinking…" message, so nothing is held.
 */
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
  /** @original no longer shows "thinking…" (a type-6 ack, or a progress edit went out): follow-ups go out at once. */
  #originalResolved: boolean;
  readonly #held: HeldOperation[] = [];
  /** Held handles already replayed, to the ids Discord gave them. */
  readonly #sentIds = new Map<string, string>();
  #closed: string | null = null;
  /** Calls to Discord under way: the final edit waits for them, so it is the last thing the user sees change. */
  readonly #inFlight = new Set<Promise<unknown>>();

  /** What `after` scheduled: the runner's list, run once the final edit is out (runAfterTasks in run-deferred.ts). */
  readonly #after: AfterTask[];

  readonly #translator: Translators;

  constructor(
    interaction: Interaction,
    env: Env,
    config: Config,
    signal: AbortSignal,
    rest: DiscordRestClient,
    originalIsV2 = false,
    after: AfterTask[] = [],
    originalResolved = false,
    translator: Translators = platformTranslator,
  ) {
    this.#translator = translator;
    this.originalIsV2 = originalIsV2;
    this.interaction = interaction;
    this.env = env;
    this.config = config;
    this.signal = signal;
    this.#rest = rest;
    this.#after = after;
    this.#originalResolved = originalResolved;
  }

  get t(): Translate {
    return this.#translator(this.interaction.locale);
  }

  /** No more edits or follow-ups from the job (its budget ran out, or the final edit is next). */
  close(reason: string): void {
    this.#closed ??= reason;
  }

  /** Waits (at most `ms`) for the job's calls to Discord still under way. */
  async settle(ms: number): Promise<void> {
    if (this.#inFlight.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
    if (timer !== undefined) clearTimeout(timer);
  }

  /** What the job asked to send while @original showed "thinking…", to replay after the final edit. */
  takeHeld(): HeldOperation[] {
    return this.#held.splice(0);
  }

  #refuseIfClosed(action: string): void {
    const reason = this.#closed ?? (this.signal.aborted ? "its budget ran out" : null);
    if (reason === null) return;
    log("deferred.refused", { interaction_id: this.interaction.id, action, reason, level: "error" });
    throw new TaskClosedError(`deferred(${action}): refused: ${reason}`);
  }

  /** A handle of a follow-up still held (not yet replayed, so it has no Discord id). */
  #isHeld(messageId: string): boolean {
    return messageId.startsWith(HELD_PREFIX) && !this.#sentIds.has(messageId);
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const done = () => void this.#inFlight.delete(promise);
    promise.then(done, done);
    return promise;
  }

  async followUp(
    message: string | MessageData | FinalMessage,
    options: { ephemeral?: boolean } = {},
  ): Promise<SentMessage> {
    this.#refuseIfClosed("follow_up");
    const final = checked(asFinal(message), options.ephemeral ?? false);
    if (++this.#followUps > USER_INSTALL_FOLLOW_UP_LIMIT && isUserInstallOnly(this.interaction)) {
      throw new FollowUpLimitError(
        `deferred(follow-up): follow-up ${this.#followUps} refused: Discord allows ${USER_INSTALL_FOLLOW_UP_LIMIT} per interaction when only the user's install authorised it`,
      );
    }
    const sent = this.#originalResolved
      ? await this.#track(this.#rest.createFollowupMessage(this.interaction.token, final))
      : { id: `${HELD_PREFIX}${this.#followUps}`, held: true };
    if (sent.held) this.#held.push({ kind: "post", handle: sent.id, message: final });
    if (isComponentsV2(final.data as Record<string, unknown>)) this.#v2FollowUps.add(sent.id);
    return sent;
  }

  async editFollowUp(messageId: string, message: string | MessageData | FinalMessage): Promise<SentMessage> {
    this.#refuseIfClosed("edit_follow_up");
    const final = checked(asFinal(message), false, this.#v2FollowUps.has(messageId));
    if (this.#isHeld(messageId)) {
      this.#held.push({ kind: "edit", handle: messageId, message: final });
      return { id: messageId, held: true };
    }
    return this.#track(
      this.#rest.editFollowupMessage(this.interaction.token, this.#sentIds.get(messageId) ?? messageId, final),
    );
  }

  async deleteFollowUp(messageId: string): Promise<void> {
    this.#refuseIfClosed("delete_follow_up");
    if (this.#isHeld(messageId)) {
      this.#held.push({ kind: "delete", handle: messageId });
      return;
    }
    await this.#track(
      this.#rest.deleteFollowupMessage(this.interaction.token, this.#sentIds.get(messageId) ?? messageId),
    );
  }

  async progress(message: string | MessageData): Promise<void> {
    this.#refuseIfClosed("progress");
    const final = checked(asFinal(message), false, this.originalIsV2);
    await this.#track(this.#rest.editOriginalResponse(this.interaction.token, final));
    if (isComponentsV2(final.data as Record<string, unknown>)) this.originalIsV2 = true;
    if (!this.#originalResolved) {
      // @original shows the progress now: what was held may go out, in order, before anything asked later.
      this.#originalResolved = true;
      const held = this.takeHeld();
      if (held.length > 0) await this.#track(replayHeld(this.#rest, this.interaction.token, held, this.#sentIds));
    }
  }

  after(name: string, task: () => Promise<void>): void {
    this.#after.push({ name, task });
  }
}

/**
 * Sends held follow-up operations in order, once @original is resolved. `ids` collects handle → Discord id (an edit
 * or delete of a held follow-up needs it). Throws the first failure; what follows it is not sent.
 */
export async function replayHeld(
  rest: DiscordRestClient,
  token: string,
  held: readonly HeldOperation[],
  ids = new Map<string, string>(),
): Promise<void> {
  for (const op of held) {
    if (op.kind === "post") {
      const sent = await rest.createFollowupMessage(token, op.message);
      if (typeof sent?.id === "string") ids.set(op.handle, sent.id);
      continue;
    }
    const id = ids.get(op.handle);
    if (id === undefined) continue; // its post failed or never happened: nothing to change
    if (op.kind === "edit") await rest.editFollowupMessage(token, id, op.message);
    else await rest.deleteFollowupMessage(token, id);
  }
}
