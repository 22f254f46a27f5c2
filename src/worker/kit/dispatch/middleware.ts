/**
 * Middleware: steps a module declares (`export const use = [heavyLimiter, adminOnly]`) around its handlers, and
 * steps the registry applies to every interaction (the log line). A `before` step may answer instead of the
 * handler (a permission refusal) by returning a response; returning undefined lets the handler run. A
 * `beforeJob` step runs only when the handler defers, and may answer instead of the deferral (a rate limit). An `after` step always runs, once the answer is decided, and sees the outcome and the time it took.
 * A module without middleware pays nothing for the feature: no array is walked and nothing is allocated.
 */
import type { Dispatched } from "./dispatcher.ts";
import type { Interaction } from "./interaction.ts";
import type { BaseContext, ImmediateResponse, MaybePromise } from "./types.ts";

export interface AfterEvent {
  readonly interaction: Interaction;
  readonly dispatched: Dispatched;
  /** Time from the start of dispatch to the decided answer. */
  readonly handlerMs: number;
  /** Arrival → response returned, when past the auto-deferral's margin (src/worker/engine/ack-watch.ts). */
  readonly ackLateMs?: number;
}

/**
 * The word the log line and the interactions record carry when a step answers instead of the handler: the step's own
 * (snake_case, e.g. a limiter's "rate_limited"); the platform names none of them.
 */
export type MiddlewareOutcome = string & { readonly __middlewareOutcome?: never };

export interface Middleware {
  readonly name: string;
  /** The log's `outcome` when this step answers (default "answered_by_middleware"). */
  readonly outcome?: MiddlewareOutcome;
  /** Runs before the handler; a response returned here is the answer and the handler does not run. */
  readonly before?: (ctx: BaseContext, route: string) => MaybePromise<ImmediateResponse | undefined>;
  /**
   * Runs only when the handler deferred to a job, before "thinking…" is answered; a response returned here is the
   * answer instead, and the job (with the handler's `ctx.after` tasks) does not run. For steps that guard the
   * work itself, like the heavy-command limiter: a call the handler answers at once ("fewer than two numbers", a
   * typo in the values) costs no backend time, so it must not count against the user.
   */
  readonly beforeJob?: (ctx: BaseContext, route: string) => MaybePromise<ImmediateResponse | undefined>;
  /** Runs after every interaction this step applies to. It must not throw; if it does, the throw is logged. */
  readonly after?: (event: AfterEvent) => void;
}

export function defineMiddleware(middleware: Middleware): Middleware {
  if (!middleware.before && !middleware.beforeJob && !middleware.after)
    throw new Error(`middleware(${middleware.name}): give it a before, beforeJob or after step`);
  return middleware;
}
