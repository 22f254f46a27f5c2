/**
 * Entitlements in interactions: monetised apps receive the invoking user's (and server's) active entitlements in
 * `entitlements` on every interaction (https://discord.com/developers/docs/interactions/receiving-and-responding
 * #interaction-object; https://discord.com/developers/docs/resources/entitlement#entitlement-object), so a premium
 * check needs no API call and no storage: it reads the payload, and only when a handler asks.
 */
import type { Entitlement } from "./interaction.ts";

/** Whether `entitlements` (the interaction's, read once at the boundary) hold one for `skuId` in force at `now`. */
export function grantsSku(entitlements: readonly Entitlement[], skuId: string, now = Date.now()): boolean {
  for (const entitlement of entitlements) {
    if (entitlement.skuId !== skuId || entitlement.deleted || entitlement.consumed) continue;
    if (entitlement.startsAt !== null && Date.parse(entitlement.startsAt) > now) continue;
    if (entitlement.endsAt !== null && Date.parse(entitlement.endsAt) <= now) continue;
    return true;
  }
  return false;
}
