/**
 * Everything that happens after the response is sent, in ctx.waitUntil. It starts a turn of the event loop after
 * the fetch handler returned, so no job code (a job may compute for a second before its first await) runs ahead of
 * the acknowledgement. Then: claim the interaction in the engine's record (job-record.ts, so a duplicate delivery runs
 * no side effect twice), run the handler's background tasks and its deferred task, and count the interaction with its
 * job's outcome (kit/analytics/). Each task is isolated: one failing is logged and does not stop the others or the
 * final edit. Only interactions with work after the response come here: one answered at once writes nothing to D1.
 *
 * Storage never stands between the user and the final message: the claim has a time limit, and when D1 fails
 * or is slow the work runs anyway (at-least-once) with a log line saying so. The deferred task's budgets count
 * from the interaction's arrival, so time spent on the claim is taken from the task, never from the final edit.
 */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log } from "../log.ts";
import { withStorageTimeout, StorageTimeoutError } from "../storage/deadline.ts";
import { countJobEnd } from "../analytics/record.ts";
import type { Dispatched } from "../dispatch/dispatcher.ts";
import type { Interaction } from "../dispatch/interaction.ts";
import { runDeferred, type JobCall, type RunDeferredOptions } from "./run-deferred.ts";
import { advanceJob, claimJob } from "./job-record.ts";
import { enqueueDeferred, queueMode } from "./queue-producer.ts";
import { scaled } from "../timing.ts";

/**
 * Only side effects (a job, background tasks) need this path and its claim: an interaction answered at once with
 * nothing after it writes no D1 row (issue 24: D1 runs one query at a time). Every one is counted in kit/analytics/.
 */
export function needsAfterResponse(dispatched: Dispatched): boolean {
  return dispatched.deferred !== undefined || (dispatched.background?.length ?? 0) > 0;
}

export interface AfterResponseOptions extends RunDeferredOptions {
  /** Time limit of the interaction claim (default STORAGE_TIMEOUT_MS). */
  readonly claimTimeoutMs?: number;
  /** Time limit of the queue send (default ENQUEUE_TIMEOUT_MS). */
  readonly enqueueTimeoutMs?: number;
}

/**
 * A queue send that has not settled by then is treated as failed and the job runs here instead. Queues persist a
 * message in tens of milliseconds; 1.5 s leaves the job most of waitUntil's 30 s.
 */
const ENQUEUE_TIMEOUT_MS = 1_500;

/**
 * Resolves on a later turn of the event loop: the fetch handler has returned its Response by then, so no job code
 * (whose synchronous part before its first await could compute for a second) runs ahead of the acknowledgement.
 */
function afterTheResponse(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export async function afterResponse(
  interaction: Interaction,
  dispatched: Dispatched,
  env: Env,
  config: Config,
  options: AfterResponseOptions = {},
): Promise<void> {
  const arrivedAt = options.arrivedAt ?? Date.now();
  await afterTheResponse();
  const fields = { interaction_id: interaction.id, route: dispatched.route };
  const db = env.DB;
  if (db) {
    let first = true;
    try {
      first = await withStorageTimeout(claimJob(db, interaction.id), "claim", options.claimTimeoutMs);
    } catch (error) {
      // Storage trouble must not cost the user their result: run the effects (at-least-once) and say so.
      const event = error instanceof StorageTimeoutError ? "interaction.claim_timeout" : "interaction.claim_failed";
      log(event, { ...fields, level: "error", error: describeError(error), ms: Date.now() - arrivedAt });
    }
    if (!first) {
      log("interaction.duplicate", { ...fields, outcome: "skipped" });
      return;
    }
  }
  const work: Promise<void>[] = [];
  for (const { name, task } of dispatched.background ?? []) {
    work.push(
      task().catch((error: unknown) => {
        log("background", { ...fields, task: name, outcome: "error", ...errorFields(error) });
      }),
    );
  }
  // The job's outcome is what the usage counters count (queue mode: the consumer's, when it finishes).
  if (dispatched.deferred) {
    work.push(
      finishDeferred(interaction, dispatched, env, config, { ...options, arrivedAt }).then(async (outcome) => {
        await Promise.all([
          recordFailure(env, interaction, outcome),
          countJobEnd(env, config, interaction, dispatched.route, outcome, arrivedAt),
        ]);
      }),
    );
  }
  await Promise.all(work);
}

/** A job that ended badly (waitUntil mode) is recorded as done with its outcome. A success writes nothing: its claim is all it costs. */
async function recordFailure(env: Env, interaction: Interaction, outcome: string | null): Promise<void> {
  const db = env.DB;
  if (!db || outcome === null || outcome === "ok") return;
  try {
    await withStorageTimeout(advanceJob(db, interaction.id, "done", outcome, null, 1), "outcome");
  } catch (error) {
    log("interaction.outcome_failed", {
      interaction_id: interaction.id,
      outcome,
      level: "error",
      error: describeError(error),
    });
  }
}

/**
 * The input goes through JSON in both modes (the dispatcher serialised it), so a job sees in waitUntil mode exactly
 * what it would see from the queue (a Date becomes a string, undefined fields vanish) and a test of either mode is
 * a test of both.
 */
function jobCall(dispatched: Dispatched): JobCall {
  const input: unknown = dispatched.jobInput === undefined ? undefined : JSON.parse(dispatched.jobInput);
  return { job: dispatched.deferred!.job, input, update: dispatched.response.type === 6 };
}

/**
 * Queue mode hands the job to the queue (null: the consumer records its outcome in the job's record); if enqueueing
 * fails or does not settle within its time limit, the job is finished here rather than lost, and its outcome returned.
 * A send that was only slow may still deliver the message later: before running the job here, the record is marked
 * done (ran_in_waituntil), so the consumer acknowledges that message without running the job again.
 */
async function finishDeferred(
  interaction: Interaction,
  dispatched: Dispatched,
  env: Env,
  config: Config,
  options: AfterResponseOptions,
): Promise<string | null> {
  if (queueMode(config, env)) {
    try {
      await withStorageTimeout(
        enqueueDeferred(env.JOBS, interaction, dispatched.route, jobCall(dispatched)),
        "queue send",
        options.enqueueTimeoutMs ?? scaled(ENQUEUE_TIMEOUT_MS),
      );
      log("deferred", { interaction_id: interaction.id, route: dispatched.route, mode: "queue", outcome: "enqueued" });
      return null;
    } catch (error) {
      log("deferred.enqueue_failed", {
        interaction_id: interaction.id,
        route: dispatched.route,
        level: "error",
        error: describeError(error),
        effect: "running in waitUntil",
      });
      await guardAgainstLateDelivery(env, interaction);
    }
  }
  return runDeferred(jobCall(dispatched), dispatched.module, interaction, env, config, dispatched.route, options);
}

async function guardAgainstLateDelivery(env: Env, interaction: Interaction): Promise<void> {
  if (!env.DB) return;
  try {
    await withStorageTimeout(
      advanceJob(env.DB, interaction.id, "done", "ran_in_waituntil", null, 0),
      "deferred_jobs.guard",
    );
  } catch (error) {
    log("queue.storage_unavailable", {
      interaction_id: interaction.id,
      step: "guard",
      level: "error",
      error: describeError(error),
      effect: "a late message reruns",
    });
  }
}
