// Property-based tests (fast-check) for the parsers users can reach (custom_id state, chart button state),
// and for the hot path's hand-rolled pieces (snowflake times without BigInt, log lines built as strings).
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { customId, CustomIdError, parseCustomId } from "../../src/worker/kit/dispatch/custom-id.ts";
import { readOptions } from "../../src/worker/kit/dispatch/read-options.ts";
import { definition as chartDefinition } from "../../src/worker/app/commands/chart.ts";
import { isChartKey } from "../../src/worker/app/commands/chart/store.ts";
import { snowflakeTime } from "../../src/worker/kit/discord/snowflake.ts";
import { log } from "../../src/worker/kit/log.ts";
import { jsonLineLogger } from "../../src/backend/log.ts";

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
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (id) => {
        const parsed = parseCustomId(id);
        expect(parsed.prefix.includes(":")).toBe(false);
        if (id.includes(":")) expect(`${parsed.prefix}:${parsed.state}`).toBe(id);
        else expect(parsed).toEqual({ prefix: id, state: "", args: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts only our chart keys as button state", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (key) => {
        expect(isChartKey(key)).toBe(/^[0-9a-z]{12}$/.test(key));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("options", () => {
  it("never throw on arbitrary option trees, and either refuse them or give each option its declared type", () => {
    const expected: Record<string, (v: unknown) => boolean> = {
      values: (v) => typeof v === "string",
      kind: (v) => typeof v === "string",
      title: (v) => typeof v === "string",
      file: (v) => typeof v === "object" && v !== null && typeof (v as { url?: unknown }).url === "string",
    };
    const option = fc.record(
      {
        name: fc.constantFrom("values", "file", "kind", "title", "other"),
        type: fc.integer({ min: 0, max: 12 }),
        value: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: ["name"] },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.array(option, { maxLength: 5 }), fc.jsonValue({ maxDepth: 4 })),
        fc.jsonValue({ maxDepth: 3 }),
        (options, resolved) => {
          const read = readOptions(chartDefinition, { data: { options, resolved } as Record<string, unknown> });
          if (!read.ok) {
            expect(read.problem).toBeTypeOf("string");
            return;
          }
          for (const [name, value] of Object.entries(read.values)) expect(expected[name]?.(value)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
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
    // Values without a "?" (no URL query to strip) are kept exactly; the redaction properties below cover the rest.
    const plain = fc.jsonValue().filter((v) => !JSON.stringify(v).includes("?"));
    try {
      fc.assert(
        fc.property(
          fc.string(),
          fc.dictionary(
            fc.string().filter((k) => k !== "event" && k !== "__proto__"),
            plain,
          ),
          (event, fields) => {
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
              const secret = /token|secret|signature|authorization|password|cookie|api[-_]?key|credential/i.test(key);
              expect(parsed[key]).toEqual(secret ? "[redacted]" : JSON.parse(JSON.stringify(value)));
            }
          },
        ),
        { numRuns: 500 },
      );
    } finally {
      spy.mockRestore();
    }
  });
});

describe("no log line carries a token, a signed URL or a secret", () => {
  // A unique marker per run: the property is that it never reaches the output, wherever it was put.
  const marker = fc.stringMatching(/^[A-Za-z0-9]{12}$/).map((m) => `Zq${m}`);
  const secretKey = fc.constantFrom(
    "token",
    "interaction_token",
    "botToken",
    "RELAY_SECRET",
    "x-signature-ed25519",
    "Authorization",
    "password",
    "session_cookie",
    "apiKey",
    "credentials",
  );
  const safeKey = fc.constantFrom(
    "data",
    "resolved",
    "attachments",
    "1234",
    "url",
    "error",
    "stack",
    "options",
    "value",
    "items",
    "detail",
  );
  const carrier = fc.oneof(
    // A secret under a credential-named key.
    fc.tuple(secretKey, marker).map(([key, m]) => ({ place: "key" as const, key, value: m, marker: m })),
    // A signed CDN URL (Discord's ex/is/hm), alone or inside a sentence such as an error message.
    fc.tuple(marker, fc.boolean()).map(([m, inText]) => {
      const url = `https://cdn.discordapp.com/ephemeral-attachments/1/2/data.csv?ex=6751f0a0&is=6750&hm=${m}&`;
      return { place: "value" as const, value: inText ? `fetch failed for ${url} (403)` : url, marker: m };
    }),
    // A bot token and an interaction token, shaped as Discord issues them.
    marker.map((m) => ({
      place: "value" as const,
      value: `MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.${m}abcdefghijklmnopqrstu`,
      marker: m,
    })),
    marker.map((m) => ({
      place: "value" as const,
      value: `aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTAx${m}`,
      marker: m,
    })),
  );
  // Where it goes: a path of objects and arrays from the top level down to 6 levels.
  const path = fc.array(fc.oneof(safeKey, fc.nat({ max: 3 })), { maxLength: 6 });

  function place(
    path: ReadonlyArray<string | number>,
    leafKey: string,
    value: unknown,
    noise: unknown,
  ): Record<string, unknown> {
    let node: unknown = { [leafKey]: value, noise };
    for (let i = path.length - 1; i >= 0; i--) {
      const step = path[i]!;
      node =
        typeof step === "number"
          ? [...Array.from({ length: step }, () => noise), node]
          : { [step]: node, other: noise };
    }
    return { interaction_id: "1", ...(node as Record<string, unknown>) };
  }

  const capture = (write: (lines: string[]) => void): string[] => {
    const lines: string[] = [];
    const out = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const err = vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      write(lines);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    return lines;
  };

  it("the Worker's logger removes them at any depth", () => {
    fc.assert(
      fc.property(
        carrier,
        path,
        safeKey,
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom("info", "error"),
        (c, at, leaf, noise, level) => {
          const fields = place(at, c.place === "key" ? c.key : leaf, c.value, noise);
          const lines = capture(() => log("queue.dead_letter", { ...fields, level }));
          expect(lines).toHaveLength(1);
          expect(() => JSON.parse(lines[0]!)).not.toThrow();
          expect(lines[0]).not.toContain(c.marker);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("the backend's logger removes them at any depth", () => {
    fc.assert(
      fc.property(carrier, path, safeKey, fc.jsonValue({ maxDepth: 2 }), (c, at, leaf, noise) => {
        const lines: string[] = [];
        jsonLineLogger((line) => void lines.push(line))({
          event: "job",
          ...place(at, c.place === "key" ? c.key : leaf, c.value, noise),
        });
        expect(lines).toHaveLength(1);
        expect(() => JSON.parse(lines[0]!)).not.toThrow();
        expect(lines[0]).not.toContain(c.marker);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps what an operator needs: the URL's origin and path, the ids, the sentence around a redaction", () => {
    const lines = capture(() =>
      log("queue.dead_letter", {
        interaction_id: "1234",
        data: {
          resolved: {
            attachments: {
              "99": { url: "https://cdn.discordapp.com/attachments/1/2/f.csv?ex=1&is=2&hm=3", filename: "f.csv" },
            },
          },
        },
        error: "fetch https://cdn.discordapp.com/attachments/1/2/f.csv?hm=3 failed",
      }),
    );
    const parsed = JSON.parse(lines[0]!);
    expect(parsed.interaction_id).toBe("1234");
    expect(parsed.data.resolved.attachments["99"]).toEqual({
      url: "https://cdn.discordapp.com/attachments/1/2/f.csv?[redacted]",
      filename: "f.csv",
    });
    expect(parsed.error).toBe("fetch https://cdn.discordapp.com/attachments/1/2/f.csv?[redacted] failed");
  });
});
