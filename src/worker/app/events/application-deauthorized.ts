/** APPLICATION_DEAUTHORIZED: a user removed the app from their account. Recorded for /admin stats. */
import type { EventContext, HandledEventName } from "../../kit/index.ts";
import { saveDeauthorization } from "../storage/app-events.ts";
import { requireStorage } from "./storage.ts";

export const event = "APPLICATION_DEAUTHORIZED" satisfies HandledEventName;

export async function handle({ env, data, key, occurredAt }: EventContext<typeof event>): Promise<void> {
  await saveDeauthorization(requireStorage(env, event), key, data.userId, occurredAt);
}
