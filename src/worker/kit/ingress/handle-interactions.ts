/**
 * POST /interactions: size cap → signature (verify-request.ts, shared with POST /events) → parse → dispatch →
 * one log line, and the interaction counted (kit/analytics/, in waitUntil). Every Discord-facing outcome after a
 * valid signature is a 200 with a valid interaction response (or a 202 with no body once a handler's
 * `withResponse` answered through the callback endpoint: engine/with-response.ts); HTTP errors are reserved for requests that are not
 * genuine, well-formed interactions (413, 401, 400) or a misconfigured deploy (503).
 */
import { dispatch, type Dispatched } from "../dispatch/dispatcher.ts";
import { parseInteraction, type Interaction } from "../dispatch/interaction.ts";
import type { AfterEvent, Middleware } from "../dispatch/middleware.ts";
import type { Registry } from "../dispatch/registry.ts";
import { afterResponse, needsAfterResponse } from "../engine/after-response.ts";
import { lateAck } from "../engine/ack-watch.ts";
import { answerInTime, deliverLateAnswer } from "../engine/auto-defer.ts";
import { countAnswer } from "../analytics/record.ts";
import { answerWithResponse } from "../engine/with-response.ts";
import type { Env } from "../env.ts";
import { errorFields, log } from "../log.ts";
import { platformTranslator } from "../i18n/translators.ts";
import { readLimitedBody } from "./read-body.ts";
import { badSignature, configOrReject, reject, tooLarge, verifySignature } from "./verify-request.ts";

// Built once: a plain object would be converted into a Headers object on every response.
const JSON_HEADERS = new Headers({ "Content-Type": "application/json" });

export async function handleInteractionRequest(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  registry: Registry,
): Promise<Response> {
  // Every deadline of the deferred work counts from here (src/worker/kit/engine/after-response.ts).
  const arrivedAt = Date.now();
  const config = configOrReject(env, "Interactions");
  if (config instanceof Response) return config;
  const body = await readLimitedBody(request);
  if (!body.ok) return tooLarge();
  const failure = await verifySignature(request, config, body.bytes);
  if (failure) return badSignature(failure);

  const parsed = parseInteraction(body.bytes);
  // The user's language is loaded before anything is worded in it (i18n/translators.ts); English loads nothing.
  const loading = registry.loadTranslations(parsed.ok ? parsed.interaction.locale : parsed.unknownType?.locale);
  if (loading) await loading;
  if (!parsed.ok)
    return parsed.unknownType ? unknownType(parsed.unknownType) : reject(400, "invalid_interaction", parsed.message);
  const { interaction } = parsed;

  const started = Date.now();
  const routed = dispatch(interaction, { registry, env, config, request });
  let result: Dispatched;
  if (routed instanceof Promise) {
    // An asynchronous handler gets until AUTO_DEFER_MS after arrival; then the engine acknowledges for it.
    const inTime = await answerInTime(interaction, routed, arrivedAt);
    if (inTime.late) {
      // The auto-deferral's timer fires late only when something blocked the event loop: measured all the same.
      const ackLateMs = lateAck(interaction.id, null, arrivedAt);
      ctx.waitUntil(
        deliverLateAnswer(interaction, inTime.ack, inTime.pending, env, config, { arrivedAt, registry }, (late) => {
          afterSteps(registry, interaction, late, Date.now() - started, ackLateMs);
          countAnswer(env, ctx, config, interaction, late, arrivedAt);
        }),
      );
      return new Response(JSON.stringify(inTime.ack), { headers: JSON_HEADERS });
    }
    result = inTime.dispatched;
  } else {
    result = routed;
  }
  const handlerMs = Date.now() - started;

  if (needsAfterResponse(result))
    ctx.waitUntil(afterResponse(interaction, result, env, config, { arrivedAt, registry }));

  afterSteps(registry, interaction, result, handlerMs, lateAck(interaction.id, result.route, arrivedAt));
  countAnswer(env, ctx, config, interaction, result, arrivedAt);
  if (result.withResponse)
    return answerWithResponse(
      interaction,
      { response: result.response, route: result.route, withResponse: result.withResponse },
      config,
      arrivedAt,
      ctx,
    );
  return new Response(JSON.stringify(result.response), { headers: JSON_HEADERS });
}

/**
 * A signed interaction of a type Discord added after this code was written: a 400 would show the user "The
 * application did not respond" with no reason, so it gets an ephemeral sentence (type 4, the answer most types
 * take) and operators one log line naming the type.
 */
function unknownType({ type, id, locale }: { type: number; id: string | null; locale: string | null }): Response {
  log("interaction.unknown_type", { interaction_id: id, type, level: "warn" });
  return new Response(
    JSON.stringify({ type: 4, data: { content: platformTranslator(locale)("unknownInteraction"), flags: 64 } }),
    { headers: JSON_HEADERS },
  );
}

/** The registry's after-steps (the log line), then the module's own. */
function afterSteps(
  registry: Registry,
  interaction: Interaction,
  dispatched: Dispatched,
  handlerMs: number,
  ackLateMs: number | undefined,
): void {
  const event: AfterEvent = { interaction, dispatched, handlerMs, ackLateMs };
  runAfterSteps(registry.after, event);
  const own = dispatched.module?.use;
  if (own) runAfterSteps(own, event);
}

/** After-steps see every outcome; one that throws is logged and does not change the answer. */
function runAfterSteps(steps: readonly Middleware[], event: AfterEvent): void {
  for (const step of steps) {
    if (!step.after) continue;
    try {
      step.after(event);
    } catch (error) {
      log("middleware.after_failed", {
        interaction_id: event.interaction.id,
        step: step.name,
        level: "error",
        ...errorFields(error),
      });
    }
  }
}
