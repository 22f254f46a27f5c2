/**
 * The deferred engine: the one owner of the promise that every deferred interaction ends in exactly one final
 * message, with nothing lost and nothing leaked. Everything outside imports this door, never its rooms.
 *
 *   accepted ─▶ acknowledged ─▶ running ─▶ result ready ─▶ delivered
 *       └────────────┴─────────────┴────────────┴────────▶ failed-with-message (readable, with a reference id)
 *
 * accepted      a handler returned defer("job", input), or had not answered 2.5 s after arrival (auto-defer.ts:
 *               the engine acknowledges for it and delivers its late answer through the webhook);
 * acknowledged  type 5 (6 for a component) is the HTTP answer; no job code runs before it is on its way
 *               (after-response.ts waits a turn of the event loop);
 * running       the claim (D1, time-boxed), then the job: in waitUntil, or via the queue (queue-producer.ts, time-boxed
 *               send with a guarded fallback; queue-consumer.ts). The task context (task-context.ts) holds follow-ups
 *               while "thinking…" shows, and refuses every call once the budget ran out or the job returned;
 * result ready  the job's message, or the error the user reads (user-messages.ts is the only place that decides it);
 *               in queue mode stored when its delivery must be retried (stored-result.ts): a retry never re-runs;
 * delivered     one edit (or delete) of @original, then the held follow-ups, then the job's after-work; one log line.
 * Deadlines count from the interaction's arrival (waitUntil: job 21 s, final edit 28 s); in queue mode the token's
 * 15 minutes bound the retries, with one status edit at the first retry (the schedule is in queue-consumer.ts).
 */
export { DELETE_ORIGINAL, job } from "./jobs.ts";
export type { Job, JobResult, Jobs } from "./jobs.ts";
export { FollowUpLimitError, TaskClosedError } from "./task-context.ts";
export type { TaskContext } from "./task-context.ts";
