import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import type { JobMessage } from "../../src/worker/kit/engine/queue-message.ts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import { CACHE_TTL_SECONDS, chartCacheKey, type ChartCacheInput } from "../../src/worker/app/commands/chart/cache.ts";
import { createDiscordEmulator, type DiscordEmulator } from "../../src/emulator/app.ts";
import {
  BACKEND_HOST,
  BACKEND_URL,
  chartResult,
  scriptedBackend,
  TEST_RELAY_SECRET,
} from "../support/backend.worker.ts";
import { routeOutbound, type Handler } from "../support/outbound.worker.ts";
import { command, component, signedRequest } from "../support/interactions.worker.ts";
import { askAdminStats } from "../support/usage.worker.ts";

const cacheEnv = (extra: Record<string, unknown> = {}) => ({
  ...env,
  HEAVY_LIMITER: undefined,
  BACKEND_URL,
  RELAY_SECRET: TEST_RELAY_SECRET,
  ...extra,
});
const operator = { user: { id: "900000000000000009", username: "op" }, permissions: "0" };
const serverAdmin = { user: { id: "400000000000000004", username: "boss" }, permissions: String(1n << 3n) };
let discord: DiscordEmulator;

function withBackend(handler: Handler) {
  routeOutbound({ "discord.test": (request) => discord.fetch(request), [BACKEND_HOST]: handler });
}

/** Sends a signed interaction through the Worker and waits for its waitUntil work (final edit, then after-tasks). */
async function run(payload: Record<string, unknown>, workerEnv: Record<string, unknown> = cacheEnv()) {
  const ctx = createExecutionContext();
  const response = await worker.fetch((await signedRequest(JSON.stringify(payload))) as never, workerEnv as never, ctx);
  const body = (await response.clone().json()) as { type: number; data?: Record<string, any> };
  await discord.recordInlineResponse(String(payload.token), body);
  await waitOnExecutionContext(ctx);
  return { body, token: String(payload.token) };
}

const chart = (values: string, extra: unknown[] = []) =>
  command("chart", [{ type: 3, name: "values", value: values }, ...extra]);
/** The final edit of one interaction: its embed fields, footer, attachment size and buttons' custom_ids. */
function finalEdit(token: string) {
  const edit = discord
    .calls({ method: "PATCH" })
    .filter((call) => call.path.includes(token))
    .at(-1)!;
  const multipart = edit.body as { payload_json: any; files: { size: number }[] };
  const embed = multipart.payload_json.embeds[0];
  return {
    fields: embed.fields.map((f: { name: string; value: string }) => `${f.name}=${f.value}`),
    footer: embed.footer.text,
    pngBytes: multipart.files[0]!.size,
    buttons: multipart.payload_json.components[0].components.map((b: { custom_id: string }) => b.custom_id),
  };
}
const errorLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);

beforeEach(async () => {
  discord = createDiscordEmulator();
  const { keys } = await env.CHART_CACHE!.list();
  await Promise.all(keys.map((key) => env.CHART_CACHE!.delete(key.name)));
  await env.DB!.exec("DELETE FROM chart_cache_days;");
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

describe("chart cache: hits", () => {
  it("answers a second identical /chart from the cache, without a backend request, with the same chart and stats", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const first = await run(chart("3,5,2,8", [{ type: 3, name: "title", value: "Sales" }]));
    expect(backend.calls).toHaveLength(1);
    const second = await run(chart("3,5,2,8", [{ type: 3, name: "title", value: "Sales" }]));
    expect(backend.calls).toHaveLength(1);

    const [a, b] = [finalEdit(first.token), finalEdit(second.token)];
    expect(b.fields).toEqual(a.fields);
    expect(b.fields).toEqual(["Points=4", "Min=2", "Max=8", "Mean=4.5", "First → last=3 → 8: +5 (+166.667 %)"]);
    expect(b.footer).toBe("line chart");
    expect(b.pngBytes).toBe(a.pngBytes);
    // The hit still stores the points for its own buttons.
    const key = b.buttons[0].split(":")[2];
    expect(await env.CHART_DATA!.get(`chart:${key}`, "json")).toMatchObject({
      title: "Sales",
      points: [
        { label: "1", value: 3 },
        { label: "2", value: 5 },
        { label: "3", value: 2 },
        { label: "4", value: 8 },
      ],
    });
  });

  it("Line → Bar → Line on the buttons: the third click is a hit", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const { token } = await run(chart("1,4,9,16"));
    const key = finalEdit(token).buttons[0].split(":")[2];
    const bar = await run(component(`chart:bar:${key}`));
    expect(backend.calls.map((c) => c.input.kind)).toEqual(["line", "bar"]);
    const line = await run(component(`chart:line:${key}`));
    expect(backend.calls).toHaveLength(2);
    expect(finalEdit(line.token).footer).toBe("line chart");
    expect(finalEdit(bar.token).footer).toBe("bar chart");
  });

  it("writes each render with the cache's TTL", async () => {
    withBackend(scriptedBackend().handler);
    const before = Math.floor(Date.now() / 1000);
    await run(chart("2,7,1"));
    const { keys } = await env.CHART_CACHE!.list();
    expect(keys).toHaveLength(1);
    expect(keys[0]!.name).toMatch(/^chart:[0-9a-f]{64}$/);
    expect(keys[0]!.expiration).toBeGreaterThanOrEqual(before + CACHE_TTL_SECONDS);
    expect(keys[0]!.expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + CACHE_TTL_SECONDS);
  });
});

describe("chart cache in queue mode", () => {
  it("the consumer looks up, writes after its final edit and counts, like waitUntil mode", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const sent: JobMessage[] = [];
    const queueEnv = cacheEnv({
      RELAY_MODE: "queue",
      JOBS: { send: async (body: JobMessage) => void sent.push(body), sendBatch: async () => {} },
    });
    for (const payload of [chart("6,1,6"), chart("6,1,6")]) {
      await run(payload, queueEnv);
      const batch = createMessageBatch("edge-discord-bot-jobs", [
        { id: `m-${payload.id}`, timestamp: new Date(), attempts: 1, body: sent.at(-1) },
      ]);
      const ctx = createExecutionContext();
      await services.queue(batch as never, queueEnv as never, ctx);
      expect((await getQueueResult(batch as never, ctx)).explicitAcks).toEqual([`m-${payload.id}`]);
      expect(finalEdit(String(payload.token)).fields[0]).toBe("Points=3");
    }
    expect(backend.calls).toHaveLength(1);
    expect(await env.DB!.prepare("SELECT hits, misses FROM chart_cache_days").first()).toEqual({ hits: 1, misses: 1 });
  });
});

describe("chart cache: never another chart's pixels", () => {
  it.each([
    ["other values", chart("1,2,3"), chart("1,2,4")],
    ["other labels", chart("a=1,b=2"), chart("a=1,c=2")],
    [
      "another title",
      chart("1,2,3", [{ type: 3, name: "title", value: "A" }]),
      chart("1,2,3", [{ type: 3, name: "title", value: "B" }]),
    ],
    ["a title and none", chart("1,2,3", [{ type: 3, name: "title", value: "A" }]), chart("1,2,3")],
    ["another kind", chart("1,2,3"), chart("1,2,3", [{ type: 3, name: "kind", value: "bar" }])],
  ])("renders again for %s", async (_name, first, second) => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    await run(first);
    await run(second);
    expect(backend.calls).toHaveLength(2);
  });

  it("keys differ for every input change that changes pixels, and agree for the same chart", async () => {
    const base: ChartCacheInput = {
      kind: "line",
      title: "t",
      points: [
        { label: "a", value: 1 },
        { label: "b", value: 2 },
      ],
    };
    const variants: ChartCacheInput[] = [
      { ...base, kind: "bar" },
      { ...base, title: null },
      { ...base, title: "t " },
      {
        ...base,
        points: [
          { label: "a", value: 1 },
          { label: "b", value: 2.0000001 },
        ],
      },
      {
        ...base,
        points: [
          { label: "b", value: 2 },
          { label: "a", value: 1 },
        ],
      },
      {
        ...base,
        points: [
          { label: "a", value: 1 },
          { label: "b", value: 2 },
          { label: "", value: 0 },
        ],
      },
      {
        ...base,
        points: [
          { label: "a,b", value: 1 },
          { label: "", value: 2 },
        ],
      },
      {
        ...base,
        points: [
          { label: "a", value: -0 },
          { label: "b", value: 2 },
        ],
      },
      {
        ...base,
        points: [
          { label: "a", value: 0 },
          { label: "b", value: 2 },
        ],
      },
    ];
    const keys = await Promise.all([base, ...variants].map(chartCacheKey));
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      await chartCacheKey({
        kind: "line",
        title: "t",
        points: [
          { label: "a", value: 1 },
          { label: "b", value: 2 },
        ],
      }),
    ).toBe(keys[0]);
  });

  it("does not look up or store a CSV upload: its points are known only after the backend reads it", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const upload = () => {
      const payload = command("chart", [{ type: 11, name: "file", value: "9" }]);
      (payload.data as Record<string, unknown>).resolved = {
        attachments: {
          "9": {
            id: "9",
            filename: "data.csv",
            url: "https://cdn.discordapp.com/attachments/1/2/data.csv?ex=1",
            size: 20,
            content_type: "text/csv",
          },
        },
      };
      return payload;
    };
    await run(upload());
    await run(upload());
    expect(backend.calls).toHaveLength(2);
    expect((await env.CHART_CACHE!.list()).keys).toHaveLength(0);
  });
});

describe("chart cache trouble degrades to rendering", () => {
  it.each([
    ["fails", () => Promise.reject(new Error("KV is down")), /KV is down/],
    ["hangs", () => new Promise(() => {}), /chart_cache\.read.*no answer within 300 ms/],
  ])("renders when the cache read %s, and logs it", async (_name, read, logged) => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = { getWithMetadata: read, put: () => Promise.reject(new Error("KV is down")) };
    const { token } = await run(chart("5,6,7"), cacheEnv({ CHART_CACHE: broken }));
    expect(backend.calls).toHaveLength(1);
    expect(finalEdit(token).fields[0]).toBe("Points=3");
    const lines = errorLines(errors);
    expect(lines.find((l) => l.event === "chart.cache_read_failed")).toMatchObject({
      error: expect.stringMatching(logged),
      effect: "rendering instead",
    });
    // The write after the final edit fails too: logged, and the chart was already delivered.
    expect(lines.find((l) => l.event === "deferred.after")).toMatchObject({
      task: "chart.cache_write",
      error: "KV is down",
    });
    expect(lines.find((l) => l.event === "deferred")).toBeUndefined();
  });

  it("treats an entry without readable metadata as a miss", async () => {
    const backend = scriptedBackend();
    withBackend(backend.handler);
    const key = await chartCacheKey({
      kind: "line",
      title: null,
      points: [
        { label: "1", value: 4 },
        { label: "2", value: 2 },
      ],
    });
    await env.CHART_CACHE!.put(key, new Uint8Array([1, 2, 3]), { metadata: { kind: "line" } });
    await run(chart("4,2"));
    expect(backend.calls).toHaveLength(1);
  });

  it("does not cache a failed render", async () => {
    let fail = true;
    const backend = scriptedBackend((call) =>
      fail
        ? Response.json({ error: { code: "busy", message: "busy" } }, { status: 503 })
        : Response.json({ id: call.id, result: chartResult(call.input) }),
    );
    withBackend(backend.handler);
    await run(chart("9,8"));
    fail = false;
    await run(chart("9,8"));
    expect(backend.calls).toHaveLength(2);
  });
});

describe("chart cache hit rate in /admin stats", () => {
  it("counts hits and misses per day and shows the rate to operators", async () => {
    withBackend(scriptedBackend().handler);
    await run(chart("1,2"));
    await run(chart("1,2"));
    await run(chart("1,2"));
    await run(chart("3,4"));
    const body = await askAdminStats(command("admin", [{ type: 1, name: "stats" }], { member: operator }), cacheEnv(), {
      [BACKEND_HOST]: scriptedBackend().handler,
    });
    expect(body.data?.content).toContain("Chart cache: 50% hits (2 of 4 lookups in the last 7 days)");
  });

  it("does not show the global rate to a server's Administrator", async () => {
    withBackend(scriptedBackend().handler);
    await run(chart("1,2"));
    const body = await askAdminStats(
      command("admin", [{ type: 1, name: "stats" }], { member: serverAdmin }),
      cacheEnv(),
      { [BACKEND_HOST]: scriptedBackend().handler },
    );
    expect(body.data?.content).toContain("scope: this server only");
    expect(body.data?.content).not.toContain("Chart cache");
  });

  it("says when there were no lookups", async () => {
    withBackend(scriptedBackend().handler);
    const body = await askAdminStats(command("admin", [{ type: 1, name: "stats" }], { member: operator }), cacheEnv(), {
      [BACKEND_HOST]: scriptedBackend().handler,
    });
    expect(body.data?.content).toContain("Chart cache: no lookups in the last 7 days");
  });
});
