/**
 * The one list of webhook event modules (POST /events). To handle another event: write
 * src/worker/app/events/<name>.ts exporting `event` and `handle`, and add it here; `listEventModules` checks each.
 */
import { listEventModules } from "../../kit/index.ts";
import * as applicationAuthorized from "./application-authorized.ts";
import * as applicationDeauthorized from "./application-deauthorized.ts";
import * as entitlementCreate from "./entitlement-create.ts";
import * as entitlementDelete from "./entitlement-delete.ts";
import * as entitlementUpdate from "./entitlement-update.ts";

export const events = listEventModules(
  applicationAuthorized,
  applicationDeauthorized,
  entitlementCreate,
  entitlementUpdate,
  entitlementDelete,
);
