// When the Worker has finished an interaction, as its own log says (src/worker's one JSON line per event): the local
// stack reads wrangler dev's output and tells the emulator (`workerDone`), so a conversation can be called settled by
// that effect rather than by a quiet moment on a clock (`npm run interact` waits for it).
//
// - `interaction` (one per request, after its answer): finished, unless it handed work to a job (`job` is set);
// - `deferred` (one per job, after its final edit and the follow-ups it held): finished, unless `retrying` (queue mode
//   tries the delivery again later).

export interface WorkerDoneLine {
  interactionId: string;
  outcome: string;
}

export function workerDoneFrom(line: string): WorkerDoneLine | null {
  // wrangler dev prints the Worker's console lines as they are; anything else is wrangler's own output.
  const start = line.indexOf('{"event":');
  if (start === -1) return null;
  let fields: Record<string, unknown>;
  try {
    fields = JSON.parse(line.slice(start)) as Record<string, unknown>;
  } catch {
    return null;
  }
  const id = fields.interaction_id;
  if (typeof id !== "string") return null;
  const outcome = typeof fields.outcome === "string" ? fields.outcome : "unknown";
  if (fields.event === "interaction" && fields.job === undefined) return { interactionId: id, outcome };
  if (fields.event === "deferred" && outcome !== "retrying") return { interactionId: id, outcome };
  return null;
}
