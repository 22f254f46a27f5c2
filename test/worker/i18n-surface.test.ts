// Issue 25's localization, as far as the bundle budget allows (see the report): the per-user limiter's refusal and
// /chart's own refusals answer in the user's Discord locale (de, fr), English for any other.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { command, component, sendWith } from "../support/interactions.worker.ts";

const refusal = async (payload: Record<string, unknown>, workerEnv: Record<string, unknown> = env as never) =>
  ((await (await sendWith(payload, workerEnv, createExecutionContext())).json()) as { data: { content: string; flags: number } }).data;

describe("localized refusals", () => {
  it("/chart's checks answer in German and French", async () => {
    expect(await refusal(command("chart", [], { locale: "de" }))).toMatchObject({ content: "Gib genau eines an: `values` (Zahlen wie `3,5,8`) oder `file` (eine CSV).", flags: 64 });
    expect((await refusal(command("chart", [{ type: 3, name: "values", value: "1,2" }, { type: 3, name: "title", value: "x".repeat(120) }], { locale: "fr" }))).content).toBe("`title` fait 120 caractères ; la limite est 100.");
    expect((await refusal(component("chart:line:bad", { locale: "fr" }))).content).toBe("Ce bouton n'est pas le mien (ses données sont invalides) ; ignoré.");
    expect((await refusal(command("chart", [], { locale: "pt-BR" }))).content).toMatch(/^Give me exactly one of/);
  });

  it("the heavy limiter's refusal names the wait in the user's language", async () => {
    const limiter = { limit: async () => ({ success: false }) };
    const workerEnv = { ...env, HEAVY_LIMITER: limiter, BACKEND_URL: "https://backend.test", RELAY_SECRET: "s" };
    const de = await refusal(command("chart", [{ type: 3, name: "values", value: "1,2" }], { locale: "de" }), workerEnv);
    expect(de.content).toBe("Du nutzt `/chart` schneller, als ich mitkomme. Bitte in etwa 60 Sekunden erneut versuchen.");
  });
});
