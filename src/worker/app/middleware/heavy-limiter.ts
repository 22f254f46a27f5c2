/**
 * Per-user limit on heavy modules (they cost backend time), checked when a handler defers to a job. The binding is a
 * local, in-location counter (no network round trip), so it is cheap enough for the 3-second path. If it fails,
 * the request goes through: a limiter outage must not take the command down with it. Its buttons count too,
 * since a click re-renders as much as the command.
 */
import { defineMiddleware, ephemeral } from "../../kit/index.ts";

export const heavyLimiter = defineMiddleware({
  name: "heavy-limiter",
  outcome: "rate_limited",
  // Counted when the handler defers, not before it runs: only calls that reach the backend cost anything.
  async beforeJob({ env, config, interaction, t }, route) {
    const limiter = env.HEAVY_LIMITER;
    const userId = interaction.user?.id;
    if (!limiter || !userId) return undefined;
    let allowed: boolean;
    try {
      allowed = (await limiter.limit({ key: userId })).success;
    } catch {
      allowed = true;
    }
    if (allowed) return undefined;
    const period = config.heavyLimitPeriodSeconds;
    return ephemeral(t("rateLimited", route, period));
  },
});
