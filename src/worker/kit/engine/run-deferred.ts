/**
 * Finishes a deferred interaction: runs the named job of its module, then makes exactly one final edit of
 * @original (or, when the job asks for it, one delete), with the result or with an error the user can act on.
 * Nothing here may leave the user on "thinking…": a job that is unknown (a deploy renamed it), refuses its
 * input, throws, hangs past its budget or returns an unsendable message still ends in an edit, and a final edit
 * Discord refuses is replaced by a plain error text. What cannot be delivered at all (the token expired, Discord
 * unreachable) is logged with the interaction id to investigate.
 *
 * The two halves (executeJob, deliverFinal) are separate so the queue consumer (src/worker/kit/engine/queue-consumer.ts)
 * can retry between them; runDeferred is the waitUntil path that runs both at once. Both paths call the same
 * job function with the same input.
 */
import type { Config } from "../config.ts";
import { invalidReporter } from "../discord/limiter/bind.ts";
import { DiscordApiError, DiscordRestClient } from "../discord/rest.ts";
import { isComponentsV2, messageProblem } from "../discord/responses.ts";
import type { Env } from "../env.ts";
import { describeError, errorFields, log, newReference } from "../log.ts";
import type { Interaction } from "../dispatch/interaction.ts";
import type { Registry } from "../dispatch/registry.ts";
import { unroutedCustomId } from "../dispatch/routable-ids.ts";
import { DELETE_ORIGINAL, type JobResult } from "./jobs.ts";
import { UnrunnableJobError, type UserFacingFacts } from "./errors.ts";
import { errorMessage, fallbackMessage } from "./user-messages.ts";
import { JobTaskContext, replayHeld, type AfterTask, type HeldOperation } from "./task-context.ts";
import type { CommandModule } from "../dispatch/types.ts";
import { scaled } from "../timing.ts";

/** What the runner needs to run a job: which module's job, with what input, acknowledged how. */
export interface JobCall {
  readonly job: string;
  readonly input: unknown;
  /** The acknowledgement was type 6: an error keeps the component's message and replaces only its text. */
  readonly update: boolean;
}

/** The task's share of the ≈ 30 s waitUntil budget; the rest is for the final edit and its retries. */
export const TASK_BUDGET_MS = 21_000;
/** No REST attempt or retry wait may cross this. In waitUntil mode both budgets count from the interaction's
 * arrival, not from when the task starts: whatever ran before it (the storage claim) came out of the same 30 s. */
export const FINAL_EDIT_DEADLINE_MS = 28_000;

export interface RunDeferredOptions {
  /** When the interaction reached the Worker (epoch ms); the budgets count from here. Default: now. */
  readonly arrivedAt?: number;
  readonly taskBudgetMs?: number;
  readonly editDeadlineMs?: number;
  /** Per-attempt timeout of each Discord call (default: the REST client's 10 s). */
  readonly attemptTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Checks the final message's custom_ids like an immediate reply's (dispatch/routable-ids.ts). */
  readonly registry?: Registry;
}

export interface TaskOutcome {
  readonly final: JobResult;
  readonly ok: boolean;
  /** The task failed in a way another attempt may fix (backend down, busy, slow). */
  readonly retriable: boolean;
  readonly ref?: string;
  readonly error?: unknown;
  readonly ms: number;
  /** @original has IS_COMPONENTS_V2 (see JobTaskContext.originalIsV2): the error text goes in a text display. */
  readonly v2: boolean;
  /** What the job scheduled with `task.after`: run it with runAfterTasks once the final edit is out. */
  readonly after: readonly AfterTask[];
  /** Follow-ups the job asked for while @original showed "thinking…": sent right after the final edit. */
  readonly held: readonly HeldOperation[];
}

/** How long the final edit waits for a job's own calls to Discord still under way (a progress edit). */
const SETTLE_MS = 2_000;

export async function executeJob(
  call: JobCall,
  module: CommandModule | undefined,
  interaction: Interaction,
  env: Env,
  config: Config,
  route: string | null,
  rest: DiscordRestClient,
  budgetMs = scaled(TASK_BUDGET_MS),
  registry?: Registry,
): Promise<TaskOutcome> {
  const started = Date.now();
  const after: AfterTask[] = [];
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`deferred(${route}): job "${call.job}" exceeded its ${budgetMs} ms budget`)),
    budgetMs,
  );
  // After a type-6 ack @original is the component's message: no "thinking…" for a follow-up to replace.
  const task = new JobTaskContext(
    interaction,
    env,
    config,
    controller.signal,
    rest,
    call.update && isComponentsV2(interaction.message),
    after,
    call.update,
    registry?.translator,
  );
  try {
    const job = module?.jobs?.[call.job];
    if (!job || typeof job.run !== "function") {
      throw new UnrunnableJobError(
        `deferred(${route}): no job "${call.job}" in ${module ? `the module for "${module.definition.name}"` : "any module"} (changed by a deploy?)`,
      );
    }
    let input = call.input;
    if (job.parse) {
      try {
        input = job.parse(call.input);
      } catch (error) {
        throw new UnrunnableJobError(
          `deferred(${route}): job "${call.job}" refused its input: ${describeError(error)}`,
        );
      }
    }
    const final = await Promise.race([
      job.run(input as never, task),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }),
      ),
    ]);
    if (final !== DELETE_ORIGINAL) {
      const problem =
        messageProblem(final.data as Record<string, unknown>, task.originalIsV2) ??
        (registry ? unroutedCustomId({ type: 4, data: final.data } as never, registry) : null);
      if (problem) throw new Error(`deferred(${route}): the job's message is invalid: ${problem}`);
    }
    task.close("the job returned");
    await task.settle(scaled(SETTLE_MS));
    return {
      final,
      ok: true,
      retriable: false,
      ms: Date.now() - started,
      v2: task.originalIsV2,
      after,
      held: task.takeHeld(),
    };
  } catch (error) {
    const timedOut = controller.signal.aborted;
    task.close(timedOut ? "its budget ran out" : "the job failed");
    await task.settle(scaled(SETTLE_MS));
    const ref = newReference();
    // Only the error's own facts say a retry may help (issue 19): a job that timed out may still run on the backend.
    const retriable = !timedOut && (error as UserFacingFacts | null)?.retriable === true;
    return {
      final: errorMessage(error, ref, timedOut, call.update, task.originalIsV2, interaction.locale),
      ok: false,
      retriable,
      ref,
      error,
      ms: Date.now() - started,
      v2: task.originalIsV2,
      after,
      held: task.takeHeld(),
    };
  } finally {
    clearTimeout(timer);
  }
}

export interface Delivery {
  readonly delivered: boolean;
  /** Delivery failed in a way a later attempt may fix (Discord 5xx, network, rate limits). */
  readonly retriable: boolean;
  readonly error?: unknown;
  readonly ref?: string;
}

/**
 * `v2`: @original has IS_COMPONENTS_V2, so the fallback text must be a V2 message too. `keepMessage`: the ack was type
 * 6, so @original is the component's message (a chart): the fallback replaces only its text. `held`: follow-ups the
 * job asked for while "thinking…" showed, sent once the final edit is out (never before: they would replace it).
 */
export async function deliverFinal(
  rest: DiscordRestClient,
  token: string,
  final: JobResult,
  ref?: string,
  v2 = false,
  keepMessage = false,
  held: readonly HeldOperation[] = [],
  locale?: string | null,
): Promise<Delivery> {
  const delivery = await deliverEdit(rest, token, final, ref, v2, keepMessage, locale);
  if (delivery.delivered && held.length > 0) {
    try {
      await replayHeld(rest, token, held);
    } catch (error) {
      // The final message is out; a lost note is logged, not retried (a retry could send the others twice).
      log("deferred.follow_up_failed", { ref: delivery.ref ?? null, level: "error", error: describeError(error) });
    }
  }
  return delivery;
}

async function deliverEdit(
  rest: DiscordRestClient,
  token: string,
  final: JobResult,
  ref: string | undefined,
  v2: boolean,
  keepMessage: boolean,
  locale: string | null | undefined,
): Promise<Delivery> {
  try {
    if (final === DELETE_ORIGINAL) await rest.deleteOriginalResponse(token);
    else await rest.editOriginalResponse(token, final);
    return { delivered: true, retriable: false, ref };
  } catch (error) {
    // Discord refused this message (e.g. an attachment too large): fall back to text so the user is not
    // left waiting. Not after 401/404: the token is gone and retrying only counts toward a ban.
    if (
      error instanceof DiscordApiError &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 401 &&
      error.status !== 404 &&
      error.status !== 429
    ) {
      const fallbackRef = ref ?? newReference();
      try {
        await rest.editOriginalResponse(token, fallbackMessage(fallbackRef, keepMessage, v2, locale));
        return { delivered: true, retriable: false, error, ref: fallbackRef };
      } catch (fallbackError) {
        return {
          delivered: false,
          retriable: isRetriableDelivery(fallbackError),
          error: fallbackError,
          ref: fallbackRef,
        };
      }
    }
    return { delivered: false, retriable: isRetriableDelivery(error), error, ref };
  }
}

function isRetriableDelivery(error: unknown): boolean {
  return error instanceof DiscordApiError && (error.status === 0 || error.status === 429 || error.status >= 500);
}

/** The webhook client of one deferred task; its 401/403/429s are told to the bot's limiter (shared invalid-request budget). */
export function restFor(
  env: Env,
  config: Config,
  deadline: number,
  fetcher?: typeof fetch,
  timeoutMs?: number,
): DiscordRestClient {
  return new DiscordRestClient({
    apiBase: config.discordApiBase,
    applicationId: config.applicationId,
    deadline,
    fetch: fetcher,
    timeoutMs,
    onInvalid: invalidReporter(env),
  });
}

/** Returns the outcome it logged ("ok", "task_error", …). */
export async function runDeferred(
  call: JobCall,
  module: CommandModule | undefined,
  interaction: Interaction,
  env: Env,
  config: Config,
  route: string | null,
  options: RunDeferredOptions = {},
): Promise<string> {
  const arrivedAt = options.arrivedAt ?? Date.now();
  const rest = restFor(
    env,
    config,
    arrivedAt + (options.editDeadlineMs ?? scaled(FINAL_EDIT_DEADLINE_MS)),
    options.fetch,
    options.attemptTimeoutMs,
  );
  // What is left of the job's budget; at 0 the job is stopped at once and the user gets the timeout text.
  const budgetMs = Math.max(0, arrivedAt + (options.taskBudgetMs ?? scaled(TASK_BUDGET_MS)) - Date.now());
  const task = await executeJob(call, module, interaction, env, config, route, rest, budgetMs, options.registry);
  const delivery = await deliverFinal(
    rest,
    interaction.token,
    task.final,
    task.ref,
    task.v2,
    call.update,
    task.held,
    interaction.locale,
  );
  const outcome = logDeferred(interaction, route, call.job, task, delivery, Date.now() - arrivedAt, "waitUntil");
  await runAfterTasks(interaction, route, task.after);
  return outcome;
}

/** Runs a job's `task.after` work, each task on its own: one failing is logged and does not stop the others. */
export async function runAfterTasks(
  interaction: Interaction,
  route: string | null,
  tasks: readonly AfterTask[],
): Promise<void> {
  await Promise.all(
    tasks.map(({ name, task }) =>
      task().catch((error: unknown) => {
        log("deferred.after", {
          interaction_id: interaction.id,
          route,
          task: name,
          outcome: "error",
          ...errorFields(error),
        });
      }),
    ),
  );
}

/** Logs the job's one line; returns its outcome. */
export function logDeferred(
  interaction: Interaction,
  route: string | null,
  job: string,
  task: TaskOutcome,
  delivery: Delivery | null,
  totalMs: number,
  mode: string,
  extra: Record<string, unknown> = {},
): string {
  const ref = delivery?.ref ?? task.ref;
  const editError = delivery?.error;
  const delivered = delivery?.delivered ?? false;
  const outcome = !delivery
    ? "retrying"
    : delivered
      ? task.ok
        ? "ok"
        : task.error instanceof UnrunnableJobError
          ? "not_runnable"
          : "task_error"
      : "undelivered";
  log("deferred", {
    interaction_id: interaction.id,
    route,
    job,
    mode,
    outcome,
    task_ms: task.ms,
    total_ms: totalMs,
    ...(ref ? { ref } : {}),
    ...(task.error !== undefined ? errorFields(task.error) : {}),
    ...(editError !== undefined
      ? {
          edit_error: describeError(editError),
          edit_status: editError instanceof DiscordApiError ? editError.status : null,
        }
      : {}),
    ...extra,
    level: task.ok && delivered ? "info" : "error",
  });
  return outcome;
}
