/**
 * After a linked user draws a chart: count it and PUT their role connection with the new value. The interactions
 * Worker asks for it (POST /chart-drawn) in the chart job's `task.after` work, after the final edit (off the 3-second
 * path, never delaying the chart). One D1 statement
 * for a user who has not linked; for one who has, a token refresh when the access token is (nearly) expired, then
 * the PUT, each with a deadline (oauth.ts).
 */
import { describeError, log } from "../worker/kit/log.ts";
import type { LinkedRolesConfig } from "./config.ts";
import { grant, putRoleConnection, type OAuthFailure } from "./oauth.ts";
import { countChart, saveTokens, unseal } from "./store.ts";

export async function updateRoleConnectionAfterChart(
  config: LinkedRolesConfig,
  userId: string,
  interactionId: string,
): Promise<void> {
  const { clientSecret: secret, tokenEncryptionKey: key, db } = config;
  const now = Date.now();
  let link = await countChart(db, userId, now);
  if (!link) return;
  const charts = link.charts_drawn;
  try {
    let accessToken: string;
    // A minute's margin, so the token does not run out between the check and the PUT.
    if (link.expires_at - 60_000 <= now) {
      const fresh = await grant(config, secret, { refresh_token: await unseal(key, userId, link.refresh_token) });
      link = await saveTokens(db, key, userId, fresh, now);
      accessToken = fresh.access_token;
    } else accessToken = await unseal(key, userId, link.access_token);
    await putRoleConnection(config, accessToken, { charts_drawn: charts });
    log("linked_role.update", {
      interaction_id: interactionId,
      user_id: userId,
      outcome: "updated",
      charts_drawn: charts,
    });
  } catch (error) {
    // A revoked grant (the user removed the app's access) is fixed by linking again; the count stays in D1.
    const relink = (error as Partial<OAuthFailure>).kind === "grant";
    log("linked_role.update", {
      interaction_id: interactionId,
      user_id: userId,
      outcome: relink ? "relink_needed" : "error",
      level: relink ? "warn" : "error",
      charts_drawn: charts,
      error: describeError(error),
    });
  }
}
