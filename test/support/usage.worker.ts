/**
 * The usage counters in tests: emptying a month's counters between tests (storage is kept within a test file), and
 * /admin stats as its user reads it: the command defers (ephemeral "thinking…") and its job's final edit of
 * @original carries the numbers and the charts. One helper for the tests that ask for the stats, so each reads
 * like before: the answer's flags, then its content.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import { createDiscordEmulator } from "../../src/emulator/core.ts";
import { routeOutbound, type Handler } from "./outbound.worker.ts";
import { sendWith } from "./interactions.worker.ts";
import { monthOf } from "../../src/worker/kit/analytics/record.ts";
import type { UsageCounters } from "../../src/worker/kit/analytics/usage-counters.ts";

/** Empties the counters of the month of `at` (default now): its sums are written (a read does that), then deleted. */
export async function resetUsage(at = Date.now()): Promise<void> {
  await runInDurableObject(env.USAGE!.get(env.USAGE!.idFromName(monthOf(at))), (counters: UsageCounters, state) => {
    counters.read(0, 0, 1);
    state.storage.sql.exec("DELETE FROM minutes; DELETE FROM guild_hours");
  });
}

export interface StatsAnswer {
  readonly type: number;
  /** `flags` of the acknowledgement, `content` of the final edit. */
  readonly data: { readonly flags?: number; readonly content: string };
  /** The final edit's files (the charts). */
  readonly files: readonly string[];
}

/** Sends `payload` (an /admin stats command) and returns what the user reads; `routes` adds hosts (a backend). */
export async function askAdminStats(
  payload: Record<string, unknown>,
  workerEnv: unknown = env,
  routes: Record<string, Handler> = {},
): Promise<StatsAnswer> {
  const discord = createDiscordEmulator();
  try {
    routeOutbound({ "discord.test": (request) => discord.fetch(request), ...routes });
    const ctx = createExecutionContext();
    const response = await sendWith(payload, workerEnv, ctx);
    expect(response.status).toBe(200);
    const ack = (await response.json()) as { type: number; data?: { flags?: number; content?: string } };
    await waitOnExecutionContext(ctx);
    // Refused at once (no permission, no storage): the answer is the message itself.
    if (ack.type !== 5) return { type: ack.type, data: { ...ack.data, content: ack.data?.content ?? "" }, files: [] };
    const edits = discord
      .calls({ method: "PATCH" })
      .filter((call) => call.path.endsWith(`/${String(payload.token)}/messages/@original`));
    expect(edits).toHaveLength(1);
    const body = edits[0]!.body as
      | { json: { content: string } }
      | { payload_json: { content: string }; files: Array<{ filename: string }> };
    const content = "json" in body ? body.json.content : body.payload_json.content;
    return {
      type: ack.type,
      data: { ...(ack.data?.flags !== undefined ? { flags: ack.data.flags } : {}), content },
      files: "files" in body ? body.files.map((f) => f.filename) : [],
    };
  } finally {
    discord.close();
  }
}
