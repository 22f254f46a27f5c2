/** APPLICATION_AUTHORIZED: the app was added to a server (integration_type 0) or to a user's account (1). Recorded for /admin stats. */
import type { EventContext, HandledEventName } from "../../kit/index.ts";
import { saveInstall } from "../storage/app-events.ts";
import { requireStorage } from "./storage.ts";

export const event = "APPLICATION_AUTHORIZED" satisfies HandledEventName;

export async function handle({ env, data, key, occurredAt }: EventContext<typeof event>): Promise<void> {
  await saveInstall(requireStorage(env, event), key, data, occurredAt);
}
