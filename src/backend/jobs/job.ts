// The job contract. A job module is data plus functions: a name (the URL segment in POST /v1/jobs/{name}), an
// input validator and a run function. Validation is separate from running so the backend can answer 422 for bad
// input before it spends a concurrency slot, and so the validated value reaches `run` fully typed.
//
// A job also declares the largest request body it can legitimately receive. The body is read before it can be
// authenticated, so this cap is what one unauthenticated request may make the backend buffer for this job; a job
// whose input is a few parameters keeps the small default.

import type { AllowedHost } from "../attachment.ts";
import type { Logger } from "../log.ts";
import type { DrawChart } from "./chart/draw.ts";
import type { BackendSentences } from "../i18n/messages.ts";

export interface JobContext {
  /** The interaction id from the request body, for log lines. */
  id: string;
  /** The backend's sentences in the user's language (the request's `locale`), for what the user reads of a result. */
  sentences: BackendSentences;
  fetch: typeof fetch;
  /** Chart spec → PNG where the entry point chose: a Node render thread, or this thread (draw.ts). */
  drawChart: DrawChart;
  /** The most a chart may cost to draw, in ordinary charts (chart/render-cost.ts); more is refused with 422 too_costly. */
  renderBudget: number;
  attachmentHosts: readonly AllowedHost[];
  log: Logger;
}

/** For jobs whose input is a handful of parameters (ids, URLs, short strings). */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024;

export interface JobDefinition<Input, Output> {
  name: string;
  /** Largest relay body (the whole `{id, input}` JSON, in bytes) accepted for this job; default 64 KiB. */
  maxInputBytes?: number;
  /** Throws InputError (→ 422, naming the field) for anything it does not accept. */
  validate(input: unknown, ctx: JobContext): Input;
  /** May throw HttpError for expected failures (a bad attachment); anything else is a job crash (→ 500). */
  run(input: Input, ctx: JobContext): Promise<Output>;
}

/** A job with its input type hidden, so jobs of different types fit in one registry list. */
export interface Job {
  readonly name: string;
  readonly maxInputBytes: number;
  prepare(input: unknown, ctx: JobContext): () => Promise<unknown>;
}

export function defineJob<Input, Output>(definition: JobDefinition<Input, Output>): Job {
  const maxInputBytes = definition.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (!Number.isSafeInteger(maxInputBytes) || maxInputBytes < 1) {
    throw new RangeError(
      `backend(job): ${definition.name}'s maxInputBytes must be a positive integer, got ${maxInputBytes}`,
    );
  }
  return {
    name: definition.name,
    maxInputBytes,
    prepare(input, ctx) {
      const validated = definition.validate(input, ctx);
      return () => definition.run(validated, ctx);
    },
  };
}
