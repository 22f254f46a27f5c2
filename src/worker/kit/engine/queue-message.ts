/**
 * What travels through the queue: the interaction (for its token, ids and the user's context) and the job to
 * run, by name, with the input the handler gave it. The consumer runs that job directly; the handler never
 * runs again, so side effects before the deferral happen once and `ctx.after` tasks ran at ingress. The token
 * is inside: queue messages are internal and never logged.
 */
export interface JobMessage {
  readonly v: 2;
  readonly interaction: Record<string, unknown>;
  readonly route: string | null;
  /** The job's name in its module's `jobs`, and its serialised input. */
  readonly job: string;
  readonly input: unknown;
  readonly enqueued_at: number;
  /** The acknowledgement was type 6 (edit the component's message) rather than type 5. */
  readonly update: boolean;
}

/** A job message of this version; anything else is not one (a new deployment has no other format). */
export function isJobMessage(value: unknown): value is JobMessage {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    body.v === 2 &&
    typeof body.job === "string" &&
    typeof body.interaction === "object" &&
    body.interaction !== null &&
    typeof body.enqueued_at === "number"
  );
}
