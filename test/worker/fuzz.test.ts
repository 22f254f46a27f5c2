import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { command, component, interaction, send } from "../support/interactions.worker.ts";

/** Replaces the value at a random path of a valid payload with arbitrary JSON: signed, but hostile. */
function mutate(base: Record<string, unknown>, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = { ...base };
  const child = copy[head!];
  copy[head!] =
    rest.length && typeof child === "object" && child !== null && !Array.isArray(child)
      ? mutate(child as Record<string, unknown>, rest, value)
      : value;
  return copy;
}

const bases = [
  () => command("ping"),
  () => command("help", [{ type: 3, name: "command", value: "ping" }]),
  () =>
    interaction({
      type: 4,
      data: { name: "help", options: [{ type: 3, name: "command", value: "p", focused: true }] },
    }),
  () => component("help:x"),
  () =>
    interaction({
      type: 5,
      data: { custom_id: "help:y", components: [{ type: 18, component: { type: 4, custom_id: "a", value: "b" } }] },
    }),
  () => ({ type: 1 }),
];
const paths = [
  "type",
  "id",
  "token",
  "data",
  "member",
  "user",
  "guild_id",
  "message",
  "data.name",
  "data.type",
  "data.options",
  "data.custom_id",
  "data.values",
  "data.components",
  "data.resolved",
  "member.permissions",
  "member.user",
  "data.options.0",
].map((p) => p.split("."));

describe("fuzz", () => {
  it("never answers 5xx or throws on hundreds of mutated signed payloads", async () => {
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 3 }),
        async (baseIndex, mutations) => {
          let payload: unknown = bases[baseIndex]!();
          for (const [path, value] of mutations) {
            if (typeof payload === "object" && payload !== null && !Array.isArray(payload))
              payload = mutate(payload as Record<string, unknown>, path, value);
          }
          const response = await send(payload);
          outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
          expect([200, 400]).toContain(response.status);
          const body = (await response.json()) as { type?: number; error?: unknown };
          if (response.status === 200) expect([1, 4, 8, 9]).toContain(body.type);
          else expect(body.error).toBeDefined();
        },
      ),
      { numRuns: 400 },
    );
    // The generator must exercise both the dispatch path and the rejection path.
    expect(outcomes.get(200)).toBeGreaterThan(50);
    expect(outcomes.get(400)).toBeGreaterThan(10);
  }, 30_000); // 400 signed round trips: seconds on a busy 2-core machine; the property, not the speed, is tested

  it("never answers 5xx to arbitrary signed bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const response = await send(bytes);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  }, 30_000); // 200 signed round trips, as above: the property is tested, not the speed
});
