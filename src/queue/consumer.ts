/**
 * The queue consumer (RELAY_MODE=queue): finishes deferred interactions with retries that survive isolate
 * eviction and outlast waitUntil's 30 s. Per message, in order:
 *   1. a job already finished (jobs_done) is acknowledged, not redone (Queues deliver at least once);
 *   2. the interaction is dispatched again to get its deferred task, which runs within its budget;
 *   3. a retriable failure (backend down/busy/slow, Discord 5xx/429/unreachable) is retried with backoff,
 *      unless this is the last attempt or the 15-minute token would expire first;
 *   4. otherwise exactly one final edit is made, result or error, and the job is recorded as done.
 * Each message is handled on its own: one failing or crashing never fails the batch. The dead-letter queue
 * (messages the consumer crashed on every time) gets a last error edit and a log line to investigate.
 */
import { readConfig, type Config } from "../config.ts";
import { dispatch } from "../dispatch/dispatcher.ts";
import { parseInteraction, type Interaction } from "../dispatch/interaction.ts";
import type { Registry } from "../dispatch/registry.ts";
import { deliverFinal, errorMessage, executeTask, logDeferred, restFor, FINAL_EDIT_DEADLINE_MS } from "../dispatch/run-deferred.ts";
import { snowflakeTime } from "../discord/snowflake.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log, newReference } from "../log.ts";
import { isJobDone, markJobDone } from "./jobs-done.ts";
import { isJobMessage, type JobMessage } from "./message.ts";

/** Attempts before the consumer makes the final (error) edit itself; wrangler's max_retries is set above it. */
export const MAX_ATTEMPTS = 5;
/** Interaction tokens accept edits for 15 minutes; stop retrying with this much margin left. */
const TOKEN_LIFETIME_MS = 15 * 60_000;
const TOKEN_MARGIN_MS = 2 * 60_000;

export function retryDelaySeconds(attempts: number): number {
  return Math.min(60, 2 ** attempts);
}

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, registry: Registry): Promise<void> {
  const config = readConfig(env);
  const deadLetter = batch.queue.endsWith("-dlq");
  for (const message of batch.messages) {
    try {
      if (deadLetter) await finishDeadLetter(message, env, config);
      else await processMessage(message, env, config, registry);
    } catch (error) {
      // A bug or an outage in storage: retry this message alone; the rest of the batch is unaffected.
      log("queue.message_failed", { queue: batch.queue, message_id: message.id, attempts: message.attempts, outcome: "error", ...errorFields(error) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

function parseJob(message: Message<unknown>): { job: JobMessage; interaction: Interaction } | null {
  if (!isJobMessage(message.body)) return null;
  const parsed = parseInteraction(new TextEncoder().encode(JSON.stringify(message.body.interaction)));
  return parsed.ok && parsed.interaction.token ? { job: message.body, interaction: parsed.interaction } : null;
}

async function processMessage(message: Message<unknown>, env: Env, config: Config, registry: Registry): Promise<void> {
  const started = Date.now();
  const parsed = parseJob(message);
  if (!parsed) {
    log("queue.poison", { message_id: message.id, outcome: "dropped", reason: "not a job message" });
    message.ack();
    return;
  }
  const { job, interaction } = parsed;
  if (env.DB && (await isJobDone(env.DB, interaction.id))) {
    log("queue.duplicate", { interaction_id: interaction.id, message_id: message.id, outcome: "skipped" });
    message.ack();
    return;
  }

  // The limiter already admitted this interaction at ingress; do not count it twice.
  const dispatched = await dispatch(interaction, { registry, env: { ...env, HEAVY_LIMITER: undefined }, config, request: new Request("https://queue.internal/interactions") });
  if (!dispatched.deferred) {
    message.ack();
    return;
  }
  const lastChance = message.attempts >= MAX_ATTEMPTS || tokenExpiresSoon(interaction, retryDelaySeconds(message.attempts));
  const task = await executeTask(dispatched.deferred, interaction, env, config, job.route);
  if (!task.ok && task.retriable && !lastChance) {
    retry(message, interaction, job.route, task.error);
    return;
  }
  const rest = restFor(config, Date.now() + FINAL_EDIT_DEADLINE_MS);
  const delivery = await deliverFinal(rest, interaction.token, task.final, task.ref);
  if (!delivery.delivered && delivery.retriable && !lastChance) {
    retry(message, interaction, job.route, delivery.error);
    return;
  }
  if (env.DB) await markJobDone(env.DB, interaction.id, delivery.delivered ? (task.ok ? "ok" : "error_message") : "undelivered", message.attempts);
  message.ack();
  logDeferred(interaction, job.route, task, delivery, Date.now() - started, "queue", { attempts: message.attempts, queued_ms: started - job.enqueued_at });
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

/** The consumer crashed on this message every time: tell the user, and log what is needed to investigate. */
async function finishDeadLetter(message: Message<unknown>, env: Env, config: Config): Promise<void> {
  const parsed = parseJob(message);
  const ref = newReference();
  if (!parsed) {
    log("queue.dead_letter", { message_id: message.id, outcome: "dropped", reason: "not a job message", ref });
    message.ack();
    return;
  }
  const { interaction, job } = parsed;
  if (env.DB && (await isJobDone(env.DB, interaction.id))) {
    message.ack();
    return;
  }
  const rest = restFor(config, Date.now() + FINAL_EDIT_DEADLINE_MS);
  const delivery = await deliverFinal(rest, interaction.token, errorMessage(new Error("dead-lettered"), ref, false, false), ref);
  if (env.DB) await markJobDone(env.DB, interaction.id, delivery.delivered ? "dead_letter_message" : "undelivered", message.attempts);
  log("queue.dead_letter", {
    interaction_id: interaction.id,
    application_id: interaction.applicationId,
    route: job.route,
    data: interaction.data,
    user_id: interaction.user?.id ?? null,
    guild_id: interaction.guildId,
    enqueued_at: job.enqueued_at,
    delivered: delivery.delivered,
    ref,
    level: "error",
  });
  message.ack();
}
