/**
 * What travels through the queue: the interaction itself, not a closure. The consumer dispatches it again
 * to obtain the handler's deferred task (handlers are pure functions of the interaction), so every heavy
 * command works in queue mode without a line of queue-specific code. The token is inside: queue messages
 * are internal and never logged.
 */
export interface JobMessage {
  readonly v: 1;
  readonly interaction: Record<string, unknown>;
  readonly route: string | null;
  readonly enqueued_at: number;
  /** The acknowledgement was type 6 (edit the component's message) rather than type 5. Absent in messages
   * enqueued before this field existed; they are treated as type 5. */
  readonly update?: boolean;
}

export function isJobMessage(value: unknown): value is JobMessage {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return body.v === 1 && typeof body.interaction === "object" && body.interaction !== null && typeof body.enqueued_at === "number";
}
