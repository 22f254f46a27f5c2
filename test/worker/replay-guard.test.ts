// The backend Worker's replay store: a ReplayGuard Durable Object per relay signature. Here the object runs in
// workerd over an in-memory stand-in for its storage, so the claim, its expiry, the release and the alarm's
// clean-up can be checked at any clock; the end-to-end behaviour (409 across requests and a restart) is in
// test/node/backend/contract-worker.test.ts.
import { describe, expect, it } from "vitest";
import { durableReplayStore, ReplayGuard } from "../../src/backend/worker/replay-guard.ts";

function fakeState() {
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  const storage = {
    get: async (key: string) => data.get(key),
    put: async (key: string, value: unknown) => void data.set(key, value),
    deleteAll: async () => data.clear(),
    setAlarm: async (at: number) => void (alarm = at),
  };
  return { state: { storage } as unknown as DurableObjectState, data, alarm: () => alarm };
}

/** workerd's DurableObject constructor accepts only a real state; the methods only need `ctx.storage`. */
function guardOver(state: DurableObjectState): ReplayGuard {
  return Object.assign(Object.create(ReplayGuard.prototype) as ReplayGuard, { ctx: state });
}

describe("ReplayGuard", () => {
  it("claims a signature once for the TTL, then again after it", async () => {
    const { state, alarm } = fakeState();
    const guard = guardOver(state);
    const before = Date.now();
    expect(await guard.claim(1_000, 600_000)).toBe(false);
    expect(await guard.claim(600_999, 600_000)).toBe(true);
    expect(await guard.claim(601_000, 600_000)).toBe(false);
    expect(alarm()).toBeGreaterThanOrEqual(before + 600_000);
  });

  it("forgets its claim on release and when its alarm fires", async () => {
    const { state, data } = fakeState();
    const guard = guardOver(state);
    await guard.claim(0, 600_000);
    await guard.release();
    expect(data.size).toBe(0);
    expect(await guard.claim(1, 600_000)).toBe(false);
    await guard.alarm();
    expect(data.size).toBe(0);
  });
});

describe("durableReplayStore", () => {
  it("asks the object named by the signature, and turns an unreachable one into a 503 with Retry-After", async () => {
    const names: string[] = [];
    const namespace = {
      idFromName: (name: string) => (names.push(name), name),
      get: (id: string) => ({
        claim: async () => id === "seen",
        release: async () => {
          throw new Error("object overloaded");
        },
      }),
    } as unknown as DurableObjectNamespace<ReplayGuard>;
    const store = durableReplayStore(namespace);
    expect(await store.checkAndRecord("seen", 0)).toBe(true);
    expect(await store.checkAndRecord("fresh", 0)).toBe(false);
    expect(names).toEqual(["seen", "fresh"]);
    await expect(store.forget("seen")).rejects.toMatchObject({
      status: 503,
      code: "replay_store_unavailable",
      headers: { "retry-after": "2" },
    });
  });
});
