/**
 * Entitlements in interactions: monetised apps receive the invoking user's (and server's) active entitlements in
 * `entitlements` on every interaction (https://discord.com/developers/docs/interactions/receiving-and-responding
 * #interaction-object; https://discord.com/developers/docs/resources/entitlement#entitlement-object), so a premium
 * check needs no API call and no storage: it reads the payload, and only when a handler asks.
 */
import { isObject } from "../json.ts";

/** Whether `entitlements` (the raw payload field) holds one for `skuId` that is in force at `now`. */
export function grantsSku(entitlements: unknown, skuId: string, now = Date.now()): boolean {
  if (!Array.isArray(entitlements)) return false;
  for (const entitlement of entitlements) {
    if (!isObject(entitlement) || entitlement.sku_id !== skuId) continue;
    if (entitlement.deleted === true || entitlement.consumed === true) continue;
    if (typeof entitlement.starts_at === "string" && Date.parse(entitlement.starts_at) > now) continue;
    if (typeof entitlement.ends_at === "string" && Date.parse(entitlement.ends_at) <= now) continue;
    return true;
  }
  return false;
}
