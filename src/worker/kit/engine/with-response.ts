/**
 * Answering through Create Interaction Response with `?with_response=true`, for a handler that needs what its answer
 * created: the message (`resource.message`: its id, to edit, pin or react to it later) or, for LAUNCH_ACTIVITY, the
 * Activity instance (`resource.activity_instance.id`). A handler returns `ctx.withResponse(response, use)`.
 * Discord: "If you send this request for an interaction received over HTTP, respond to the original HTTP request
 * with a 202 and no body" (discord.com/developers/docs/interactions/receiving-and-responding#interaction-callback).
 *
 * The call is the interaction's acknowledgement, so it is made on the 3-second path, with a deadline well inside it
 * (CALLBACK_DEADLINE_MS after arrival) that leaves time for the fallback; this file owns what happens:
 *   - Discord answered 200: the HTTP answer is 202 with no body, then `use(created)` runs in waitUntil;
 *   - no answer in time, a network error or a 5xx: the same response goes in the HTTP answer instead (had the call
 *     landed after all, Discord keeps the first acknowledgement, so the user sees one answer), then `use(null)`;
 *   - Discord refused it (4xx): the ephemeral failure sentence with a reference id in the HTTP answer; `use` does not
 *     run (there is nothing it could use).
 * `use` also gets null when the handler answered too late and the auto-deferral spoke for it (auto-defer.ts).
 * A `use` that throws is logged with the interaction id; it never changes what the user saw.
 */
import type { APIInteractionResponse, RESTPostAPIInteractionCallbackWithResponseResult } from "discord-api-types/v10";
import type { Config } from "../config.ts";
import { createInteractionResponse, InteractionCallbackError } from "../discord/interaction-callback.ts";
import { ephemeral, type ImmediateResponse } from "../discord/responses.ts";
import type { Interaction } from "../dispatch/interaction.ts";
import { platformTranslator } from "../i18n/translators.ts";
import { describeError, log, newReference } from "../log.ts";
import { scaled } from "../timing.ts";

/** Discord's interaction callback response: `interaction` (ids, flags) and `resource` (the message or Activity instance). */
export type CallbackResponse = RESTPostAPIInteractionCallbackWithResponseResult;

/** What `use` receives: Discord's callback response, or null when the answer went another way (see the header). */
export type UseCreated = (created: CallbackResponse | null) => Promise<void> | void;

const WITH_RESPONSE = Symbol("withResponse");

/** A handler's answer that goes through the callback endpoint, and what to do with what it created. */
export interface WithResponse {
  readonly [WITH_RESPONSE]: true;
  readonly response: ImmediateResponse;
  readonly use: UseCreated;
}

export function makeWithResponse(response: ImmediateResponse, use: UseCreated): WithResponse {
  return { [WITH_RESPONSE]: true, response, use };
}

export function isWithResponse(value: unknown): value is WithResponse {
  return (
    typeof value === "object" && value !== null && (value as { [WITH_RESPONSE]?: unknown })[WITH_RESPONSE] === true
  );
}

/** From the interaction's arrival: the call's answer must be in by then, leaving a second for the fallback. */
const CALLBACK_DEADLINE_MS = 2_000;

/** The HTTP answer for a handler's `withResponse`; its `use` is handed to waitUntil. */
export async function answerWithResponse(
  interaction: Interaction,
  dispatched: {
    readonly response: APIInteractionResponse;
    readonly route: string | null;
    readonly withResponse: UseCreated;
  },
  config: Config,
  arrivedAt: number,
  ctx: ExecutionContext,
): Promise<Response> {
  const timeoutMs = Math.max(1, arrivedAt + scaled(CALLBACK_DEADLINE_MS) - Date.now());
  const use = (created: CallbackResponse | null) =>
    ctx.waitUntil(runUse(interaction, dispatched.withResponse, created));
  try {
    const created = await createInteractionResponse(
      { apiBase: config.discordApiBase, timeoutMs },
      interaction,
      dispatched.response,
    );
    use(created);
    return new Response(null, { status: 202 });
  } catch (error) {
    const status = error instanceof InteractionCallbackError ? error.status : 0;
    const refused = status >= 400 && status < 500;
    const ref = refused ? newReference() : undefined;
    log("interaction.callback_failed", {
      interaction_id: interaction.id,
      route: dispatched.route,
      status,
      answered: refused ? "failure_message" : "inline",
      ...(ref ? { ref } : {}),
      level: "error",
      error: describeError(error),
    });
    if (refused)
      return Response.json(
        ephemeral(
          platformTranslator(interaction.locale)(
            "failed",
            dispatched.route?.startsWith("/") ? dispatched.route : null,
            ref!,
          ),
        ),
      );
    use(null);
    return Response.json(dispatched.response);
  }
}

/** Runs a handler's `use`, logging a failure (waitUntil would only print it). */
export async function runUse(
  interaction: Interaction,
  use: UseCreated,
  created: CallbackResponse | null,
): Promise<void> {
  try {
    await use(created);
  } catch (error) {
    log("interaction.with_response_failed", {
      interaction_id: interaction.id,
      level: "error",
      error: describeError(error),
    });
  }
}
