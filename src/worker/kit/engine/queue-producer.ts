/** RELAY_MODE=queue: hand the deferred interaction to the queue instead of finishing it in waitUntil. */
import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { Interaction } from "../dispatch/interaction.ts";
import type { JobCall } from "./run-deferred.ts";
import type { JobMessage } from "./queue-message.ts";

/** readConfig already refuses RELAY_MODE=queue without JOBS; the binding check here narrows the type. */
export function queueMode(config: Config, env: Env): env is Env & { JOBS: Queue<JobMessage> } {
  return config.relayMode === "queue" && env.JOBS !== undefined;
}

export async function enqueueDeferred(
  queue: Queue<JobMessage>,
  interaction: Interaction,
  route: string | null,
  call: JobCall,
): Promise<void> {
  const message: JobMessage = {
    v: 2,
    interaction: interaction.raw,
    route,
    job: call.job,
    input: call.input,
    enqueued_at: Date.now(),
    update: call.update,
  };
  await queue.send(message, { contentType: "json" });
}
