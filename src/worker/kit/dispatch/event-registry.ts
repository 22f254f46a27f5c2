/**
 * Event handler modules, declared like command modules: a module is data plus a function,
 *
 *   export const event = "ENTITLEMENT_CREATE" satisfies HandledEventName;
 *   export async function handle(ctx: EventContext<typeof event>): Promise<void> { … }
 *
 * and src/worker/app/events/index.ts lists them once through `listEventModules`, which checks each as it is listed:
 * an unknown event name, a handler typed for another event or an export nothing calls is a compile error on its
 * line, and a RegistryError when the list loads (so in tests too), never a silent no-op in production.
 */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import { RegistryError } from "./registry.ts";
import { isHandledEventName, type EventData, type HandledEventName } from "./webhook-event.ts";

export interface EventContext<E extends HandledEventName> {
  readonly type: E;
  /** The event's data, read and checked at the boundary (webhook-event.ts). */
  readonly data: EventData[E];
  /** When the event occurred (ms epoch), per Discord. */
  readonly occurredAt: number;
  /** The event's identity across redeliveries (eventKey): a natural key for idempotent writes. */
  readonly key: string;
  readonly env: Env;
  readonly config: Config;
}

export interface EventModule<E extends HandledEventName = HandledEventName> {
  readonly event: E;
  /** Runs after the 204, in waitUntil, once per event (a redelivery is skipped). Throwing is logged. */
  readonly handle: (ctx: EventContext<E>) => Promise<void>;
}

export interface EventRegistry {
  readonly modules: readonly EventModule[];
  handler(type: string): EventModule | undefined;
}

type Checked<M> = M extends { readonly event: infer E extends HandledEventName }
  ? { readonly event: E; readonly handle: (ctx: EventContext<E>) => Promise<void> } & {
      readonly [K in Exclude<keyof M, "event" | "handle">]: never;
    }
  : { readonly event: HandledEventName };

/** The one list of event modules, checked at compile time (per module) and when it loads. */
export function listEventModules<const M extends readonly object[]>(
  ...modules: { readonly [I in keyof M]: M[I] & Checked<M[I]> }
): EventRegistry {
  const byType = new Map<string, EventModule>();
  (modules as unknown as readonly Record<string, unknown>[]).forEach((module, index) => {
    const fail = (problem: string): never => {
      throw new RegistryError(`events: module #${index + 1} (${String(module.event)}): ${problem}`);
    };
    if (typeof module.event !== "string" || !isHandledEventName(module.event))
      fail("`event` must name an event type webhook-event.ts reads");
    if (typeof module.handle !== "function") fail("needs a `handle` function");
    for (const key of Object.keys(module))
      if (key !== "event" && key !== "handle")
        fail(`exports \`${key}\`; an event module exports event and handle only`);
    if (byType.has(module.event as string)) fail("another module handles this event");
    byType.set(module.event as string, module as unknown as EventModule);
  });
  return { modules: [...byType.values()], handler: (type) => byType.get(type) };
}
