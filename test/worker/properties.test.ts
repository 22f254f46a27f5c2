// Property-based tests (fast-check) for the parsers users can reach (custom_id state, chart button state),
// and for the hot path's hand-rolled pieces (snowflake times without BigInt, log lines built as strings).
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { customId, CustomIdError, parseCustomId } from "../../src/dispatch/custom-id.ts";
import { Options } from "../../src/dispatch/options.ts";
import { isChartKey } from "../../src/commands/chart/store.ts";
import { snowflakeTime } from "../../src/discord/snowflake.ts";
import { log } from "../../src/log.ts";

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

describe("snowflake times", () => {
  it("match the exact BigInt reading to within 1 ms for any 64-bit id", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (id) => {
        const exact = Number((id >> 22n) + 1_420_070_400_000n);
        const time = snowflakeTime(id.toString());
        expect(time).not.toBeNull();
        expect(Math.abs(time! - exact)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 5000 },
    );
    expect(snowflakeTime("175928847299117063")).toBe(1462015105796); // Discord's documented example
    for (const bad of ["", "12a", "-1", "1".repeat(21), "1e5"]) expect(snowflakeTime(bad)).toBeNull();
  });
});

describe("log lines", () => {
  it("are one JSON object each, with the event first and every field kept or redacted", () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      fc.assert(
        fc.property(fc.string(), fc.dictionary(fc.string().filter((k) => k !== "event" && k !== "__proto__"), fc.jsonValue()), (event, fields) => {
          lines.length = 0;
          log(event, fields);
          expect(lines).toHaveLength(1);
          const line = lines[0]!;
          expect(line).not.toContain("\n");
          const parsed = JSON.parse(line) as Record<string, unknown>;
          // The text, not Object.keys: objects list integer-like keys first whatever the line's order.
          expect(line.startsWith(`{"event":${JSON.stringify(event)}`)).toBe(true);
          expect(parsed.event).toBe(event);
          for (const [key, value] of Object.entries(fields)) {
            const secret = /token|secret|signature|authorization|password/i.test(key);
            expect(parsed[key]).toEqual(secret ? "[redacted]" : JSON.parse(JSON.stringify(value)));
          }
        }),
        { numRuns: 500 },
      );
    } finally {
      spy.mockRestore();
    }
  });
});
