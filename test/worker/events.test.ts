// POST /events: Discord's webhook events, signed like interactions (the shared ingress rules are in
// ingress.test.ts, run against both routes). Here: PING, events handled after the 204, redeliveries, unknown types,
// what D1 records and what /admin stats shows. Bodies come from the emulator's builders, as the playground sends them.
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import {
  authorizedData,
  deauthorizedData,
  testEntitlement,
  webhookEvent,
  webhookPing,
} from "../../src/emulator/core.ts";
import { listEventModules, type EventContext } from "../../src/worker/kit/dispatch/event-registry.ts";
import { RegistryError } from "../../src/worker/kit/dispatch/registry.ts";
import { command, signedRequest } from "../support/interactions.worker.ts";
import { askAdminStats } from "../support/usage.worker.ts";

const APP = "100000000000000001";
const GUILD = "200000000000000002";
const USER = {
  id: "400000000000000004",
  username: "tester",
  global_name: "Tester",
  discriminator: "0",
  avatar: null,
  public_flags: 0,
};
const OPERATOR = { user: { id: "900000000000000009", username: "op" }, permissions: "0" };
const SERVER_ADMIN = { user: { id: "400000000000000004", username: "boss" }, permissions: String(1n << 3n) };

/**
 * Posts a signed body to /events and waits for the work after the response: through the interactions Worker, which
 * forwards it to the services Worker over the SERVICES binding, as Discord's deliveries go; with an env of the test's
 * own (a failing D1), straight to the services Worker, where events are handled (a binding's callee has its own env).
 */
async function deliver(body: unknown, workerEnv?: object) {
  const ctx = createExecutionContext();
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const request = (await signedRequest(raw, { path: "/events" })) as never;
  const response = workerEnv
    ? await services.fetch(request, workerEnv as never, ctx)
    : await worker.fetch(request, env as never, ctx);
  const answered = { status: response.status, text: await response.text() };
  await waitOnExecutionContext(ctx);
  return answered;
}

async function stats(member: Record<string, unknown>, guildId = GUILD): Promise<string> {
  return (await askAdminStats(command("admin", [{ type: 1, name: "stats" }], { member, guild_id: guildId }))).data
    .content;
}

const rows = async (table: string) => (await env.DB!.prepare(`SELECT * FROM ${table}`).all()).results;
const eventLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((c) => JSON.parse(String(c[0]))).filter((l) => l.event === "event");

afterEach(async () => {
  vi.restoreAllMocks();
  await env.DB!.exec(
    "DELETE FROM webhook_events; DELETE FROM app_installs; DELETE FROM app_deauthorizations; DELETE FROM entitlements;",
  );
});

describe("POST /events", () => {
  it("answers a PING 204 with an empty body and records nothing", async () => {
    expect(await deliver(webhookPing(APP))).toEqual({ status: 204, text: "" });
    expect(await rows("webhook_events")).toEqual([]);
  });

  it("answers an event 204 once its handler has recorded it (nothing left for after the response)", async () => {
    const ctx = createExecutionContext();
    const body = JSON.stringify(
      webhookEvent(APP, "APPLICATION_AUTHORIZED", authorizedData({ integrationType: 0, user: USER, guildId: GUILD })),
    );
    const response = await worker.fetch((await signedRequest(body, { path: "/events" })) as never, env as never, ctx);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(await rows("app_installs")).toEqual([
      expect.objectContaining({
        integration_type: 0,
        user_id: USER.id,
        guild_id: GUILD,
        scopes: "applications.commands bot",
      }),
    ]);
  });

  it("records a user install with no server, and a deauthorization", async () => {
    await deliver(webhookEvent(APP, "APPLICATION_AUTHORIZED", authorizedData({ integrationType: 1, user: USER })));
    await deliver(webhookEvent(APP, "APPLICATION_DEAUTHORIZED", deauthorizedData(USER)));
    expect(await rows("app_installs")).toEqual([
      expect.objectContaining({
        integration_type: 1,
        user_id: USER.id,
        guild_id: null,
        scopes: "applications.commands",
      }),
    ]);
    expect(await rows("app_deauthorizations")).toEqual([expect.objectContaining({ user_id: USER.id })]);
  });

  it("handles a redelivery of the same event once (Discord retries for up to 10 minutes)", async () => {
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const event = webhookEvent(
      APP,
      "APPLICATION_AUTHORIZED",
      authorizedData({ integrationType: 0, user: USER, guildId: GUILD }),
    );
    // Each delivery is signed anew (a new X-Signature-Timestamp); the event is the same.
    for (let i = 0; i < 3; i++) expect((await deliver(event)).status).toBe(204);
    expect(await rows("app_installs")).toHaveLength(1);
    expect(eventLines(logs).map((l) => l.outcome)).toEqual(["ok", "duplicate", "duplicate"]);
    // A second install by the same user a moment later is another event, recorded on its own.
    await deliver(
      webhookEvent(
        APP,
        "APPLICATION_AUTHORIZED",
        authorizedData({ integrationType: 0, user: USER, guildId: GUILD }),
        Date.now() + 1,
      ),
    );
    expect(await rows("app_installs")).toHaveLength(2);
  });

  it("answers an unknown event type 204 and logs one line", async () => {
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await deliver(webhookEvent(APP, "QUEST_USER_ENROLLMENT", {}))).toEqual({ status: 204, text: "" });
    expect(await deliver(webhookEvent(APP, "SOMETHING_NEW_2027", { id: "1" }))).toEqual({ status: 204, text: "" });
    expect(eventLines(logs)).toEqual([
      expect.objectContaining({ type: "QUEST_USER_ENROLLMENT", outcome: "unhandled" }),
      expect.objectContaining({ type: "SOMETHING_NEW_2027", outcome: "unhandled" }),
    ]);
    expect(await rows("webhook_events")).toEqual([]);
  });

  it("keeps each entitlement's newest state, whatever order its events arrive in", async () => {
    const bought = testEntitlement({ applicationId: APP, skuId: "700000000000000007", userId: USER.id });
    const t = Date.now();
    await deliver(webhookEvent(APP, "ENTITLEMENT_CREATE", bought, t));
    expect(await rows("entitlements")).toEqual([
      expect.objectContaining({
        id: bought.id,
        sku_id: "700000000000000007",
        user_id: USER.id,
        type: 4,
        deleted: 0,
        ends_at: null,
      }),
    ]);
    // The deletion (later) arrives before an update (earlier) that was delayed: the deletion stands.
    await deliver(webhookEvent(APP, "ENTITLEMENT_DELETE", bought, t + 2_000));
    await deliver(
      webhookEvent(APP, "ENTITLEMENT_UPDATE", { ...bought, ends_at: "2030-01-01T00:00:00+00:00" }, t + 1_000),
    );
    expect(await rows("entitlements")).toEqual([expect.objectContaining({ id: bought.id, deleted: 1, ends_at: null })]);
  });

  it("logs a handler failure with its event, answers 500 (Discord delivers it again), and gives the claim back, so the redelivery succeeds", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const event = webhookEvent(APP, "APPLICATION_DEAUTHORIZED", deauthorizedData(USER));
    const real = env.DB!;
    const flaky = {
      prepare: (sql: string) =>
        sql.startsWith("INSERT INTO app_deauthorizations")
          ? { bind: () => ({ run: () => Promise.reject(new Error("D1 is down")) }) }
          : real.prepare(sql),
    } as unknown as D1Database;
    // A 204 here would lose the event: Discord never redelivers one it got a 2xx for (defect 5 of issue 20).
    expect((await deliver(event, { ...env, DB: flaky })).status).toBe(500);
    expect(eventLines(errors)).toEqual([
      expect.objectContaining({ type: "APPLICATION_DEAUTHORIZED", outcome: "error", error: "D1 is down" }),
    ]);
    expect(await rows("webhook_events")).toEqual([]);
    expect((await deliver(event)).status).toBe(204);
    expect(await rows("app_deauthorizations")).toHaveLength(1);
  });

  it("a handler that hangs is cut at the deadline: 500, claim given back, and the redelivery records it", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const { runEvent } = await import("../../src/worker/kit/dispatch/event-dispatch.ts");
    const { readConfig } = await import("../../src/worker/kit/config.ts");
    const { eventKey, parseWebhook, readEventData } = await import("../../src/worker/kit/dispatch/webhook-event.ts");
    const parsedEvent = parseWebhook(
      new TextEncoder().encode(JSON.stringify(webhookEvent(APP, "APPLICATION_DEAUTHORIZED", deauthorizedData(USER)))),
    );
    if (!parsedEvent.ok || parsedEvent.kind !== "event") throw new Error("not an event");
    const data = readEventData(parsedEvent.event.type as "APPLICATION_DEAUTHORIZED", parsedEvent.event.raw)!;
    const hung = { event: "APPLICATION_DEAUTHORIZED", handle: () => new Promise<void>(() => {}) } as never;
    const handled = await runEvent(
      hung,
      parsedEvent.event,
      data,
      env,
      readConfig(env),
      eventKey(parsedEvent.event),
      Date.now(),
      50,
    );
    expect(handled).toBe(false);
    expect(eventLines(errors)).toEqual([
      expect.objectContaining({ outcome: "error", error: expect.stringMatching(/no answer within/) }),
    ]);
    expect(await rows("webhook_events")).toEqual([]);
  });
});

describe("/admin stats", () => {
  it("shows installs (a line mentioning installs, with the count), removals and active entitlements to an operator", async () => {
    await deliver(
      webhookEvent(APP, "APPLICATION_AUTHORIZED", authorizedData({ integrationType: 0, user: USER, guildId: GUILD })),
    );
    await deliver(
      webhookEvent(
        APP,
        "APPLICATION_AUTHORIZED",
        authorizedData({ integrationType: 0, user: USER, guildId: "200000000000000099" }),
      ),
    );
    await deliver(webhookEvent(APP, "APPLICATION_AUTHORIZED", authorizedData({ integrationType: 1, user: USER })));
    await deliver(webhookEvent(APP, "APPLICATION_DEAUTHORIZED", deauthorizedData(USER)));
    const active = testEntitlement({ applicationId: APP, skuId: "700000000000000007", userId: USER.id });
    const ended = {
      ...testEntitlement({ applicationId: APP, skuId: "700000000000000007", userId: "400000000000000005" }),
      ends_at: "2020-01-01T00:00:00+00:00",
    };
    const deleted = testEntitlement({ applicationId: APP, skuId: "700000000000000007", guildId: GUILD });
    for (const e of [active, ended]) await deliver(webhookEvent(APP, "ENTITLEMENT_CREATE", e));
    await deliver(webhookEvent(APP, "ENTITLEMENT_DELETE", deleted));
    const content = await stats(OPERATOR);
    expect(content).toMatch(/^App installs received: 3 \(2 to servers, 1 to user accounts\)$/m);
    expect(content).toMatch(/^Removals \(deauthorizations\): 1$/m);
    expect(content).toMatch(/^Active entitlements: 1$/m);
    expect(content).toContain("scope: all servers");
  });

  it("shows a server's admin that server's installs and entitlements only", async () => {
    await deliver(
      webhookEvent(APP, "APPLICATION_AUTHORIZED", authorizedData({ integrationType: 0, user: USER, guildId: GUILD })),
    );
    await deliver(
      webhookEvent(
        APP,
        "APPLICATION_AUTHORIZED",
        authorizedData({ integrationType: 0, user: USER, guildId: "200000000000000099" }),
      ),
    );
    await deliver(
      webhookEvent(
        APP,
        "ENTITLEMENT_CREATE",
        testEntitlement({ applicationId: APP, skuId: "700000000000000007", guildId: "200000000000000099" }),
      ),
    );
    const content = await stats(SERVER_ADMIN);
    expect(content).toMatch(/^App installs to this server received: 1$/m);
    expect(content).toMatch(/^Active entitlements: 0$/m);
    expect(content).not.toMatch(/deauthorizations/i);
  });
});

describe("the daily prune", () => {
  it("deletes old event claims and long-gone entitlements, and keeps installs", async () => {
    const now = Date.UTC(2026, 10, 23);
    const day = 86_400_000;
    await env.DB!.batch([
      env
        .DB!.prepare("INSERT INTO webhook_events (key, type, received_at) VALUES ('old', 'X', ?), ('new', 'X', ?)")
        .bind(now - 31 * day, now - day),
      env
        .DB!.prepare(
          "INSERT INTO entitlements (id, sku_id, type, deleted, event_at) VALUES ('gone', '1', 4, 1, ?), ('recent', '1', 4, 1, ?), ('live', '1', 4, 0, ?)",
        )
        .bind(now - 31 * day, now - day, now - 400 * day),
      env
        .DB!.prepare("INSERT INTO app_installs (event_key, user_id, scopes, authorized_at) VALUES ('k', '1', '', ?)")
        .bind(now - 400 * day),
    ]);
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const ctx = createExecutionContext();
    await services.scheduled(createScheduledController({ scheduledTime: new Date(now), cron: "17 3 * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await rows("webhook_events")).map((r) => r.key)).toEqual(["new"]);
    expect((await rows("entitlements")).map((r) => r.id).sort()).toEqual(["live", "recent"]);
    expect(await rows("app_installs")).toHaveLength(1);
    expect(logs.mock.calls.map((c) => JSON.parse(String(c[0])))).toEqual([
      expect.objectContaining({ event: "scheduled", webhook_events_deleted: 1, entitlements_deleted: 1 }),
    ]);
  });
});

describe("event modules", () => {
  it("refuses a list with two modules for one event, or an event nobody reads", () => {
    const handle = async () => {};
    expect(() =>
      listEventModules({ event: "ENTITLEMENT_CREATE", handle }, { event: "ENTITLEMENT_CREATE", handle }),
    ).toThrow(RegistryError);
    // @ts-expect-error: not an event type webhook-event.ts reads
    expect(() => listEventModules({ event: "QUEST_USER_ENROLLMENT", handle })).toThrow(/must name an event type/);
    // @ts-expect-error: an export nothing calls
    expect(() => listEventModules({ event: "ENTITLEMENT_CREATE", handle, extra: 1 })).toThrow(/exports `extra`/);
    const installs = async (ctx: EventContext<"APPLICATION_AUTHORIZED">) => void ctx.data.guildId;
    // @ts-expect-error: a handler typed for another event's data
    expect(() => listEventModules({ event: "ENTITLEMENT_CREATE", handle: installs })).not.toThrow();
  });
});
