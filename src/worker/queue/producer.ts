/** RELAY_MODE=queue: hand the deferred interaction to the queue instead of finishing it in waitUntil. */
import type { Env } from "../env.ts";
import type { Interaction } from "../dispatch/interaction.ts";
import type { JobMessage } from "./message.ts";

export function queueMode(env: Env): env is Env & { JOBS: Queue<JobMessage> } {
  return env.RELAY_MODE === "queue" && env.JOBS !== undefined;
}

export async function enqueueDeferred(queue: Queue<JobMessage>, interaction: Interaction, route: string | null, update: boolean): Promise<void> {
  await queue.send({ v: 1, interaction: interaction.raw, route, enqueued_at: Date.now(), update }, { contentType: "json" });
}
