// The usage counters (issue 24): what users do is counted in Durable Objects, one per UTC month, from sums each
// isolate sends at most once per flush interval; immediate interactions write nothing to D1; a store that fails,
// hangs or is slow never delays or changes the user's answer (the fault matrix covers the deferred path).
import { env } from "cloudflare:workers";
import {
  createExecutionContext,
  runDurableObjectAlarm,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { commands, registryOptions } from "../../src/worker/app/index.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { flushUsageEveryMsForTests, monthOf, recordUsage } from "../../src/worker/kit/analytics/record.ts";
import { quantileMs, readUsage } from "../../src/worker/kit/analytics/read-usage.ts";
import type { CounterCell } from "../../src/worker/kit/analytics/cells.ts";
import type { UsageCounters } from "../../src/worker/kit/analytics/usage-counters.ts";
import { scaled, scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import type { Env } from "../../src/worker/kit/env.ts";
import { autocompleteFor, command, component, signedRequest } from "../support/interactions.worker.ts";
import { resetUsage } from "../support/usage.worker.ts";

const registry = createRegistry(commands, registryOptions);
let guildNumber = 0;
/** A server no other test counted in. */
const freshGuild = () => `3000000000000${String(++guildNumber).padStart(5, "0")}`;

afterEach(async () => {
  vi.restoreAllMocks();
  await resetUsage();
});

/** A D1 that counts the statements that write (anything but SELECT) and passes everything to the real one. */
function countingD1(real: D1Database) {
  const writes: string[] = [];
  const db = new Proxy(real, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => (/^\s*select/i.test(sql) || writes.push(sql), target.prepare(sql));
      if (key === "batch")
        return (statements: D1PreparedStatement[]) => (
          writes.push(`batch of ${statements.length}`), target.batch(statements)
        );
      if (key === "exec") return (sql: string) => (writes.push(sql), target.exec(sql));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, writes };
}

async function answer(payload: Record<string, unknown>, workerEnv: unknown = env) {
  const ctx = createExecutionContext();
  const response = await handleInteractionRequest(
    (await signedRequest(JSON.stringify(payload))) as never,
    workerEnv as never,
    ctx,
    registry,
  );
  const body = (await response.json()) as { type: number; data?: { content?: string } };
  await waitOnExecutionContext(ctx);
  return body;
}

describe("counting what users do", () => {
  it("counts immediate answers (commands, buttons) per route and server, and writes nothing to D1 for them", async () => {
    const guild = freshGuild();
    const { db, writes } = countingD1(env.DB!);
    const workerEnv = { ...env, DB: db };
    const since = Date.now();
    for (const payload of [
      command("ping", [], { guild_id: guild }),
      command("help", [], { guild_id: guild }),
      component("roll:again:6", { guild_id: guild }),
    ]) {
      expect((await answer(payload, workerEnv)).type).toBe(4);
    }
    expect(writes, "D1 writes of immediate interactions").toEqual([]);
    const theirs = await readUsage(env.USAGE, since, Date.now() + 60_000, 60, guild);
    expect(theirs.reduce((sum, row) => sum + row.n, 0)).toBe(3);
    const byRoute = await readUsage(env.USAGE, since, Date.now() + 60_000);
    for (const route of ["/ping", "/help", "roll:"])
      expect(byRoute.find((row) => row.route === route)?.n, route).toBeGreaterThanOrEqual(1);
  });

  it("counts nothing for PINGs and autocomplete", async () => {
    const since = Date.now();
    await answer({
      type: 1,
      id: "600000000000000001",
      application_id: "100000000000000001",
      token: "ping-token",
      version: 1,
    });
    await answer(autocompleteFor("help", [{ type: 3, name: "command", value: "ch", focused: true }]));
    expect(await readUsage(env.USAGE, since, Date.now() + 60_000)).toEqual([]);
  });

  it("sends an isolate's events as sums, at most once per flush interval", async () => {
    const restore = flushUsageEveryMsForTests(50);
    try {
      const sent: CounterCell[][] = [];
      const store = {
        idFromName: (name: string) => name,
        get: () => ({ add: async (cells: CounterCell[]) => void sent.push(cells) }),
      };
      const usageEnv = { USAGE: store } as unknown as Env;
      const sends: Promise<unknown>[] = [];
      const event = (i: number) => ({ route: "/ping", guildId: "g", error: i % 10 === 0, ms: i });
      // The first event goes at once (nothing was sent within the interval); the rest of this turn joins it.
      for (let i = 0; i < 50; i++) recordUsage(usageEnv, (send) => void sends.push(send), event(i), 30);
      await Promise.all(sends.splice(0));
      // Events right after a send wait for the interval, then go together.
      for (let i = 0; i < 10; i++) recordUsage(usageEnv, (send) => void sends.push(send), event(i), 30);
      expect(sends).toHaveLength(1);
      await Promise.all(sends);
      expect(sent.map((cells) => cells.map(({ route, guild, n, errors }) => ({ route, guild, n, errors })))).toEqual([
        [{ route: "/ping", guild: "g", n: 50, errors: 5 }],
        [{ route: "/ping", guild: "g", n: 10, errors: 1 }],
      ]);
      // 0–9 ms, 10–25 ms, 26–49 ms: the first three buckets of the histogram.
      expect(sent[0]![0]!.latency.slice(0, 3)).toEqual([11, 15, 24]);
    } finally {
      restore();
    }
  });

  it("reads a window across two months from both months' objects", async () => {
    const end = Date.UTC(2026, 10, 30, 23, 30); // 30 November, 23:30 UTC
    const sends: Promise<unknown>[] = [];
    for (const at of [end, end + 60 * 60_000])
      recordUsage(
        env,
        (send) => void sends.push(send),
        { route: "/across", guildId: null, error: false, ms: 5 },
        30,
        at,
      );
    await Promise.all(sends);
    expect(monthOf(end)).not.toBe(monthOf(end + 60 * 60_000));
    const rows = await readUsage(env.USAGE, end - 60_000, end + 2 * 60 * 60_000);
    expect(rows.filter((row) => row.route === "/across").map((row) => row.n)).toEqual([1, 1]);
    await resetUsage(end);
  });

  it("writes a minute's sums once however many isolates sent them, and deletes the month after its retention", async () => {
    const stub = env.USAGE!.get(env.USAGE!.idFromName("usage:test-writes"));
    const minute = Math.floor(Date.UTC(2026, 11, 1, 12, 0) / 60_000);
    const cell = (guild: string, n: number): CounterCell => ({
      minute,
      route: "/ping",
      guild,
      n,
      errors: 1,
      latency: [n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    const expiresAt = Date.now() + 86_400_000;
    await stub.add([cell("g1", 2)], expiresAt); // three isolates' sends within the minute
    await stub.add([cell("g1", 3), cell("g2", 1)], expiresAt);
    await stub.add([cell("g2", 4)], expiresAt);
    const stored = () =>
      runInDurableObject(stub, (_counters: UsageCounters, state) => ({
        minutes: state.storage.sql.exec("SELECT minute, route, n, errors, l0 FROM minutes").toArray(),
        guilds: state.storage.sql.exec("SELECT guild, n, errors FROM guild_hours ORDER BY guild").toArray(),
      }));
    expect(await stored(), "nothing written before the alarm").toEqual({ minutes: [], guilds: [] });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stored()).toEqual({
      minutes: [{ minute, route: "/ping", n: 10, errors: 4, l0: 10 }],
      guilds: [
        { guild: "g1", n: 5, errors: 2 },
        { guild: "g2", n: 5, errors: 2 },
      ],
    });
    // Between writes the alarm waits for the retention's end; then the month's storage goes.
    expect(await runInDurableObject(stub, (_counters: UsageCounters, state) => state.storage.getAlarm())).toBe(
      expiresAt,
    );
    await stub.add([cell("g3", 1)], Date.now() - 1);
    await runDurableObjectAlarm(stub);
    expect(await stored()).toEqual({ minutes: [], guilds: [] });
  });

  it("takes the 95th percentile of a histogram as its bucket's upper bound", () => {
    expect(quantileMs([0, 0, 0], 0.95)).toBeNull();
    expect(quantileMs([94, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0], 0.95)).toBe(50);
    expect(quantileMs([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0.95)).toBe(20_000);
  });
});

describe("a usage store that fails, hangs or is slow", () => {
  let restore: () => void;
  beforeEach(() => (restore = scaleTimingsForTests(1 / 40)));
  afterEach(() => restore());

  const faultyStore = (fault: "fails" | "hangs" | "slow") => ({
    idFromName: (name: string) => name,
    get: () => ({
      add: () =>
        fault === "fails"
          ? Promise.reject(new Error("injected: store unavailable"))
          : fault === "hangs"
            ? new Promise(() => {})
            : new Promise((resolve) => setTimeout(resolve, scaled(2_500))),
    }),
  });

  it.each(["fails", "hangs", "slow"] as const)(
    "%s: the answer is unchanged, its work ends through the time limit, and the lost count is logged",
    async (fault) => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      vi.spyOn(console, "log").mockImplementation(() => {});
      const body = await answer(command("ping"), { ...env, USAGE: faultyStore(fault) });
      expect(body.type).toBe(4);
      expect(body.data?.content).toMatch(/Pong/);
      const lines = errors.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
      expect(lines.filter((line) => line.event === "usage.write_failed")).toEqual([
        expect.objectContaining({ events: 1, level: "error" }),
      ]);
    },
  );
});
