// A job contract: the one declaration of a backend job's name, the input the Worker sends and the result the
// backend returns. The Worker's relay client and the backend's job both name the contract, so a change to either
// side's shape is a type error on the other rather than a surprise at runtime. Runtime-neutral (no `node:` imports,
// no Node or Workers globals): it is type-checked and imported by both.

declare const inputType: unique symbol;
declare const outputType: unique symbol;

export interface JobContract<Input, Output, Name extends string = string> {
  /** The URL segment in `POST /v1/jobs/{name}`. */
  readonly name: Name;
  /** Type-only: never present at runtime; carries the input type for relay calls. */
  readonly [inputType]?: Input;
  /** Type-only: never present at runtime; carries the result type. */
  readonly [outputType]?: Output;
}

/** @public */
export type JobInput<Contract> = Contract extends JobContract<infer Input, unknown> ? Input : never;
/** @public */
export type JobOutput<Contract> = Contract extends JobContract<unknown, infer Output> ? Output : never;

/** `defineJobContract<Input, Output>()("name")`: curried so the types are given and the name's literal inferred. */
export function defineJobContract<Input, Output>() {
  return <const Name extends string>(name: Name): JobContract<Input, Output, Name> => Object.freeze({ name });
}
