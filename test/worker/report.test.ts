// The daily report, in workerd: the numbers it reads from the usage counters (installs from D1), the cron posting it
// (with the backend's charts of traffic, errors and time to answer) to the emulator's channel with the bot token, the
// text-only report when the backend fails, and the one log line per run. Also: how interactions are counted with the
// outcome the report counts errors from.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import { createDiscordEmulator, DEFAULT_CHANNEL_ID, type DiscordEmulator } from "../../src/emulator/core.ts";
import { createRateLimits } from "../../src/worker/kit/discord/rate-limits.ts";
import { readConfig } from "../../src/worker/kit/config.ts";
import { postDailyReport } from "../../src/worker/app/report/daily-report.ts";
import { readDailyStats } from "../../src/worker/app/report/stats.ts";
import { recordUsage } from "../../src/worker/kit/analytics/record.ts";
import { resetUsage } from "../support/usage.worker.ts";
import { readUsage } from "../../src/worker/kit/analytics/read-usage.ts";
import {
  BACKEND_HOST,
  BACKEND_URL,
  scriptedBackend,
  TEST_RELAY_SECRET,
  TINY_PNG_BASE64,
} from "../support/backend.worker.ts";
import { command, signedRequest } from "../support/interactions.worker.ts";
import { routeOutbound, serviceBinding, type Handler } from "../support/outbound.worker.ts";

const HOUR = 3_600_000;
const UNTIL = Date.UTC(2026, 11, 5, 3, 17);
const SINCE = UNTIL - 24 * HOUR;
const CRON = "17 3 * * *";
const reportEnv = {
  ...env,
  BACKEND_URL,
  RELAY_SECRET: TEST_RELAY_SECRET,
  REPORT_CHANNEL_ID: DEFAULT_CHANNEL_ID,
  DISCORD_TOKEN: "test-bot-token",
};

let discord: DiscordEmulator;
let logs: Array<Record<string, unknown>>;

function outbound(backend: Handler) {
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: backend });
}

/** A day of interactions, counted as the Worker counts them: inside the window at known hours, and just outside it. */
async function seedDay() {
  const at = (hour: number, minute = 10) => SINCE + hour * HOUR + minute * 60_000;
  const sends: Promise<unknown>[] = [];
  const count = (route: string, when: number, error = false) =>
    recordUsage(env, (send) => void sends.push(send), { route, guildId: null, error, ms: 40 }, 30, when);
  // /chart: c1 ok, c2 a queue job that ended in an error message, c3 ok.
  count("/chart", at(0));
  count("/chart", at(0, 40), true);
  count("/chart", at(5));
  count("/ping", at(23));
  count("/ping", at(23, 59));
  count("/help", at(12), true); // a handler error
  count("chart:", at(5, 30), true); // a waitUntil job's task error
  count("/ping", at(7));
  count("/ping", SINCE - 1, true); // before the window
  count("/ping", UNTIL, true); // after it
  await Promise.all(sends);
}

beforeEach(async () => {
  await env.DB!.exec("DELETE FROM deferred_jobs; DELETE FROM app_installs;");
  await resetUsage(UNTIL);
  await resetUsage();
  discord = createDiscordEmulator();
  logs = [];
  const capture = (line: unknown) => void logs.push(JSON.parse(String(line)));
  vi.spyOn(console, "log").mockImplementation(capture);
  vi.spyOn(console, "error").mockImplementation(capture);
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("the report's numbers", () => {
  it("counts the 24 hours before the run by command, with errors (dispatch, waitUntil job, queue job) and traffic by hour", async () => {
    await seedDay();
    const stats = await readDailyStats(env, UNTIL);
    expect(stats).toMatchObject({ since: SINCE, until: UNTIL, total: 8, errors: 3, installs: 0 });
    expect(stats.byCommand).toEqual([
      { route: "/chart", count: 3, errors: 1 },
      { route: "/ping", count: 3, errors: 0 },
      { route: "/help", count: 1, errors: 1 },
      { route: "chart:", count: 1, errors: 1 },
    ]);
    const hourly = new Array(24).fill(0);
    Object.assign(hourly, { 0: 2, 5: 2, 7: 1, 12: 1, 23: 2 });
    expect(stats.hourly).toEqual(hourly);
  });

  it("counts the day's installs from the Webhook Events table (app_installs)", async () => {
    await env
      .DB!.prepare(
        "INSERT INTO app_installs (event_key, integration_type, user_id, scopes, authorized_at) VALUES ('a', 0, 'u1', 'bot', ?), ('b', 1, 'u2', 'applications.commands', ?), ('c', 0, 'u3', 'bot', ?)",
      )
      .bind(SINCE, UNTIL - 1, SINCE - 1)
      .run();
    expect((await readDailyStats(env, UNTIL)).installs).toBe(2);
  });

  it("reports installs as unknown (null), not a failure, on a schema without the install table", async () => {
    await env.DB!.exec("ALTER TABLE app_installs RENAME TO app_installs_hidden");
    try {
      expect((await readDailyStats(env, UNTIL)).installs).toBeNull();
    } finally {
      await env.DB!.exec("ALTER TABLE app_installs_hidden RENAME TO app_installs");
    }
  });
});

describe("the daily cron", () => {
  async function runCron(workerEnv: Record<string, unknown>) {
    const ctx = createExecutionContext();
    const run = services.scheduled(
      createScheduledController({ scheduledTime: new Date(UNTIL), cron: CRON }),
      workerEnv as never,
      ctx,
    );
    const result = await run.then(
      () => null,
      (error: unknown) => error,
    );
    await waitOnExecutionContext(ctx);
    return result;
  }

  it("posts one message to REPORT_CHANNEL_ID with the bot token: the numbers in an embed and the backend's bar chart of 24 hours", async () => {
    await seedDay();
    const backend = scriptedBackend();
    outbound(backend.handler);
    expect(await runCron(reportEnv)).toBeNull();

    // Three charts (issue 24): the traffic (as before), the errors and the time to answer, hour by hour.
    expect(backend.calls).toHaveLength(3);
    expect(backend.calls[0]).toMatchObject({ job: "chart", signatureOk: true, input: { kind: "bar" } });
    expect(backend.calls[0]!.input.points).toHaveLength(24);
    expect(backend.calls[0]!.input.points[0]).toEqual({ label: "03:17", value: 2 });
    expect(backend.calls[0]!.input.points[23]).toEqual({ label: "02:17", value: 2 });
    expect(backend.calls[1]).toMatchObject({
      job: "chart",
      signatureOk: true,
      input: { kind: "bar", title: "Errors per hour (UTC)" },
    });
    expect(backend.calls[1]!.input.points.map((p: { value: number }) => p.value)).toEqual(
      Object.assign(new Array(24).fill(0), { 0: 1, 5: 1, 12: 1 }),
    );
    expect(backend.calls[2]).toMatchObject({ job: "chart", signatureOk: true, input: { kind: "line" } });
    // Every seeded answer took 40 ms: the 95th percentile is the histogram's 50 ms bucket where there was traffic.
    expect(backend.calls[2]!.input.points.map((p: { value: number }) => p.value)).toEqual(
      Object.assign(new Array(24).fill(0), { 0: 50, 5: 50, 7: 50, 12: 50, 23: 50 }),
    );

    const [call] = discord.calls({ method: "POST" });
    expect(call).toMatchObject({ path: `/api/v10/channels/${DEFAULT_CHANNEL_ID}/messages`, status: 200 });
    expect(call!.headers.authorization).toBe("Bot [redacted]");
    const [post] = discord.state.posts;
    expect(post!.author.bot).toBe(true);
    const embed = post!.embeds[0] as {
      title: string;
      fields: Array<{ name: string; value: string }>;
      image: { url: string };
    };
    expect(embed.title).toBe("Daily report");
    expect(Object.fromEntries(embed.fields.map((f) => [f.name, f.value]))).toMatchObject({
      Interactions: "8",
      Errors: "3 (37.5 %)",
      Installs: "0",
      "By command": "`/chart` 3 (1 error)\n`/ping` 3\n`/help` 1 (1 error)\n`chart:` 1 (1 error)",
    });
    expect(embed.image.url).toBe("attachment://traffic.png");
    expect(post!.attachments).toEqual(
      ["traffic.png", "errors.png", "latency.png"].map((filename) =>
        expect.objectContaining({ filename, content_type: "image/png" }),
      ),
    );
    expect(post!.embeds.slice(1).map((e) => (e as { image: { url: string } }).image.url)).toEqual([
      "attachment://errors.png",
      "attachment://latency.png",
    ]);
    const png = discord.file(post!.attachments[0]!.id)!.bytes;
    expect(btoa(String.fromCharCode(...png))).toBe(TINY_PNG_BASE64);

    expect(logs).toEqual([
      expect.objectContaining({
        event: "scheduled",
        outcome: "ok",
        cron: CRON,
        report: "posted",
        report_message_id: post!.id,
        report_interactions: 8,
        report_errors: 3,
        report_installs: 0,
      }),
    ]);
  });

  it("still posts the numbers when the backend fails, saying the chart is missing", async () => {
    await seedDay();
    outbound(() => {
      throw new TypeError("connection refused");
    });
    expect(await runCron(reportEnv)).toBeNull();
    const [post] = discord.state.posts;
    const embed = post!.embeds[0] as { fields: Array<{ name: string; value: string }>; image?: unknown };
    expect(embed.fields.find((f) => f.name === "Traffic by hour")?.value).toBe(
      "Chart missing: the backend's chart job failed (unreachable)",
    );
    expect(embed.image).toBeUndefined();
    expect(post!.attachments).toEqual([]);
    expect(logs).toEqual([
      expect.objectContaining({
        event: "scheduled",
        outcome: "ok",
        report: "posted_without_chart",
        report_chart_missing: "the backend's chart job failed (unreachable)",
      }),
    ]);
  });

  it("draws the chart through the BACKEND service binding when one is bound (no BACKEND_URL)", async () => {
    await seedDay();
    outbound(() => {
      throw new Error("the backend must not be called by URL");
    });
    const bound = scriptedBackend();
    expect(await runCron({ ...reportEnv, BACKEND_URL: "", BACKEND: serviceBinding(bound.handler) })).toBeNull();
    expect(bound.calls).toEqual(new Array(3).fill(expect.objectContaining({ job: "chart", signatureOk: true })));
    expect(discord.state.posts[0]!.attachments).toEqual(
      ["traffic.png", "errors.png", "latency.png"].map((filename) => expect.objectContaining({ filename })),
    );
  });

  it("says the chart is missing without calling anything when no backend is configured", async () => {
    outbound(() => {
      throw new Error("the backend must not be called");
    });
    await postDailyReport(env, readConfig({ ...reportEnv, BACKEND_URL: "" } as never), UNTIL, {
      limits: createRateLimits(),
    });
    const embed = discord.state.posts[0]!.embeds[0] as { fields: Array<{ name: string; value: string }> };
    expect(embed.fields.find((f) => f.name === "Traffic by hour")?.value).toBe(
      "Chart missing: no backend is configured (BACKEND_URL, RELAY_SECRET)",
    );
    expect(embed.fields.find((f) => f.name === "By command")?.value).toBe("None.");
  });

  it("posts nothing and says report: off without REPORT_CHANNEL_ID", async () => {
    outbound(() => {
      throw new Error("the backend must not be called");
    });
    expect(await runCron({ ...reportEnv, REPORT_CHANNEL_ID: "" })).toBeNull();
    expect(discord.calls()).toEqual([]);
    expect(logs).toEqual([
      expect.objectContaining({ event: "scheduled", outcome: "ok", report: "off", feedback_deleted: 0 }),
    ]);
  });

  it("fails the run with one error line (keeping the prune's numbers) when Discord refuses the post", async () => {
    outbound(scriptedBackend().handler);
    discord.faults.push({
      match: { method: "POST" },
      respond: { status: 403, json: { message: "Missing Permissions", code: 50013 } },
    });
    const error = await runCron(reportEnv);
    expect((error as Error).message).toMatch(
      /^discord\(bot\): POST \/channels\/\d+\/messages answered 403 \(code 50013\): Missing Permissions/,
    );
    expect(logs).toEqual([
      expect.objectContaining({
        event: "scheduled",
        outcome: "error",
        report: "error",
        feedback_deleted: 0,
        error: expect.stringContaining("Missing Permissions"),
      }),
    ]);
  });
});

describe("interactions record their outcome for the error count", () => {
  it("an immediate answer counts with the dispatcher's outcome, and a deferred job that fails in waitUntil counts as an error", async () => {
    outbound(() => {
      throw new TypeError("connection refused");
    });
    const chartEnv = { ...reportEnv, HEAVY_LIMITER: undefined };
    const since = Date.now();
    for (const payload of [command("ping"), command("chart", [{ type: 3, name: "values", value: "1,2" }])]) {
      const ctx = createExecutionContext();
      await worker.fetch((await signedRequest(JSON.stringify(payload))) as never, chartEnv as never, ctx);
      await waitOnExecutionContext(ctx);
    }
    const rows = (await readUsage(env.USAGE, since, Date.now() + 60_000)).map(({ route, errors }) => ({
      route,
      outcome: errors > 0 ? "task_error" : "ok",
    }));
    expect(rows.sort((a, b) => (a.route < b.route ? -1 : 1))).toEqual([
      { route: "/chart", outcome: "task_error" },
      { route: "/ping", outcome: "ok" },
    ]);
  });
});
