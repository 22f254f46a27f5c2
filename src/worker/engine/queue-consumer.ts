/**
 * The queue consumer (RELAY_MODE=queue): finishes deferred interactions with retries that survive isolate
 * eviction and outlast waitUntil's 30 s. Per message:
 *   1. a job already finished (jobs_done) is acknowledged, not redone (Queues deliver at least once);
 *   2. the named job of the interaction's module runs from the queued input, within its budget (the handler
 *      does not run again: it ran once, at ingress);
 *   3. a retriable failure (backend down/busy/slow, Discord 5xx/429/unreachable) is retried with backoff,
 *      unless this is the last attempt or the 15-minute token would expire first;
 *   4. otherwise exactly one final edit is made, result or error, and the job is recorded as done.
 * Every consumed job ends in a final message and one log line, including one that can no longer run (a deploy
 * renamed the command or the job, the job refuses its input, a message from before named jobs).
 *
 * Storage is a guard against duplicates, never a gate on the user's message: when D1 is down or slow the
 * jobs_done check counts as "not done" (a redelivery may then edit @original a second time with the same
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
import { deliverFinal, errorMessage, executeJob, logDeferred, restFor, runAfterTasks, FINAL_EDIT_DEADLINE_MS, type JobCall } from "./run-deferred.ts";
import type { CommandModule } from "../dispatch/types.ts";
import { snowflakeTime } from "../discord/snowflake.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log, newReference } from "../log.ts";
import { withStorageTimeout } from "../storage/deadline.ts";
import { isJobDone, markJobDone } from "./jobs-done.ts";
import { isJobMessage, type JobMessage, type LegacyJobMessage } from "./queue-message.ts";

/** Attempts before the consumer makes the final (error) edit itself; wrangler's max_retries is set above it. */
export const MAX_ATTEMPTS = 5;
/**
 * Messages of one batch in flight at once. Each mostly waits on the backend and Discord, so a few at a time
 * hide one slow job; more would only add simultaneous connections (Workers allow 6 per invocation).
 */
const BATCH_CONCURRENCY = 4;
/** Interaction tokens accept edits for 15 minutes; stop retrying with this much margin left. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
const TOKEN_MARGIN_MS = 2 * 60_000;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 2 ** attempts);
}

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, registry: Registry): Promise<void> {
  const config = readConfig(env);
  const deadLetter = batch.queue.endsWith("-dlq");
  await forEachBounded(batch.messages, BATCH_CONCURRENCY, async (message) => {
    try {
      if (deadLetter) await finishDeadLetter(message, env, config);
      else await processMessage(message, env, config, registry);
    } catch (error) {
      // A bug: retry this message alone; the rest of the batch is unaffected.
      log("queue.message_failed", { queue: batch.queue, message_id: message.id, attempts: message.attempts, outcome: "error", ...errorFields(error) });
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

function parseJob(message: Message<unknown>): { job: JobMessage | LegacyJobMessage; interaction: Interaction } | null {
  if (!isJobMessage(message.body)) return null;
  const parsed = parseInteraction(new TextEncoder().encode(JSON.stringify(message.body.interaction)));
  return parsed.ok && parsed.interaction.token ? { job: message.body, interaction: parsed.interaction } : null;
}

/** jobs_done says this interaction was finished. A failing or slow D1 answers "no": redoing beats never doing. */
async function alreadyDone(env: Env, interaction: Interaction, message: Message<unknown>): Promise<boolean> {
  if (!env.DB) return false;
  try {
    return await withStorageTimeout(isJobDone(env.DB, interaction.id), "jobs_done.check");
  } catch (error) {
    log("queue.storage_unavailable", { interaction_id: interaction.id, message_id: message.id, step: "check", level: "error", error: describeError(error), effect: "running the job without duplicate check" });
    return false;
  }
}

/** Records a finished job; a failure is logged, never thrown: the user's message already went out. */
async function recordDone(env: Env, interaction: Interaction, outcome: string, message: Message<unknown>): Promise<void> {
  if (!env.DB) return;
  try {
    await withStorageTimeout(markJobDone(env.DB, interaction.id, outcome, message.attempts), "jobs_done.record");
  } catch (error) {
    log("queue.storage_unavailable", { interaction_id: interaction.id, message_id: message.id, step: "record", level: "error", error: describeError(error), effect: "a redelivery may edit again" });
  }
}

async function processMessage(message: Message<unknown>, env: Env, config: Config, registry: Registry): Promise<void> {
  const started = Date.now();
  const parsed = parseJob(message);
  if (!parsed) {
    log("queue.poison", { message_id: message.id, outcome: "dropped", reason: "not a job message", level: "error" });
    message.ack();
    return;
  }
  const { job, interaction } = parsed;
  if (await alreadyDone(env, interaction, message)) {
    log("queue.duplicate", { interaction_id: interaction.id, message_id: message.id, outcome: "skipped" });
    message.ack();
    return;
  }

  const call: JobCall = job.v === 2 ? { job: job.job, input: job.input, update: job.update } : { job: "(before named jobs)", input: undefined, update: job.update === true };
  const module = job.v === 2 ? moduleOf(registry, interaction) : undefined;
  const lastChance = message.attempts >= MAX_ATTEMPTS || tokenExpiresSoon(interaction, retryDelaySeconds(message.attempts));
  const rest = restFor(config, Date.now() + FINAL_EDIT_DEADLINE_MS);
  // An unknown module or job is not retried: executeJob turns it into the "run it again" final message.
  const task = await executeJob(call, module, interaction, env, config, job.route, rest, undefined, registry);
  if (!task.ok && task.retriable && !lastChance) {
    retry(message, interaction, job.route, task.error);
  } else {
    const delivery = await deliverFinal(rest, interaction.token, task.final, task.ref, task.v2, call.update, task.held);
    if (!delivery.delivered && delivery.retriable && !lastChance) {
      retry(message, interaction, job.route, delivery.error);
    } else {
      await recordDone(env, interaction, delivery.delivered ? (task.ok ? "ok" : "error_message") : "undelivered", message);
      message.ack();
      logDeferred(interaction, job.route, call.job, task, delivery, Date.now() - started, "queue", { attempts: message.attempts, queued_ms: started - job.enqueued_at });
    }
  }
  await runAfterTasks(interaction, job.route, task.after);
}

/** The module the interaction belongs to: by command for commands, by custom_id prefix for components and modals. */
function moduleOf(registry: Registry, interaction: Interaction): CommandModule | undefined {
  if (interaction.type === InteractionType.Command) return interaction.commandName ? registry.command(interaction.commandType, interaction.commandName) : undefined;
  return registry.byPrefix(parseCustomId(interaction.customId ?? "").prefix);
}

function retry(message: Message<unknown>, interaction: Interaction, route: string | null, error: unknown): void {
  const delaySeconds = retryDelaySeconds(message.attempts);
  log("deferred", { interaction_id: interaction.id, route, mode: "queue", outcome: "retrying", attempts: message.attempts, delay_s: delaySeconds, error: describeError(error) });
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
async function finishDeadLetter(message: Message<unknown>, env: Env, config: Config): Promise<void> {
  const parsed = parseJob(message);
  const ref = newReference();
  if (!parsed) {
    log("queue.dead_letter", { message_id: message.id, outcome: "dropped", reason: "not a job message", ref, level: "error" });
    message.ack();
    return;
  }
  const { interaction, job } = parsed;
  if (await alreadyDone(env, interaction, message)) {
    log("queue.duplicate", { interaction_id: interaction.id, message_id: message.id, outcome: "skipped", queue: "dead_letter" });
    message.ack();
    return;
  }
  const rest = restFor(config, Date.now() + FINAL_EDIT_DEADLINE_MS);
  const v2 = job.update === true && isComponentsV2(interaction.message);
  const delivery = await deliverFinal(rest, interaction.token, errorMessage(new Error("dead-lettered"), ref, false, job.update === true, v2), ref, v2, job.update === true);
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
