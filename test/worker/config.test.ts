// One config: every variable the Worker reads is checked once, into typed fields, and a malformed one is a
// problem naming it (and /health says which), never a silent fallback.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import { ConfigError, readConfig } from "../../src/worker/kit/config.ts";
import { pruneExpiredState } from "../../src/worker/app/scheduled.ts";

afterEach(() => vi.restoreAllMocks());

/** A fresh env object each time (readConfig caches per object), with `vars` over the test bindings. */
const withVars = (vars: Record<string, unknown>) => ({ ...env, ...vars }) as never;

function problems(vars: Record<string, unknown>): readonly string[] {
  try {
    readConfig(withVars(vars));
    return [];
  } catch (error) {
    return error instanceof ConfigError ? error.problems : ["not a ConfigError"];
  }
}

async function health(vars: Record<string, unknown>) {
  const response = await worker.fetch(
    new Request("https://worker.test/health") as never,
    withVars(vars),
    createExecutionContext(),
  );
  return { status: response.status, text: await response.text() };
}

const unset = {
  RELAY_MODE: undefined,
  HEAVY_LIMIT_PERIOD_SECONDS: undefined,
  INTERACTION_RETENTION_DAYS: undefined,
  FEEDBACK_RETENTION_DAYS: undefined,
  ADMIN_USER_IDS: undefined,
};

describe("config: defaults", () => {
  it.each([
    ["unset", unset],
    ["empty", Object.fromEntries(Object.keys(unset).map((k) => [k, ""]))],
  ])("%s variables take their defaults", (_, vars) => {
    const config = readConfig(withVars(vars));
    expect(config.relayMode).toBe("waitUntil");
    expect(config.heavyLimitPeriodSeconds).toBe(60);
    expect(config.interactionRetentionDays).toBe(30);
    expect(config.feedbackRetentionDays).toBe(365);
    expect([...config.adminUserIds]).toEqual([]);
  });

  it("DISCORD_TOKEN is optional without REPORT_CHANNEL_ID: nothing else in the Worker uses it, so botToken is undefined and /health is ok", async () => {
    expect(readConfig(withVars({ DISCORD_TOKEN: undefined })).botToken).toBeUndefined();
    expect(readConfig(withVars({ DISCORD_TOKEN: " " })).botToken).toBeUndefined();
    expect(readConfig(withVars({ DISCORD_TOKEN: undefined })).reportChannelId).toBeUndefined();
    expect((await health({ DISCORD_TOKEN: undefined })).status).toBe(200);
  });
});

describe("config: the daily report", () => {
  it("REPORT_CHANNEL_ID with DISCORD_TOKEN turns the report on", () => {
    const config = readConfig(withVars({ REPORT_CHANNEL_ID: " 300000000000000003 ", DISCORD_TOKEN: "t" }));
    expect(config.reportChannelId).toBe("300000000000000003");
    expect(config.botToken).toBe("t");
  });

  it("REPORT_CHANNEL_ID without DISCORD_TOKEN is a problem naming DISCORD_TOKEN, in /health too", async () => {
    expect(problems({ REPORT_CHANNEL_ID: "300000000000000003", DISCORD_TOKEN: undefined })).toEqual([
      expect.stringMatching(/^DISCORD_TOKEN is not set, and REPORT_CHANNEL_ID needs it/),
    ]);
    const { status, text } = await health({ REPORT_CHANNEL_ID: "300000000000000003", DISCORD_TOKEN: "" });
    expect(status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ missing_or_invalid: ["DISCORD_TOKEN"] });
  });

  it("a REPORT_CHANNEL_ID that is not a snowflake is named", () => {
    expect(problems({ REPORT_CHANNEL_ID: "#general" })).toEqual([
      expect.stringMatching(/^REPORT_CHANNEL_ID must be a channel id/),
    ]);
  });
});

describe("config: values", () => {
  it("reads each variable into its typed field", () => {
    const config = readConfig(
      withVars({
        RELAY_MODE: " queue ",
        HEAVY_LIMIT_PERIOD_SECONDS: "10",
        INTERACTION_RETENTION_DAYS: "7",
        FEEDBACK_RETENTION_DAYS: "0.5",
        ADMIN_USER_IDS: " 900000000000000009, 900000000000000010 ,",
      }),
    );
    expect(config.relayMode).toBe("queue");
    expect(config.heavyLimitPeriodSeconds).toBe(10);
    expect(config.interactionRetentionDays).toBe(7);
    expect(config.feedbackRetentionDays).toBe(0.5);
    expect([...config.adminUserIds]).toEqual(["900000000000000009", "900000000000000010"]);
  });

  it("is read once per env object: the same Config, or the same ConfigError, every time", () => {
    const good = withVars({});
    expect(readConfig(good)).toBe(readConfig(good));
    const bad = withVars({ RELAY_MODE: "qeue" });
    let first: unknown;
    let second: unknown;
    try {
      readConfig(bad);
    } catch (error) {
      first = error;
    }
    try {
      readConfig(bad);
    } catch (error) {
      second = error;
    }
    expect(first).toBeInstanceOf(ConfigError);
    expect(second).toBe(first);
  });
});

describe("config: malformed values are problems naming the variable", () => {
  it.each(["qeue", "Queue", "wait_until", "true"])("RELAY_MODE=%s, with the allowed values", (value) => {
    expect(problems({ RELAY_MODE: value })).toEqual([expect.stringMatching(/^RELAY_MODE .*"waitUntil".*"queue"/)]);
  });

  it("RELAY_MODE=queue without the JOBS binding names JOBS and RELAY_MODE", () => {
    expect(problems({ RELAY_MODE: "queue", JOBS: undefined })).toEqual([
      expect.stringMatching(/^JOBS .*RELAY_MODE=queue/),
    ]);
    expect(problems({ RELAY_MODE: "waitUntil", JOBS: undefined })).toEqual([]);
  });

  it.each(["0", "-60", "1.5", "60s", "abc", "0x3c", "1e2"])(
    "HEAVY_LIMIT_PERIOD_SECONDS=%s (a positive whole number)",
    (value) => {
      expect(problems({ HEAVY_LIMIT_PERIOD_SECONDS: value })).toEqual([
        expect.stringMatching(/^HEAVY_LIMIT_PERIOD_SECONDS /),
      ]);
    },
  );

  it.each(["INTERACTION_RETENTION_DAYS", "FEEDBACK_RETENTION_DAYS"])("%s (a positive number of days)", (name) => {
    for (const value of ["0", "-1", "abc", "30d", "Infinity", "1e3", "."]) {
      expect(problems({ [name]: value }), value).toEqual([expect.stringMatching(new RegExp(`^${name} `))]);
    }
  });

  it.each([
    "abc",
    "900000000000000009,<@900000000000000010>",
    "900000000000000009;900000000000000010",
    "123456789012345678901",
  ])("ADMIN_USER_IDS=%s (comma-separated snowflakes)", (value) => {
    expect(problems({ ADMIN_USER_IDS: value })).toEqual([expect.stringMatching(/^ADMIN_USER_IDS /)]);
  });

  it("lists every problem at once, in one ConfigError, without the values", () => {
    const found = problems({
      RELAY_MODE: "qeue",
      HEAVY_LIMIT_PERIOD_SECONDS: "soon",
      FEEDBACK_RETENTION_DAYS: "-1",
      ADMIN_USER_IDS: "bob",
    });
    expect(found.map((p) => p.split(" ")[0])).toEqual([
      "RELAY_MODE",
      "HEAVY_LIMIT_PERIOD_SECONDS",
      "FEEDBACK_RETENTION_DAYS",
      "ADMIN_USER_IDS",
    ]);
    expect(found.join(" ")).not.toMatch(/qeue|soon|bob/);
  });
});

describe("/health", () => {
  it("answers 503 naming RELAY_MODE when it has a typo, without its value", async () => {
    const { status, text } = await health({ RELAY_MODE: "qeue" });
    expect(status).toBe(503);
    expect(JSON.parse(text)).toEqual({ status: "misconfigured", missing_or_invalid: ["RELAY_MODE"] });
    expect(text).not.toContain("qeue");
  });

  it("names JOBS when RELAY_MODE=queue has no queue to send to", async () => {
    const { status, text } = await health({ RELAY_MODE: "queue", JOBS: undefined });
    expect(status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ missing_or_invalid: ["JOBS"] });
  });

  it.each([
    ["HEAVY_LIMIT_PERIOD_SECONDS", "0"],
    ["INTERACTION_RETENTION_DAYS", "x"],
    ["FEEDBACK_RETENTION_DAYS", "-1"],
    ["ADMIN_USER_IDS", "bob"],
  ])("names %s when malformed", async (name, value) => {
    const { status, text } = await health({ [name]: value });
    expect(status).toBe(503);
    expect(JSON.parse(text)).toMatchObject({ missing_or_invalid: [name] });
  });
});

describe("scheduled prune reads its retention from the config", () => {
  it("keeps records for INTERACTION_RETENTION_DAYS and FEEDBACK_RETENTION_DAYS", async () => {
    const now = Date.UTC(2026, 10, 23);
    const day = 86_400_000;
    await env.DB!.batch([
      env
        .DB!.prepare(
          "INSERT INTO deferred_jobs (interaction_id, state, outcome, attempts, updated_at) VALUES ('cfg-old', 'done', 'ok', 1, ?), ('cfg-new', 'done', 'ok', 1, ?)",
        )
        .bind(now - 8 * day, now - 6 * day),
      env
        .DB!.prepare(
          "INSERT INTO feedback (interaction_id, text, created_at) VALUES ('cfg-f-old', 'a', ?), ('cfg-f-new', 'b', ?)",
        )
        .bind(now - 3 * day, now - 1 * day),
    ]);
    const workerEnv = withVars({ INTERACTION_RETENTION_DAYS: "7", FEEDBACK_RETENTION_DAYS: "2" });
    const summary = await pruneExpiredState(workerEnv, readConfig(workerEnv), now);
    expect(summary).toMatchObject({ jobs_done_deleted: 1, feedback_deleted: 1 });
    await env.DB!.exec("DELETE FROM deferred_jobs; DELETE FROM feedback;");
  });

  it("logs one error line naming the variable and rethrows when the config is malformed", async () => {
    const logs = vi.spyOn(console, "error").mockImplementation(() => {});
    const ctx = createExecutionContext();
    const run = services.scheduled(
      createScheduledController({ scheduledTime: new Date(), cron: "17 3 * * *" }),
      withVars({ FEEDBACK_RETENTION_DAYS: "forever" }),
      ctx,
    );
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await waitOnExecutionContext(ctx);
    const lines = logs.mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines).toEqual([
      expect.objectContaining({
        event: "scheduled",
        outcome: "error",
        error: expect.stringContaining("FEEDBACK_RETENTION_DAYS"),
      }),
    ]);
  });
});
