// What a person does to the app itself rather than in a chat, and what Discord then tells the app through webhook
// events: adding it to the server or to their account (APPLICATION_AUTHORIZED, integration_type 0 or 1), removing
// it from their account (APPLICATION_DEAUTHORIZED), buying a SKU (ENTITLEMENT_CREATE: the entitlement is kept and
// carried by the person's later interactions) and the purchase going away (ENTITLEMENT_DELETE). Each event is signed
// with the dev key, POSTed to the Worker's Events URL and recorded for the playground's log.

import {
  authorizedData,
  deauthorizedData,
  deliverWebhookEvent,
  isActiveEntitlement,
  testEntitlement,
  webhookEvent,
  type EmulatedEntitlement,
} from "./app-events.ts";
import { INITIAL_RESPONSE_DEADLINE_MS } from "./registry.ts";
import { DEFAULT_GUILD_ID, DEFAULT_USER, DEFAULT_USER_ID } from "./signed-interactions.ts";
import type { AppEventRecord, EmulatorState } from "./state.ts";
import type { WorkerTarget } from "./send.ts";

export interface AppActionDeps {
  state: EmulatorState;
  worker: WorkerTarget | undefined;
  changed(): void;
  now(): number;
}

export type AppActionResult<T = AppEventRecord> =
  | { ok: true; value: T; event: AppEventRecord }
  | { ok: false; status: number; error: string };

/** The Events URL: WorkerTarget.eventsUrl, else the interactions URL's sibling /events (as npm start serves it). */
function eventsUrlOf(worker: WorkerTarget): string {
  return worker.eventsUrl ?? worker.url.replace(/\/interactions\/?$/, "/events");
}

/** Signs and POSTs one event to the Worker and records the delivery. */
export async function sendAppEvent(deps: AppActionDeps, type: string, data: unknown): Promise<AppActionResult<null>> {
  const { state, worker } = deps;
  if (!worker)
    return {
      ok: false,
      status: 409,
      error:
        "emulator(events): no Worker to send events to; start the emulator with worker: {url, privateKeyHex} (npm start does)",
    };
  const url = eventsUrlOf(worker);
  const body = webhookEvent(state.applicationId, type, data, deps.now());
  const record: AppEventRecord = {
    seq: state.nextAppEventSeq++,
    at: new Date(deps.now()).toISOString(),
    type,
    worker_url: url,
    request: body,
    status: null,
    ms: null,
    timed_out: false,
  };
  state.appEvents.push(record);
  deps.changed();
  const delivery = await deliverWebhookEvent(url, body, worker.privateKeyHex, {
    deadlineMs: INITIAL_RESPONSE_DEADLINE_MS,
  });
  record.status = delivery.status;
  record.ms = delivery.ms;
  record.timed_out = delivery.timedOut;
  if (delivery.error !== undefined) record.error = delivery.error;
  deps.changed();
  return { ok: true, value: null, event: record };
}

/** The playground's user adds the app to the playground's server (0) or to their own account (1). */
export async function installApp(deps: AppActionDeps, integrationType: 0 | 1): Promise<AppActionResult<null>> {
  const data = authorizedData({ integrationType, user: DEFAULT_USER, guildId: DEFAULT_GUILD_ID });
  const sent = await sendAppEvent(deps, "APPLICATION_AUTHORIZED", data);
  if (sent.ok) {
    deps.state.installed[integrationType === 0 ? "guild" : "user"] = true;
    deps.changed();
  }
  return sent;
}

/** The playground's user removes the app from their account: Discord names only the user. */
export async function uninstallApp(deps: AppActionDeps): Promise<AppActionResult<null>> {
  const sent = await sendAppEvent(deps, "APPLICATION_DEAUTHORIZED", deauthorizedData(DEFAULT_USER));
  if (sent.ok) {
    deps.state.installed.user = false;
    deps.changed();
  }
  return sent;
}

/** A test purchase of `skuId` by the playground's user; later interactions carry the entitlement. */
export async function buySku(deps: AppActionDeps, skuId: string): Promise<AppActionResult<EmulatedEntitlement>> {
  const owned = activeEntitlements(deps.state, DEFAULT_USER_ID, null, deps.now()).find((e) => e.sku_id === skuId);
  if (owned)
    return {
      ok: false,
      status: 409,
      error: `emulator(entitlements): the playground's user already owns SKU ${skuId} (entitlement ${owned.id})`,
    };
  const entitlement = testEntitlement({
    applicationId: deps.state.applicationId,
    skuId,
    userId: DEFAULT_USER_ID,
    at: deps.now(),
  });
  deps.state.entitlements.push(entitlement);
  deps.changed();
  const sent = await sendAppEvent(deps, "ENTITLEMENT_CREATE", entitlement);
  return sent.ok ? { ok: true, value: entitlement, event: sent.event } : sent;
}

/** Deletes an entitlement (a refunded or removed test purchase): ENTITLEMENT_DELETE, and interactions stop carrying it. */
export async function deleteEntitlement(
  deps: AppActionDeps,
  id: string,
): Promise<AppActionResult<EmulatedEntitlement>> {
  const entitlement = deps.state.entitlements.find((e) => e.id === id && !e.deleted);
  if (!entitlement) return { ok: false, status: 404, error: `emulator(entitlements): no entitlement ${id}` };
  entitlement.deleted = true;
  deps.changed();
  const sent = await sendAppEvent(deps, "ENTITLEMENT_DELETE", entitlement);
  return sent.ok ? { ok: true, value: entitlement, event: sent.event } : sent;
}

/** What an interaction by `userId` (in `guildId`) carries in `entitlements`: theirs, and the server's. */
export function activeEntitlements(
  state: EmulatorState,
  userId: string,
  guildId: string | null,
  now: number,
): EmulatedEntitlement[] {
  return state.entitlements.filter(
    (e) => isActiveEntitlement(e, now) && (e.user_id === userId || (guildId !== null && e.guild_id === guildId)),
  );
}
