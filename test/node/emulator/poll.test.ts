// Polls in the emulator: stored from the request, answered as Discord's API returns a poll (numbered answers, an
// expiry, no votes yet), an answer over 55 characters refused as Discord does.
import { describe, expect, it } from "vitest";
import { callDiscord, createDiscordEmulator, DEFAULT_APPLICATION_ID } from "../../support/discord-emulator.ts";
import { takeSpecViolations } from "../../support/spec.ts";

const request = {
  question: { text: "Tea or coffee?" },
  answers: [{ poll_media: { text: "tea", emoji: { name: "🍵" } } }, { poll_media: { text: "coffee" } }],
  duration: 6,
  allow_multiselect: true,
  layout_type: 1,
};

describe("polls", () => {
  it("a follow-up with a poll comes back as Discord's poll object", async () => {
    const emulator = createDiscordEmulator();
    const r = await callDiscord(emulator, "POST", `/webhooks/${DEFAULT_APPLICATION_ID}/tok`, { poll: request });
    expect(r.status).toBe(200);
    expect(r.json.poll).toEqual({
      question: { text: "Tea or coffee?" },
      answers: [
        { answer_id: 1, poll_media: { text: "tea", emoji: { name: "🍵" } } },
        { answer_id: 2, poll_media: { text: "coffee" } },
      ],
      expiry: new Date(Date.parse(r.json.timestamp) + 6 * 3_600_000).toISOString(),
      allow_multiselect: true,
      layout_type: 1,
      results: { is_finalized: false, answer_counts: [] },
    });
    expect(emulator.feed().timeline).toEqual([
      expect.objectContaining({ kind: "message", message: expect.objectContaining({ poll: r.json.poll }) }),
    ]);
  });

  it("refuses an answer over 55 characters (Discord's limit; its API description allows 300)", async () => {
    const emulator = createDiscordEmulator();
    const long = { ...request, answers: [{ poll_media: { text: "x".repeat(56) } }] };
    const r = await callDiscord(emulator, "POST", `/webhooks/${DEFAULT_APPLICATION_ID}/tok`, { poll: long });
    expect(r.status).toBe(400);
    expect(r.json.errors.poll.answers[0].poll_media.text._errors[0].code).toBe("BASE_TYPE_MAX_LENGTH");
    expect(takeSpecViolations()).toEqual([]);
  });

  it("refuses a poll of 11 answers or 769 hours, as Discord's description does", async () => {
    const emulator = createDiscordEmulator();
    const eleven = { ...request, answers: Array.from({ length: 11 }, (_, i) => ({ poll_media: { text: `a${i}` } })) };
    expect(
      (await callDiscord(emulator, "POST", `/webhooks/${DEFAULT_APPLICATION_ID}/tok`, { poll: eleven })).status,
    ).toBe(400);
    expect(
      (
        await callDiscord(emulator, "POST", `/webhooks/${DEFAULT_APPLICATION_ID}/tok`, {
          poll: { ...request, duration: 769 },
        })
      ).status,
    ).toBe(400);
    expect(takeSpecViolations().map((v) => v.path)).toEqual(["poll.answers", "poll.duration"]);
  });
});
