// The job contract. A job module is data plus functions: a name (the URL segment in POST /v1/jobs/{name}), an
// input validator and a run function. Validation is separate from running so the backend can answer 422 for bad
// input before it spends a concurrency slot, and so the validated value reaches `run` fully typed.

import type { AllowedHost } from "../attachment.ts";
import type { Logger } from "../log.ts";

export interface JobContext {
  /** The interaction id from the request body, for log lines. */
  id: string;
  fetch: typeof fetch;
  attachmentHosts: readonly AllowedHost[];
  log: Logger;
}

export interface JobDefinition<Input, Output> {
  name: string;
  /** Throws InputError (→ 422, naming the field) for anything it does not accept. */
  validate(input: unknown, ctx: JobContext): Input;
  /** May throw HttpError for expected failures (a bad attachment); anything else is a job crash (→ 500). */
  run(input: Input, ctx: JobContext): Promise<Output>;
}

/** A job with its input type hidden, so jobs of different types fit in one registry list. */
export interface Job {
  readonly name: string;
  prepare(input: unknown, ctx: JobContext): () => Promise<unknown>;
}

export function defineJob<Input, Output>(definition: JobDefinition<Input, Output>): Job {
  return {
    name: definition.name,
    prepare(input, ctx) {
      const validated = definition.validate(input, ctx);
      return () => definition.run(validated, ctx);
    },
  };
}
