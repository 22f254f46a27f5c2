/**
 * Finishes a deferred interaction: runs the handler's task, then makes exactly one final edit of
 * @original, with the result or with an error the user can act on. Nothing here may leave the user on
 * "thinking…": a task that throws, hangs past its budget or returns an unsendable message still ends in
 * an edit, and a final edit Discord refuses is replaced by a plain error text. What cannot be delivered
 * at all (the token expired, Discord unreachable) is logged with the interaction id to investigate.
 */
import type { Config } from "../config.ts";
import { ConfigError } from "../config.ts";
import { DiscordApiError, DiscordRestClient } from "../discord/rest.ts";
import { messageProblem } from "../discord/responses.ts";
import type { Env } from "../env.ts";
import { log, newReference } from "../log.ts";
import { RelayError } from "../relay/client.ts";
import type { Deferred, FinalMessage } from "./deferred.ts";
import type { Interaction } from "./interaction.ts";

/** The task's share of the ≈ 30 s waitUntil budget; the rest is for the final edit and its retries. */
export const TASK_BUDGET_MS = 21_000;
/** No REST attempt or retry wait may cross this, measured from the start of the deferred work. */
export const FINAL_EDIT_DEADLINE_MS = 28_000;

export interface RunDeferredOptions {
  readonly taskBudgetMs?: number;
  readonly editDeadlineMs?: number;
  readonly fetch?: typeof fetch;
}

export async function runDeferred(deferred: Deferred, interaction: Interaction, env: Env, config: Config, route: string | null, options: RunDeferredOptions = {}): Promise<void> {
  const started = Date.now();
  const rest = new DiscordRestClient({
    apiBase: config.discordApiBase,
    applicationId: config.applicationId,
    deadline: started + (options.editDeadlineMs ?? FINAL_EDIT_DEADLINE_MS),
    fetch: options.fetch,
  });
  const fields = { interaction_id: interaction.id, route };

  let final: FinalMessage;
  let outcome: "ok" | "task_error" = "ok";
  let ref: string | undefined;
  let taskError: unknown;
  const controller = new AbortController();
  const budget = options.taskBudgetMs ?? TASK_BUDGET_MS;
  const timer = setTimeout(() => controller.abort(new Error(`deferred(${route}): task exceeded its ${budget} ms budget`)), budget);
  try {
    final = await Promise.race([
      deferred.task({ interaction, env, config, signal: controller.signal }),
      new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true })),
    ]);
    const problem = messageProblem(final.data as Record<string, unknown>);
    if (problem) throw new Error(`deferred(${route}): the task's message is invalid: ${problem}`);
  } catch (error) {
    outcome = "task_error";
    taskError = error;
    ref = newReference();
    final = errorMessage(error, ref, controller.signal.aborted, deferred.update);
  } finally {
    clearTimeout(timer);
  }
  const taskMs = Date.now() - started;

  let delivered = false;
  let editError: unknown;
  try {
    await rest.editOriginalResponse(interaction.token, final);
    delivered = true;
  } catch (error) {
    editError = error;
    // Discord refused this message (e.g. an attachment too large): fall back to text so the user is not
    // left waiting. Not after 401/404: the token is gone and retrying only counts toward a ban.
    if (error instanceof DiscordApiError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 404 && error.status !== 429) {
      ref ??= newReference();
      try {
        await rest.editOriginalResponse(interaction.token, { data: { content: `Your result was ready, but Discord would not accept it (reference \`${ref}\`). Please try again.`, embeds: [], components: [], attachments: [] } });
        delivered = true;
      } catch (fallbackError) {
        editError = fallbackError;
      }
    }
  }

  log("deferred", {
    ...fields,
    outcome: delivered ? outcome : "undelivered",
    task_ms: taskMs,
    total_ms: Date.now() - started,
    ...(ref ? { ref } : {}),
    ...(taskError !== undefined ? { error: errorText(taskError), stack: taskError instanceof Error ? taskError.stack : undefined } : {}),
    ...(editError !== undefined ? { edit_error: errorText(editError), edit_status: editError instanceof DiscordApiError ? editError.status : null } : {}),
    level: outcome === "ok" && delivered ? "info" : "error",
  });
}

/**
 * After a type-6 defer, @original is the message the component is on (e.g. a chart): the error replaces
 * only its text, so the user keeps what they had. After type 5 it replaces the "thinking…" message.
 */
function errorMessage(error: unknown, ref: string, timedOut: boolean, keepMessage: boolean): FinalMessage {
  let text: string;
  if (error instanceof RelayError) text = error.userMessage;
  else if (error instanceof ConfigError) text = "This command is not set up on this bot yet. The operator has been told.";
  else if (timedOut) text = "This took longer than I can wait, so I stopped. Please try again, perhaps with less data.";
  else text = "Something went wrong while working on this.";
  const content = `⚠️ ${text} (reference \`${ref}\`)`;
  return { data: keepMessage ? { content, allowed_mentions: { parse: [] } } : { content, embeds: [], components: [], attachments: [], allowed_mentions: { parse: [] } } };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
