// Monetisation without a bot token: the premium gate on /chart file: (PREMIUM_SKU_ID), the premium button it
// answers with, ctx.hasEntitlement for any handler, and the config check. Entitlements come in the interaction's
// `entitlements`, exactly as the emulator (and Discord) sends them.
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import { testEntitlement } from "../../src/emulator/core.ts";
import { ComponentError, premiumButton } from "../../src/worker/kit/discord/components.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { defineModule } from "../../src/worker/kit/dispatch/types.ts";
import { ephemeral } from "../../src/worker/kit/discord/responses.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { command, signedRequest } from "../support/interactions.worker.ts";

const SKU = "700000000000000007";
const USER_ID = "400000000000000004";

const csv = (entitlements: unknown[] = []) => {
  const payload = command("chart", [{ type: 11, name: "file", value: "9" }], { entitlements });
  (payload.data as Record<string, unknown>).resolved = {
    attachments: {
      "9": {
        id: "9",
        filename: "data.csv",
        url: "https://cdn.discordapp.com/a/data.csv",
        size: 20,
        content_type: "text/csv",
      },
    },
  };
  return payload;
};
const owned = (extra: Record<string, unknown> = {}) => ({
  ...testEntitlement({ applicationId: "100000000000000001", skuId: SKU, userId: USER_ID }),
  ...extra,
});

async function answer(payload: Record<string, unknown>, vars: Record<string, unknown>) {
  const limiter = { limit: vi.fn(async () => ({ success: true })) };
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    (await signedRequest(JSON.stringify(payload))) as never,
    { ...env, DB: undefined, HEAVY_LIMITER: limiter, ...vars } as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(200);
  return { body: (await response.json()) as { type: number; data: Record<string, any> }, limiter };
}

/** The gate's answer: an ephemeral sentence and one row holding Discord's premium button for the SKU. */
const isPremiumRefusal = (body: { type: number; data: Record<string, any> }) =>
  body.type === 4 &&
  body.data.flags === 64 &&
  JSON.stringify(body.data.components) ===
    JSON.stringify([{ type: 1, components: [{ type: 2, style: 6, sku_id: SKU }] }]);

describe("the /chart file: premium gate", () => {
  it("answers a user without the entitlement ephemerally with the premium button, without counting a heavy use", async () => {
    const { body, limiter } = await answer(csv(), { PREMIUM_SKU_ID: SKU });
    expect(isPremiumRefusal(body)).toBe(true);
    expect(body.data.content).toMatch(/premium/i);
    expect(body.data.content).toContain("`/chart`");
    expect(limiter.limit).not.toHaveBeenCalled();
  });

  it("lets a user with the entitlement through (to the next check: here, the missing backend)", async () => {
    const { body } = await answer(csv([owned()]), { PREMIUM_SKU_ID: SKU });
    expect(isPremiumRefusal(body)).toBe(false);
    expect(body.data.content).toMatch(/backend|not configured|unavailable/i);
  });

  it.each([
    ["deleted", owned({ deleted: true })],
    ["ended", owned({ ends_at: "2020-01-01T00:00:00+00:00" })],
    ["not yet started", owned({ starts_at: "2099-01-01T00:00:00+00:00" })],
    ["consumed", owned({ consumed: true })],
    ["for another SKU", owned({ sku_id: "700000000000000008" })],
  ])("still gates a user whose entitlement is %s", async (_name, entitlement) => {
    expect(isPremiumRefusal((await answer(csv([entitlement]), { PREMIUM_SKU_ID: SKU })).body)).toBe(true);
  });

  it("gates nothing when PREMIUM_SKU_ID is unset", async () => {
    const { body } = await answer(csv(), { PREMIUM_SKU_ID: "" });
    expect(isPremiumRefusal(body)).toBe(false);
    expect(body.data.content).not.toMatch(/premium/i);
  });

  it("keeps values: free", async () => {
    const { body } = await answer(command("chart", [{ type: 3, name: "values", value: "1,2,3" }]), {
      PREMIUM_SKU_ID: SKU,
    });
    expect(isPremiumRefusal(body)).toBe(false);
    expect(JSON.stringify(body)).not.toMatch(/premium/i);
  });
});

describe("ctx.hasEntitlement", () => {
  it("reads the interaction's entitlements for any handler", async () => {
    const seen: boolean[] = [];
    const module = defineModule({
      definition: { name: "vip", description: "x" },
      command(ctx) {
        seen.push(ctx.hasEntitlement(SKU), ctx.hasEntitlement("700000000000000009"));
        return ephemeral("ok");
      },
    });
    const registry = createRegistry([module]);
    for (const entitlements of [[owned()], []]) {
      const request = await signedRequest(JSON.stringify(command("vip", undefined, { entitlements })));
      await handleInteractionRequest(request, env, createExecutionContext(), registry);
    }
    expect(seen).toEqual([true, false, false, false]);
  });
});

describe("premiumButton", () => {
  it("is a style-6 button with the SKU id and nothing else", () => {
    expect(premiumButton({ skuId: SKU })).toEqual({ type: 2, style: 6, sku_id: SKU });
  });

  it("refuses a SKU id that is not a snowflake", () => {
    expect(() => premiumButton({ skuId: "premium" })).toThrow(ComponentError);
  });
});

describe("PREMIUM_SKU_ID", () => {
  it("is named by /health when it is not a SKU id", async () => {
    const response = await worker.fetch(
      new Request("https://w/health") as never,
      { ...env, PREMIUM_SKU_ID: "gold" } as never,
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "misconfigured", missing_or_invalid: ["PREMIUM_SKU_ID"] });
  });
});
