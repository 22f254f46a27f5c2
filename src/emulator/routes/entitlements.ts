// GET /applications/{app}/entitlements with the bot token: the entitlements the emulator keeps (test purchases made
// in the playground or over /__emulator/entitlements), filtered as Discord's List Entitlements filters them:
// user_id, guild_id, sku_ids (comma-separated), before/after (ids), limit (1-100, default 100), exclude_ended
// (default false) and exclude_deleted (default true). Oldest first, as Discord pages with `after`.

import { invalidFormBody } from "../errors.ts";
import type { Route, RouteContext } from "../router.ts";

const BUCKET = { limit: 5, windowMs: 1_000 };

function listEntitlements(ctx: RouteContext): Response {
  const query = ctx.url.searchParams;
  const limit = Number(query.get("limit") ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return invalidFormBody([
      {
        path: "limit",
        code: "NUMBER_TYPE_MAX",
        message: "emulator(entitlements): limit must be a whole number from 1 to 100",
      },
    ]);
  }
  const skuIds = query.get("sku_ids")?.split(",").filter(Boolean);
  const flag = (name: string, fallback: boolean) => (query.has(name) ? query.get(name) === "true" : fallback);
  const excludeEnded = flag("exclude_ended", false);
  const excludeDeleted = flag("exclude_deleted", true);
  const userId = query.get("user_id");
  const guildId = query.get("guild_id");
  const before = query.get("before");
  const after = query.get("after");
  const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
  const found = ctx.state.entitlements
    .filter(
      (e) =>
        (!userId || e.user_id === userId) &&
        (!guildId || e.guild_id === guildId) &&
        (!skuIds || skuIds.includes(e.sku_id)) &&
        (!excludeDeleted || !e.deleted) &&
        (!excludeEnded || !(e.ends_at && Date.parse(e.ends_at) <= ctx.now)) &&
        (!before || byId(e.id, before) < 0) &&
        (!after || byId(e.id, after) > 0),
    )
    .sort((a, b) => byId(a.id, b.id))
    .slice(0, limit);
  return Response.json(found);
}

export const entitlementRoutes: Route[] = [
  {
    method: "GET",
    template: "/applications/:app/entitlements",
    auth: true,
    bucket: BUCKET,
    major: [],
    handler: listEntitlements,
  },
];
