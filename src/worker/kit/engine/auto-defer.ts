/**
 * Auto-deferral: never "The application did not respond". Any handler (not only one that defers to a job) that has
 * not answered AUTO_DEFER_MS after the interaction arrived gets the acknowledgement sent for it: type 5 ("thinking…"),
 * or type 6 for a component (its message stays as it is). Its eventual answer is then delivered through the
 * interaction's webhook, within the final edit's deadline:
 *   - a message (type 4) after type 5: the edit of @original; an ephemeral one cannot be expressed as that edit (the
 *     deferral was public), so @original is deleted and the message follows as an ephemeral follow-up;
 *   - an update (type 7) after type 6: the edit of @original (the component's message);
 *   - a message (type 4) after type 6: a follow-up, with its own visibility;
 *   - a deferral to a job: the job runs as usual (afterResponse), its final edit replacing what was acknowledged;
 *   - a modal (9) or anything else that exists only as a first answer: an ephemeral sentence that it took too long;
 *   - an answer meant for the callback endpoint (`withResponse`): delivered as above, then its `use` gets null.
 * A handler that has still not answered when a job's budget (TASK_BUDGET_MS from arrival) runs out is not waited for:
 * the user reads the timeout text (user-messages.ts) as the edit of @original, within the final edit's deadline.
 * Each auto-deferral is logged once (`interaction.auto_deferred`, with the route and the handler's time, or
 * `outcome: "no_answer"` with the reference the user reads) so slow handlers get fixed. Autocomplete is never auto-deferred: Discord accepts only type 8, and late suggestions are just dropped.
 */
import type { APIInteractionResponse } from "discord-api-types/v10";
import type { Config } from "../config.ts";
import { deferReply, deferUpdate, isComponentsV2, MessageFlags } from "../discord/responses.ts";
import type { MessageData } from "../discord/messages.ts";
import type { Dispatched } from "../dispatch/dispatcher.ts";
import { InteractionType, type Interaction } from "../dispatch/interaction.ts";
import type { Env } from "../env.ts";
import { describeError, log, newReference } from "../log.ts";
import { scaled } from "../timing.ts";
import { afterResponse, type AfterResponseOptions } from "./after-response.ts";
import { runUse } from "./with-response.ts";
import { FINAL_EDIT_DEADLINE_MS, restFor, TASK_BUDGET_MS } from "./run-deferred.ts";
import { errorMessage, lateAnswer } from "./user-messages.ts";

/** A safe margin inside Discord's 3 s, counted from the interaction's arrival at the Worker. */
const AUTO_DEFER_MS = 2_500;

export type InTime =
  | { readonly late: false; readonly dispatched: Dispatched }
  | { readonly late: true; readonly ack: APIInteractionResponse; readonly pending: Promise<Dispatched> };

/** The handler's answer if it comes within AUTO_DEFER_MS of arrival; else the acknowledgement to send now. */
export async function answerInTime(
  interaction: Interaction,
  routed: Promise<Dispatched>,
  arrivedAt: number,
): Promise<InTime> {
  if (interaction.type === InteractionType.Autocomplete) return { late: false, dispatched: await routed };
  const first = await answerBy(routed, arrivedAt + scaled(AUTO_DEFER_MS));
  if (first) return { late: false, dispatched: first };
  return {
    late: true,
    ack: interaction.type === InteractionType.Component ? deferUpdate() : deferReply(),
    pending: routed,
  };
}

/** The handler's answer, or null when it has not come by `deadline` (the handler itself cannot be stopped). */
async function answerBy(pending: Promise<Dispatched>, deadline: number): Promise<Dispatched | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      pending,
      new Promise<null>((resolve) => (timer = setTimeout(resolve, deadline - Date.now(), null))),
    ]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** In waitUntil: waits for the late answer and delivers it as the acknowledgement allows (see the header). */
export async function deliverLateAnswer(
  interaction: Interaction,
  ack: APIInteractionResponse,
  pending: Promise<Dispatched>,
  env: Env,
  config: Config,
  options: AfterResponseOptions & { arrivedAt: number },
  onAnswer: (dispatched: Dispatched) => void,
): Promise<void> {
  const { arrivedAt } = options;
  const dispatched = await answerBy(pending, arrivedAt + scaled(TASK_BUDGET_MS));
  const fields = {
    interaction_id: interaction.id,
    route: dispatched?.route ?? null,
    ack_type: ack.type,
    handler_ms: Date.now() - arrivedAt,
  };
  if (!dispatched) {
    // Never answered: the timeout text is delivered as an answer would be, replacing "thinking…" (after type 6, only
    // the component message's text).
    const ref = newReference();
    log("interaction.auto_deferred", { ...fields, outcome: "no_answer", ref, level: "error" });
    const keep = ack.type === 6;
    return deliver(
      interaction,
      ack,
      {
        type: keep ? 7 : 4,
        data: errorMessage(null, ref, true, keep, keep && isComponentsV2(interaction.message), interaction.locale).data,
      } as APIInteractionResponse,
      env,
      config,
      arrivedAt,
    );
  }
  log("interaction.auto_deferred", { ...fields, level: "warn" });
  onAnswer(dispatched);
  // The deferral we sent stands for the handler's: its job (if any) runs as usual and makes the final edit.
  await Promise.all([
    afterResponse(
      interaction,
      { ...dispatched, response: dispatched.deferred ? ack : dispatched.response },
      env,
      config,
      options,
    ),
    dispatched.deferred ? null : deliver(interaction, ack, dispatched.response, env, config, arrivedAt),
  ]);
  // Discord's callback response is not to be had any more: the acknowledgement was ours.
  if (dispatched.withResponse) await runUse(interaction, dispatched.withResponse, null);
}

async function deliver(
  interaction: Interaction,
  ack: APIInteractionResponse,
  response: APIInteractionResponse,
  env: Env,
  config: Config,
  arrivedAt: number,
): Promise<void> {
  const rest = restFor(env, config, arrivedAt + scaled(FINAL_EDIT_DEADLINE_MS));
  const data = ("data" in response ? response.data : undefined) as MessageData | undefined;
  const ephemeral = typeof data?.flags === "number" && (data.flags & MessageFlags.Ephemeral) !== 0;
  // After type 6 an update edits the component's message; after type 5 a public message replaces "thinking…". Anything
  // else follows up: a message with its own visibility, or the sentence that it took too long (a modal, for one);
  // "thinking…" (public) is deleted first, as it cannot become what the handler meant.
  const edit = ack.type === 6 ? response.type === 7 : response.type === 4 && !ephemeral;
  try {
    if (edit && data) {
      await rest.editOriginalResponse(interaction.token, data);
    } else {
      if (ack.type === 5) await rest.deleteOriginalResponse(interaction.token);
      await rest.createFollowupMessage(
        interaction.token,
        response.type === 4 && data ? data : lateAnswer(interaction.locale),
      );
    }
  } catch (error) {
    log("interaction.late_answer_failed", {
      interaction_id: interaction.id,
      level: "error",
      error: describeError(error),
    });
  }
}
