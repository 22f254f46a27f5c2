/**
 * Deferred work as named jobs. A module declares its jobs (`export const jobs = { render: job(run) }`); a handler
 * defers by naming one with a serialisable input (`ctx.defer("render", input)`). The dispatcher answers type 5
 * (or 6) at once and the runner calls the job with that input, in waitUntil or, in queue mode, in the consumer
 * from the queued input: the same function either way, and the handler never runs twice.
 *
 * The runner guarantees exactly one final edit of @original (the job's return value, or a readable error with a
 * reference id), whatever the job does. A job may also send follow-up messages and edit or delete them, and
 * show progress by editing @original before it finishes (TaskContext in run-deferred.ts).
 */
import type { FinalMessage } from "../discord/messages.ts";
import type { TaskContext } from "./task-context.ts";

/** Types that survive JSON.stringify → JSON.parse unchanged (what a queue message carries); functions, symbols,
 * bigints, Maps and class instances with methods do not, and are a compile error as a job's input. */
export type JsonSafe<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer U)[]
    ? readonly JsonSafe<U>[]
    : T extends (...args: never[]) => unknown
      ? never
      : T extends bigint | symbol | Map<unknown, unknown> | Set<unknown> | Date
        ? never
        : T extends object
          ? { readonly [K in keyof T]: JsonSafe<T[K]> }
          : never;

/** The final action of a job: a message for @original, or the instruction to delete it. */
export type JobResult = FinalMessage | typeof DELETE_ORIGINAL;

/** Return this from a job to delete @original instead of editing it (e.g. when follow-ups said it all). */
export const DELETE_ORIGINAL = Symbol("delete @original");

export interface Job<I = never> {
  readonly run: (input: I, task: TaskContext) => Promise<JobResult>;
  /**
   * Checks an input that came back from a queue (a deploy may have changed the job since it was enqueued);
   * throw to refuse it, and the user gets a readable final message. Default: accept any JSON.
   */
  readonly parse?: (input: unknown) => I;
}

// `any` only here, so that jobs of every input type fit one record; each job's own type is kept by `job()`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Jobs = Readonly<Record<string, Job<any>>>;

export type JobInput<T> = T extends Job<infer I> ? I : never;

/** Declares a job. Its input type must survive JSON (the queue carries it); anything else is a compile error here. */
export function job<I>(
  run: (input: I, task: TaskContext) => Promise<JobResult>,
  ...options: [I] extends [JsonSafe<I>]
    ? [options?: { parse?: (input: unknown) => I }]
    : [error: "a job's input must be JSON: no functions, bigints, Maps, Sets, Dates or symbols"]
): Job<I> {
  const parse = typeof options[0] === "object" ? options[0].parse : undefined;
  return parse ? { run, parse } : { run };
}

const DEFERRAL = Symbol("deferral");

/** A handler's request for deferred work; only `ctx.defer` / `ctx.deferUpdate` make one. */
export interface Deferral {
  readonly [DEFERRAL]: true;
  readonly job: string;
  readonly input: unknown;
  /** Type 6 (edit the component's message) instead of type 5 (a new "thinking…" message). */
  readonly update: boolean;
  readonly ephemeral: boolean;
}

export function makeDeferral(job: string, input: unknown, update: boolean, ephemeral: boolean): Deferral {
  return { [DEFERRAL]: true, job, input, update, ephemeral };
}

export function isDeferral(value: unknown): value is Deferral {
  return typeof value === "object" && value !== null && (value as { [DEFERRAL]?: unknown })[DEFERRAL] === true;
}
