// Property-based tests (fast-check) for the parsers users can reach: custom_id state and chart button state.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customId, CustomIdError, parseCustomId } from "../../src/dispatch/custom-id.ts";
import { Options } from "../../src/dispatch/options.ts";
import { isChartKey } from "../../src/commands/chart/store.ts";

const segment = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes(":"));

describe("custom_id", () => {
  it("round-trips prefix and state, or refuses to build an id over 100 characters", () => {
    fc.assert(
      fc.property(segment, fc.array(segment, { maxLength: 8 }), (prefix, state) => {
        let id: string;
        try {
          id = customId(prefix, ...state);
        } catch (error) {
          expect(error).toBeInstanceOf(CustomIdError);
          expect([prefix, ...state].join(":").length).toBeGreaterThan(100);
          return;
        }
        expect(id.length).toBeLessThanOrEqual(100);
        expect(parseCustomId(id)).toEqual({ prefix, state: state.join(":"), args: state });
      }),
      { numRuns: 1000 },
    );
  });

  it("parses any string without throwing", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (id) => {
      const parsed = parseCustomId(id);
      expect(parsed.prefix.includes(":")).toBe(false);
      if (id.includes(":")) expect(`${parsed.prefix}:${parsed.state}`).toBe(id);
      else expect(parsed).toEqual({ prefix: id, state: "", args: [] });
    }), { numRuns: 1000 });
  });

  it("accepts only our chart keys as button state", () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), (key) => {
      expect(isChartKey(key)).toBe(/^[0-9a-z]{12}$/.test(key));
    }), { numRuns: 1000 });
  });
});

describe("options", () => {
  it("never throw on arbitrary option trees, and return values of the asked type or undefined", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 5 }), fc.jsonValue({ maxDepth: 3 }), (options, resolved) => {
      const reader = new Options({ data: { options, resolved } as Record<string, unknown> });
      for (const name of ["a", "values", "file", "0"]) {
        const s = reader.string(name);
        expect(s === undefined || typeof s === "string").toBe(true);
        const n = reader.integer(name);
        expect(n === undefined || Number.isInteger(n)).toBe(true);
        const file = reader.attachment(name);
        expect(file === undefined || typeof file.url === "string").toBe(true);
      }
      reader.focused();
    }), { numRuns: 500 });
  });
});
