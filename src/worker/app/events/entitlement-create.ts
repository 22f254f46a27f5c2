/** ENTITLEMENT_CREATE: a purchase, a subscription or a test entitlement began. Kept as the entitlement's current state for /admin stats. */
import type { EventContext, HandledEventName } from "../../kit/index.ts";
import { saveEntitlement } from "../storage/app-events.ts";
import { requireStorage } from "./storage.ts";

export const event = "ENTITLEMENT_CREATE" satisfies HandledEventName;

export async function handle({ env, data, occurredAt }: EventContext<typeof event>): Promise<void> {
  await saveEntitlement(requireStorage(env, event), data, occurredAt);
}
