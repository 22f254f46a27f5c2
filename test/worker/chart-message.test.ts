// The chart message at the extremes of what /chart accepts (issue 19, item 2; the parsers' side is in
// test/node/backend/number-range.test.ts). Here because the message is the Worker's: it imports the platform's door,
// whose Workers types the Node project does not have.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeStats } from "../../src/backend/jobs/chart/stats.ts";
import { parseValues } from "../../src/shared/chart-data/values.ts";
import { chartMessage } from "../../src/worker/app/commands/chart/message.ts";
import { messages } from "../../src/worker/app/i18n/messages.ts";
import { createCatalogue } from "../../src/worker/kit/i18n/translators.ts";

const english = createCatalogue(messages).translator("en");

describe("the chart message", () => {
  // The Worker prints each statistic in full digits; an embed field's value holds at most 1,024 characters
  // (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
  it("fits the chart message's statistics into Discord's embed field limit at the extremes (property)", () => {
    const extreme = fc.constantFrom(0, 1e-15, -1e-15, 1e100, -1e100, -9.99e99, 1.5e-15);
    fc.assert(
      fc.property(fc.array(extreme, { minLength: 1, maxLength: 10 }), (numbers) => {
        const stats = computeStats(parseValues(numbers.map(String).join(",")));
        const message = chartMessage({ png: new Uint8Array(), kind: "line", stats }, null, null, () => "", english);
        for (const field of message.data.embeds?.[0]?.fields ?? [])
          expect(field.value.length).toBeLessThanOrEqual(1024);
      }),
    );
  });
});
