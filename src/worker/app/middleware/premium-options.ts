/**
 * The premium gate for command options: `premiumOptions(["file"], …)` makes those options need the SKU named by
 * PREMIUM_SKU_ID. A user without the entitlement gets an ephemeral sentence and Discord's premium button (which
 * opens the purchase); the rest of the command stays free, and with PREMIUM_SKU_ID unset nothing is gated.
 *
 * A middleware (a `before` step) rather than a check inside each handler: it answers before the handler runs, so a
 * refusal never defers (the heavy-command limiter counts deferrals only) and costs the backend nothing, and any
 * module can gate options by listing it in `use`. It reads the option names from the payload (top level, or under
 * a subcommand) and the entitlement from the payload's `entitlements`: no I/O.
 */
import {
  actionRow,
  defineMiddleware,
  ephemeral,
  InteractionType,
  isObject,
  premiumButton,
  type Middleware,
} from "../../kit/index.ts";

/** The names of the options given, at the top level and one or two subcommand levels down. */
function givenOptions(options: unknown, depth = 0): string[] {
  if (!Array.isArray(options) || depth > 2) return [];
  return options.flatMap((option) => {
    if (!isObject(option) || typeof option.name !== "string") return [];
    return option.type === 1 || option.type === 2 ? givenOptions(option.options, depth + 1) : [option.name];
  });
}

/** `what` names the feature for the refusal, e.g. "Charts from a CSV file (`file:`)". */
export function premiumOptions(names: readonly string[], what: string): Middleware {
  return defineMiddleware({
    name: "premium-options",
    outcome: "premium_required",
    before(ctx, route) {
      const skuId = ctx.config.premiumSkuId;
      if (!skuId || ctx.interaction.type !== InteractionType.Command) return undefined;
      if (!givenOptions(ctx.interaction.data?.options).some((name) => names.includes(name))) return undefined;
      if (ctx.hasEntitlement(skuId)) return undefined;
      return ephemeral({
        content: ctx.t("premiumNeeded", what, route),
        components: [actionRow(premiumButton({ skuId }))],
      });
    },
  });
}
