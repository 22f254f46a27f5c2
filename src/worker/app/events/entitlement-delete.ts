/** ENTITLEMENT_DELETE: Discord removed the entitlement (a refund, a deleted test entitlement). Kept as the entitlement's current state for /admin stats. */
import type { EventContext, HandledEventName } from "../../kit/index.ts";
import { saveEntitlement } from "../storage/app-events.ts";
import { requireStorage } from "./storage.ts";

export const event = "ENTITLEMENT_DELETE" satisfies HandledEventName;

export async function handle({ env, data, occurredAt }: EventContext<typeof event>): Promise<void> {
  await saveEntitlement(requireStorage(env, event), data, occurredAt, true);
}
