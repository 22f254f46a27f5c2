import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import services from "../../src/worker/services.ts";
import { command, interaction, sendWith } from "../support/interactions.worker.ts";
import { BACKEND_URL, TEST_RELAY_SECRET } from "../support/backend.worker.ts";

afterEach(() => vi.restoreAllMocks());
beforeEach(async () => {
  await env.DB!.exec("DELETE FROM feedback; DELETE FROM deferred_jobs; DELETE FROM webhook_events;");
});

function offlineBackend() {
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
    if (String(input instanceof Request ? input.url : input).includes("discord.test"))
      return Response.json({ id: "m" });
    throw new TypeError("offline");
  });
}

async function send(payload: Record<string, unknown>, workerEnv: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const response = await sendWith(payload, workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return { body: (await response.json()) as { type: number; data?: Record<string, any> }, ctx };
}

/**
 * A limiter with the binding's rule (5 per user per period) but no clock: the local binding's windows are aligned
 * to the wall clock, so six calls that straddle a minute boundary would each land in a fresh window and the test
 * would flake on a busy machine. wrangler.toml's binding itself is checked by test/node/wrangler-config.test.ts.
 */
function countingLimiter(limit = 5) {
  const counts = new Map<string, number>();
  return {
    limit: async ({ key }: { key: string }) => {
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return { success: count <= limit };
    },
  };
}

describe("per-user limit on heavy commands", () => {
  it("refuses the 6th /chart in a minute with when to retry, per user, without deferring", async () => {
    // Only the acknowledgements matter here: the backend is unreachable, Discord accepts the error edits.
    offlineBackend();
    const chartEnv = { ...env, BACKEND_URL, RELAY_SECRET: TEST_RELAY_SECRET, HEAVY_LIMITER: countingLimiter() };
    const as = (userId: string) =>
      command("chart", [{ type: 3, name: "values", value: "1,2" }], {
        member: { user: { id: userId, username: "u" }, permissions: "0" },
      });
    const types: number[] = [];
    for (let i = 0; i < 6; i++) types.push((await send(as("700000000000000007"), chartEnv)).body.type);
    expect(types).toEqual([5, 5, 5, 5, 5, 4]);
    const logs = vi.spyOn(console, "log");
    const refused = await send(as("700000000000000007"), chartEnv);
    expect(refused.body.data).toMatchObject({ flags: 64 });
    const line = logs.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.event === "interaction");
    expect(line).toMatchObject({ outcome: "rate_limited", answered_by: "heavy-limiter", route: "/chart" });
    expect(refused.body.data?.content).toMatch(/try again in about 60 seconds/);
    // Another user is not affected, and light commands are never limited.
    expect((await send(as("700000000000000008"), chartEnv)).body.type).toBe(5);
    expect(
      (
        await send(
          command("ping", undefined, {
            member: { user: { id: "700000000000000007", username: "u" }, permissions: "0" },
          }),
          chartEnv,
        )
      ).body.type,
    ).toBe(4);
  });

  it("counts only calls that defer: answers given at once (no numbers, bad values) never use up the limit", async () => {
    offlineBackend();
    const chartEnv = { ...env, BACKEND_URL, RELAY_SECRET: TEST_RELAY_SECRET, HEAVY_LIMITER: countingLimiter() };
    const member = { member: { user: { id: "700000000000000011", username: "u" }, permissions: "0" } };
    const noNumbers = () =>
      interaction({
        type: 2,
        ...member,
        data: {
          name: "Chart numbers",
          type: 3,
          target_id: "77",
          resolved: {
            messages: {
              "77": {
                id: "77",
                channel_id: "5",
                content: "no numbers here",
                author: { id: "9", username: "ada" },
                attachments: [],
              },
            },
          },
        },
      });
    const badValues = () => command("chart", [{ type: 3, name: "values", value: "1,x" }], member);
    const answers: number[] = [];
    for (let i = 0; i < 4; i++)
      answers.push((await send(noNumbers(), chartEnv)).body.type, (await send(badValues(), chartEnv)).body.type);
    expect(answers).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    // Eight answered calls later, the user still has the whole limit: five charts defer, the sixth is refused.
    const good = () => command("chart", [{ type: 3, name: "values", value: "1,2" }], member);
    const types: number[] = [];
    for (let i = 0; i < 6; i++) types.push((await send(good(), chartEnv)).body.type);
    expect(types).toEqual([5, 5, 5, 5, 5, 4]);
  });

  it("lets the command through when the limiter itself fails", async () => {
    offlineBackend();
    const broken = {
      ...env,
      BACKEND_URL,
      RELAY_SECRET: TEST_RELAY_SECRET,
      HEAVY_LIMITER: {
        limit: async () => {
          throw new Error("limiter down");
        },
      },
    };
    expect((await send(command("chart", [{ type: 3, name: "values", value: "1,2" }]), broken)).body.type).toBe(5);
  });
});

describe("scheduled prune", () => {
  it("finds no interactions table to prune: migration 0011 drops it (nothing writes it since the usage counters)", async () => {
    const tables = await env
      .DB!.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'interactions%'")
      .all<{ name: string }>();
    expect(tables.results).toEqual([]);
  });

  it("deletes expired feedback, finished jobs, webhook-event claims and cache counts, keeps the rest, and logs one summary line", async () => {
    const now = Date.UTC(2026, 10, 23);
    const day = 86_400_000;
    await env.DB!.batch([
      env
        .DB!.prepare(
          "INSERT INTO webhook_events (key, type, received_at) VALUES ('e-old', 'APPLICATION_AUTHORIZED', ?), ('e-new', 'APPLICATION_AUTHORIZED', ?)",
        )
        .bind(now - 31 * day, now - 29 * day),
      env
        .DB!.prepare(
          "INSERT INTO feedback (interaction_id, text, created_at) VALUES ('f-old', 'a', ?), ('f-new', 'b', ?)",
        )
        .bind(now - 366 * day, now - 10 * day),
      env
        .DB!.prepare(
          "INSERT INTO deferred_jobs (interaction_id, state, outcome, attempts, updated_at) VALUES ('j-old', 'done', 'ok', 1, ?), ('j-new', 'done', 'ok', 1, ?)",
        )
        .bind(now - 31 * day, now - 29 * day),
      env
        .DB!.prepare("INSERT INTO chart_cache_days (day, hits, misses) VALUES (?, 1, 1), (?, 2, 2)")
        .bind((now - 31 * day) / day, (now - 29 * day) / day),
    ]);
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await services.scheduled(createScheduledController({ scheduledTime: new Date(now), cron: "17 3 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const events = (await env.DB!.prepare("SELECT key FROM webhook_events").all()).results.map((r) => r.key);
    const feedback = (await env.DB!.prepare("SELECT interaction_id FROM feedback").all()).results.map(
      (r) => r.interaction_id,
    );
    expect(events).toEqual(["e-new"]);
    expect(feedback).toEqual(["f-new"]);
    const jobs = (await env.DB!.prepare("SELECT interaction_id FROM deferred_jobs").all()).results.map(
      (r) => r.interaction_id,
    );
    expect(jobs).toEqual(["j-new"]);
    const cacheDays = (await env.DB!.prepare("SELECT day FROM chart_cache_days").all()).results.map((r) => r.day);
    expect(cacheDays).toContain((now - 29 * day) / day);
    expect(cacheDays).not.toContain((now - 31 * day) / day);
    const lines = logs.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines).toEqual([
      expect.objectContaining({
        event: "scheduled",
        outcome: "ok",
        feedback_deleted: 1,
        jobs_done_deleted: 1,
        webhook_events_deleted: 1,
        entitlements_deleted: 0,
        chart_cache_days_deleted: 1,
        chart_data: "expires by KV TTL",
        chart_cache: "expires by KV TTL",
        cron: "17 3 * * *",
      }),
    ]);
    // Migration 0011 dropped the interactions table (nothing wrote it since the usage counters): nothing prunes it.
    expect(lines[0]).not.toHaveProperty("interactions_deleted");
  });
});
