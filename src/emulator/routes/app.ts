// Control routes for the app itself (what the playground's App menu and premium buttons do, and what tests call):
//   GET    /__emulator/app                    where the app is installed, the SKUs, the entitlements
//   POST   /__emulator/app/install            {integration_type: 0 | 1}: APPLICATION_AUTHORIZED to the Worker
//   POST   /__emulator/app/uninstall          APPLICATION_DEAUTHORIZED
//   POST   /__emulator/app/events             {type, data}: any webhook event, as given
//   POST   /__emulator/entitlements           {sku_id}: a test purchase (ENTITLEMENT_CREATE)
//   DELETE /__emulator/entitlements/<id>      ENTITLEMENT_DELETE
// Each answers with the delivery record ({event: {status, ms, error?, …}}); a Worker that did not answer 204 is
// a recorded delivery with an `error`, not a failed control call.

import type { DiscordEmulator } from "../app.ts";
import type { AppActionResult } from "../app-actions.ts";
import { isSnowflake } from "../snowflake.ts";

const json = (value: unknown, status = 200) => Response.json(value, { status });
const problem = (status: number, message: string) => json({ error: message }, status);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function readObject(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const text = await request.text();
    const value: unknown = text ? JSON.parse(text) : {};
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

function answer<T>(result: AppActionResult<T>, status = 200, key?: string): Response {
  if (!result.ok) return problem(result.status, result.error);
  return json({ event: result.event, ...(key ? { [key]: result.value } : {}) }, status);
}

/** Answers the app's control routes; null for any other /__emulator path. */
export async function handleAppControl(
  emulator: DiscordEmulator,
  request: Request,
  path: string,
): Promise<Response | null> {
  const method = request.method;
  const state = emulator.state;
  if (path === "/app" && method === "GET")
    return json({ installed: state.installed, skus: state.skus, entitlements: state.entitlements });
  if (path === "/entitlements" && method === "GET") return json(state.entitlements);

  if (
    method === "POST" &&
    (path === "/app/install" || path === "/app/uninstall" || path === "/app/events" || path === "/entitlements")
  ) {
    const body = await readObject(request);
    if (!body) return problem(400, `emulator(app): the body of POST /__emulator${path} must be a JSON object`);
    if (path === "/app/install") {
      const type = body.integration_type ?? 0;
      if (type !== 0 && type !== 1)
        return problem(400, "emulator(app): integration_type must be 0 (a server) or 1 (a user's account)");
      return answer(await emulator.installApp(type));
    }
    if (path === "/app/uninstall") return answer(await emulator.uninstallApp());
    if (path === "/app/events") {
      if (typeof body.type !== "string" || body.type === "")
        return problem(
          400,
          'emulator(app): POST /__emulator/app/events needs {type: "APPLICATION_AUTHORIZED" | …, data}',
        );
      return answer(await emulator.sendAppEvent(body.type, body.data ?? {}));
    }
    if (!isSnowflake(body.sku_id)) return problem(400, "emulator(entitlements): sku_id must be a SKU id (a snowflake)");
    return answer(await emulator.buySku(body.sku_id), 201, "entitlement");
  }

  const one = /^\/entitlements\/([^/]+)$/.exec(path);
  if (one && method === "DELETE")
    return answer(await emulator.deleteEntitlement(decodeURIComponent(one[1]!)), 200, "entitlement");
  return null;
}
