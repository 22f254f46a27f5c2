/**
 * The queue consumer (RELAY_MODE=queue): finishes deferred interactions with retries that survive isolate
 * eviction and outlast waitUntil's 30 s. Per message:
 *   1. a job already finished (its record, job-record.ts, says done) is acknowledged, not redone (Queues deliver at
 *      least once);
 *   2. a job whose result is stored (its delivery failed before) is delivered from the store: the job, its backend
 *      call and its follow-ups never run twice (stored-result.ts);
 *   3. otherwise the named job of the interaction's module runs from the queued input, within its budget (the handler
 *      does not run again: it ran once, at ingress);
 *   4. a failure another attempt may fix is retried: a job that never reached its backend or was refused as busy
 *      (the error's own `retriable`), or a final edit Discord failed (5xx, 429, unreachable: the result is stored
 *      first). Not on the last attempt, nor when the token would expire first;
 *   5. otherwise exactly one final edit is made, result or error, and the job is recorded as done.
 *
 * The user is never left in silence while the queue retries (issue 21): before the first retry of a job, @original
 * gets ONE status edit in the user's language ("still trying; the answer within N minutes", user-messages.ts), then
 * the final edit follows. The schedule, attempt n (1-based) running at the earliest after
 *     retryDelaySeconds(1) + … + retryDelaySeconds(n − 1) = 2 + 4 + 8 + 16 s,
 * with MAX_ATTEMPTS = 5 and each attempt bounded by the job's budget (21 s) and the final edit's deadline (28 s):
 * the status within seconds of the first failure, the final message at the latest ≈ 30 s + 5 × 28 s ≈ 3 min after
 * the first attempt, far inside the token's 15 minutes; a delivery retry waits at least Discord's `retry_after`. The
 * engine's deadline is the token's: no retry is scheduled that would start within TOKEN_MARGIN_MS of its expiry.
 * Every consumed job ends in a final message and one final log line, including one that can no longer run (a deploy
 * renamed the command or the job, the job refuses its input).
 *
 * Storage is a guard against duplicates, never a gate on the user's message: when D1 is down or slow the
 * record's check counts as "not done" (a redelivery may then edit @original a second time with the same
 * result) and a failed record is logged; the edit goes out either way.
 *
 * Messages of a batch run concurrently, a few at a time, so one slow job (a 20 s backend call) does not hold
 * the others back; each is settled on its own, and one failing or crashing never fails the batch. The
 * dead-letter queue (messages the consumer crashed on every time) gets a last error edit and a log line.
 */
import { readConfig, type Config } from "../config.ts";
import { parseCustomId } from "../dispatch/custom-id.ts";
import { InteractionType, parseInteraction, type Interaction } from "../dispatch/interaction.ts";
import type { Registry } from "../dispatch/registry.ts";
import { isComponentsV2 } from "../discord/responses.ts";
import { DiscordApiError, type DiscordRestClient } from "../discord/rest.ts";
import {
  deliverFinal,
  executeJob,
  logDeferred,
  restFor,
  runAfterTasks,
  FINAL_EDIT_DEADLINE_MS,
  type JobCall,
} from "./run-deferred.ts";
import { reviveResult, serialiseResult, type ReadyResult } from "./stored-result.ts";
import { errorMessage, statusMessage } from "./user-messages.ts";
import type { CommandModule } from "../dispatch/types.ts";
import { snowflakeTime } from "../discord/snowflake.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log, newReference } from "../log.ts";
import { withStorageTimeout } from "../storage/deadline.ts";
import { advanceJob, readJobState } from "./job-record.ts";
import { countJobEnd } from "../analytics/record.ts";
import { isJobMessage, type JobMessage } from "./queue-message.ts";
import { scaled } from "../timing.ts";

/** Attempts before the consumer makes the final (error) edit itself; wrangler's max_retries is set above it. */
export const MAX_ATTEMPTS = 5;
/**
 * Messages of one batch in flight at once. Each mostly waits on the backend and Discord, so a few at a time
 * hide one slow job; more would only add simultaneous connections (Workers allow 6 per invocation).
 */
const BATCH_CONCURRENCY = 4;
/** Interaction tokens accept edits for 15 minutes; stop retrying with this much margin left. */
// Literals, not 15 * 60_000: esbuild keeps a computed constant in every bundle that imports the kit's door, the
// interactions Worker's included, where the consumer does not run.
const TOKEN_LIFETIME_MS = 900_000; // 15 minutes
const TOKEN_MARGIN_MS = 120_000; // 2 minutes

export function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 2 ** attempts);
}

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, registry: Registry): Promise<void> {
  const config = readConfig(env);
  const deadLetter = batch.queue.endsWith("-dlq");
  await forEachBounded(batch.messages, BATCH_CONCURRENCY, async (message) => {
    try {
      if (deadLetter) await finishDeadLetter(message, env, config, registry);
      else await processMessage(message, env, config, registry);
    } catch (error) {
      // A bug: retry this message alone; the rest of the batch is unaffected.
      log("queue.message_failed", {
        queue: batch.queue,
        message_id: message.id,
        attempts: message.attempts,
        outcome: "error",
        ...errorFields(error),
      });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  });
}

/** Runs `work` over `items` with at most `limit` in flight; resolves when all have settled. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The job and its interaction, with the user's language loaded (i18n/translators.ts) for the job and its messages. */
async function parseJob(
  message: Message<unknown>,
  registry: Registry,
): Promise<{ job: JobMessage; interaction: Interaction } | null> {
  if (!isJobMessage(message.body)) return null;
  const parsed = parseInteraction(new TextEncoder().encode(JSON.stringify(message.body.interaction)));
  if (!parsed.ok || !parsed.interaction.token) return null;
  await registry.loadTranslations(parsed.interaction.locale);
  return { job: message.body, interaction: parsed.interaction };
}

/**
 * What the job's record says: finished ("done"), a result stored for delivery, or nothing to go by (only claimed, or
 * no record). A failing or slow D1 answers "nothing": redoing beats never doing.
 */
async function jobState(
  env: Env,
  interaction: Interaction,
  message: Message<unknown>,
): Promise<{ done: true } | { stored: ReadyResult } | null> {
  if (!env.DB) return null;
  try {
    const state = await withStorageTimeout(readJobState(env.DB, interaction.id), "deferred_jobs.check");
    if (state === null || state.state === "claimed") return null;
    if (state.state === "done") return { done: true };
    const stored = state.result === null ? null : reviveResult(state.result);
    return stored ? { stored } : null;
  } catch (error) {
    log("queue.storage_unavailable", {
      interaction_id: interaction.id,
      message_id: message.id,
      step: "check",
      level: "error",
      error: describeError(error),
      effect: "running the job without duplicate check",
    });
    return null;
  }
}

/** Keeps a finished job's result for the delivery retry; on failure the retry runs the job again (logged). */
async function storeResult(
  env: Env,
  interaction: Interaction,
  result: ReadyResult,
  message: Message<unknown>,
): Promise<void> {
  if (!env.DB) return;
  try {
    await withStorageTimeout(
      advanceJob(env.DB, interaction.id, "result_ready", null, serialiseResult(result), message.attempts),
      "deferred_jobs.store",
    );
  } catch (error) {
    log("queue.storage_unavailable", {
      interaction_id: interaction.id,
      message_id: message.id,
      step: "store",
      level: "error",
      error: describeError(error),
      effect: "the retry reruns the job",
    });
  }
}

/** Records a finished job; a failure is logged, never thrown: the user's message already went out. */
async function recordDone(
  env: Env,
  interaction: Interaction,
  outcome: string,
  message: Message<unknown>,
): Promise<void> {
  if (!env.DB) return;
  try {
    await withStorageTimeout(
      advanceJob(env.DB, interaction.id, "done", outcome, null, message.attempts),
      "deferred_jobs.record",
    );
  } catch (error) {
    log("queue.storage_unavailable", {
      interaction_id: interaction.id,
      message_id: message.id,
      step: "record",
      level: "error",
      error: describeError(error),
      effect: "a redelivery may edit again",
    });
  }
}

async function processMessage(message: Message<unknown>, env: Env, config: Config, registry: Registry): Promise<void> {
  const started = Date.now();
  const parsed = await parseJob(message, registry);
  if (!parsed) {
    log("queue.poison", { message_id: message.id, outcome: "dropped", reason: "not a job message", level: "error" });
    message.ack();
    return;
  }
  const { job, interaction } = parsed;
  const state = await jobState(env, interaction, message);
  if (state && "done" in state) {
    log("queue.duplicate", { interaction_id: interaction.id, message_id: message.id, outcome: "skipped" });
    message.ack();
    return;
  }

  const call: JobCall = { job: job.job, input: job.input, update: job.update };
  const lastChance =
    message.attempts >= MAX_ATTEMPTS || tokenExpiresSoon(interaction, retryDelaySeconds(message.attempts));
  const rest = restFor(env, config, Date.now() + scaled(FINAL_EDIT_DEADLINE_MS));
  let result: ReadyResult;
  let ranHere = null as Awaited<ReturnType<typeof executeJob>> | null;
  if (state) {
    result = state.stored; // delivered again, never re-run
  } else {
    // An unknown module or job is not retried: executeJob turns it into the "run it again" final message.
    ranHere = await executeJob(
      call,
      moduleOf(registry, interaction),
      interaction,
      env,
      config,
      job.route,
      rest,
      undefined,
      registry,
    );
    result = ranHere;
    if (!ranHere.ok && ranHere.retriable && !lastChance) {
      if (message.attempts === 1) await showStatus(rest, interaction, call.update, ranHere.v2, message.attempts);
      retry(message, interaction, job.route, ranHere.error);
      await runAfterTasks(interaction, job.route, ranHere.after);
      return;
    }
  }
  const delivery = await deliverFinal(
    rest,
    interaction.token,
    result.final,
    result.ref,
    result.v2,
    call.update,
    result.held,
    interaction.locale,
  );
  if (!delivery.delivered && delivery.retriable && !lastChance) {
    if (!state) await storeResult(env, interaction, result, message);
    retry(message, interaction, job.route, delivery.error);
  } else {
    const outcome = delivery.delivered ? (result.ok ? "ok" : "error_message") : "undelivered";
    await recordDone(env, interaction, outcome, message);
    message.ack();
    logDeferred(
      interaction,
      job.route,
      call.job,
      { retriable: false, after: [], ...result },
      delivery,
      Date.now() - started,
      "queue",
      { attempts: message.attempts, queued_ms: started - job.enqueued_at, ...(state ? { redelivered: true } : {}) },
    );
    // Counted once, here, with the outcome the user saw (the usage send is time-boxed; the message is already out).
    await countJobEnd(env, config, interaction, job.route, outcome, job.enqueued_at);
  }
  if (ranHere) await runAfterTasks(interaction, job.route, ranHere.after);
}

/**
 * The one status edit while the queue retries a job (issue 21): what is happening, and the latest time the final
 * message comes (the rest of the schedule: its delays, and each attempt's budget and final edit). A failure is only
 * logged: the final edit comes anyway.
 */
async function showStatus(
  rest: DiscordRestClient,
  interaction: Interaction,
  keepMessage: boolean,
  v2: boolean,
  attempts: number,
): Promise<void> {
  let within = 0;
  for (let n = attempts; n < MAX_ATTEMPTS; n++) within += retryDelaySeconds(n) + FINAL_EDIT_DEADLINE_MS / 1000;
  try {
    await rest.editOriginalResponse(interaction.token, statusMessage(interaction.locale, within, keepMessage, v2));
    log("deferred.status", { interaction_id: interaction.id, attempts, within_s: within });
  } catch (error) {
    log("deferred.status", { interaction_id: interaction.id, attempts, level: "error", error: describeError(error) });
  }
}

/** The module the interaction belongs to: by command for commands, by custom_id prefix for components and modals. */
function moduleOf(registry: Registry, interaction: Interaction): CommandModule | undefined {
  if (interaction.type === InteractionType.Command)
    return interaction.commandName ? registry.command(interaction.commandType, interaction.commandName) : undefined;
  return registry.byPrefix(parseCustomId(interaction.customId ?? "").prefix);
}

/** Retries after the schedule's delay, or after Discord's `retry_after` when it asked for longer. */
function retry(message: Message<unknown>, interaction: Interaction, route: string | null, error: unknown): void {
  const askedMs = error instanceof DiscordApiError ? (error.retryAfterMs ?? 0) : 0;
  const delaySeconds = Math.max(retryDelaySeconds(message.attempts), Math.ceil(askedMs / 1000));
  log("deferred", {
    interaction_id: interaction.id,
    route,
    mode: "queue",
    outcome: "retrying",
    attempts: message.attempts,
    delay_s: delaySeconds,
    error: describeError(error),
  });
  message.retry({ delaySeconds });
}

function tokenExpiresSoon(interaction: Interaction, nextDelaySeconds: number): boolean {
  const created = snowflakeTime(interaction.id);
  if (created === null) return false;
  return Date.now() + nextDelaySeconds * 1000 > created + TOKEN_LIFETIME_MS - TOKEN_MARGIN_MS;
}

/**
 * The consumer crashed on this message every time: tell the user, and log what is needed to investigate.
 * The line names the command and component, never the interaction's data: it holds user input and signed
 * attachment URLs.
 */
async function finishDeadLetter(
  message: Message<unknown>,
  env: Env,
  config: Config,
  registry: Registry,
): Promise<void> {
  const parsed = await parseJob(message, registry);
  const ref = newReference();
  if (!parsed) {
    log("queue.dead_letter", {
      message_id: message.id,
      outcome: "dropped",
      reason: "not a job message",
      ref,
      level: "error",
    });
    message.ack();
    return;
  }
  const { interaction, job } = parsed;
  const state = await jobState(env, interaction, message);
  if (state && "done" in state) {
    log("queue.duplicate", {
      interaction_id: interaction.id,
      message_id: message.id,
      outcome: "skipped",
      queue: "dead_letter",
    });
    message.ack();
    return;
  }
  const rest = restFor(env, config, Date.now() + scaled(FINAL_EDIT_DEADLINE_MS));
  const v2 = job.update && isComponentsV2(interaction.message);
  const delivery = await deliverFinal(
    rest,
    interaction.token,
    errorMessage(new Error("dead-lettered"), ref, false, job.update, v2, interaction.locale),
    ref,
    v2,
    job.update,
    [],
    interaction.locale,
  );
  await recordDone(env, interaction, delivery.delivered ? "dead_letter_message" : "undelivered", message);
  log("queue.dead_letter", {
    interaction_id: interaction.id,
    application_id: interaction.applicationId,
    route: job.route,
    type: interaction.type,
    command: interaction.commandName,
    user_id: interaction.user?.id ?? null,
    guild_id: interaction.guildId,
    enqueued_at: job.enqueued_at,
    attempts: message.attempts,
    delivered: delivery.delivered,
    ...(delivery.error !== undefined ? { edit_error: describeError(delivery.error) } : {}),
    ref,
    level: "error",
  });
  message.ack();
}
