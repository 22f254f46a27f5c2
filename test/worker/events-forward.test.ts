// POST /events crosses two Workers: the interactions Worker forwards it unchanged through its SERVICES binding, and the
// services Worker verifies and records it (events.test.ts). Discord never redelivers an event it got a 2xx for, so
// whatever keeps the services Worker from answering must answer 5xx here, within Discord's 3 s.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../src/worker/index.ts";
import { authorizedData, webhookEvent } from "../../src/emulator/core.ts";
import { scaleTimingsForTests } from "../../src/worker/kit/timing.ts";
import { signedRequest } from "../support/interactions.worker.ts";

const APP = "100000000000000001";
const USER = {
  id: "400000000000000004",
  username: "tester",
  global_name: "Tester",
  discriminator: "0",
  avatar: null,
  public_flags: 0,
};
const event = JSON.stringify(
  webhookEvent(APP, "APPLICATION_AUTHORIZED", authorizedData({ integrationType: 1, user: USER })),
);

/** A stand-in for the services Worker's binding: answers as told, and keeps what it was sent. */
function services(answer: (request: Request) => Promise<Response>) {
  const received: Request[] = [];
  const fetcher = {
    fetch: (input: Request) => {
      received.push(input);
      return answer(input);
    },
  };
  return { fetcher, received };
}

async function postEvent(workerEnv: object) {
  const response = await worker.fetch(
    (await signedRequest(event, { path: "/events" })) as never,
    workerEnv as never,
    createExecutionContext(),
  );
  return { status: response.status, body: await response.text() };
}

const eventLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((c) => JSON.parse(String(c[0]))).filter((l) => l.event === "event");

afterEach(async () => {
  vi.restoreAllMocks();
  await env.DB!.exec("DELETE FROM webhook_events; DELETE FROM app_installs;");
});

describe("POST /events in the interactions Worker", () => {
  it("reaches the event modules through the SERVICES binding: the services Worker's 204 once the install is recorded", async () => {
    // The pool binds SERVICES to the services Worker's fetch (test/support/pool-entry.worker.ts).
    expect(await postEvent(env)).toEqual({ status: 204, body: "" });
    expect((await env.DB!.prepare("SELECT user_id FROM app_installs").all()).results).toEqual([{ user_id: USER.id }]);
  });

  it("hands the services Worker the request as Discord sent it: method, path, signature headers and body", async () => {
    const { fetcher, received } = services(async () => new Response(null, { status: 204 }));
    expect(await postEvent({ ...env, SERVICES: fetcher })).toEqual({ status: 204, body: "" });
    expect(received).toHaveLength(1);
    const sent = received[0]!;
    const original = await signedRequest(event, { path: "/events" });
    expect([sent.method, new URL(sent.url).pathname]).toEqual(["POST", "/events"]);
    expect(sent.headers.get("X-Signature-Ed25519")).toMatch(/^[0-9a-f]{128}$/);
    expect(sent.headers.get("X-Signature-Timestamp")).toBe(original.headers.get("X-Signature-Timestamp"));
    expect(await sent.text()).toBe(event);
  });

  it("passes the services Worker's refusal on: a 500 (not recorded) stays a 500, so Discord delivers it again", async () => {
    const { fetcher } = services(async () => Response.json({ error: { code: "event_not_recorded" } }, { status: 500 }));
    expect((await postEvent({ ...env, SERVICES: fetcher })).status).toBe(500);
  });

  it.each([
    ["is not bound", undefined, /SERVICES is not bound/],
    [
      "fails",
      services(() => Promise.reject(new Error("Network connection lost."))).fetcher,
      /Network connection lost\./,
    ],
    ["never answers", services(() => new Promise<Response>(() => {})).fetcher, /did not answer within \d+ ms/],
  ])("answers 503 when the services Worker %s, naming why, with one log line", async (_case, fetcher, why) => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    // The hang ends through the Worker's own time limit (2.8 s), 40× shorter here.
    const restore = scaleTimingsForTests(1 / 40);
    try {
      const { status, body } = await postEvent({ ...env, SERVICES: fetcher });
      expect(status).toBe(503);
      expect(JSON.parse(body)).toEqual({
        error: { code: "event_not_recorded", message: expect.stringMatching(why) },
      });
    } finally {
      restore();
    }
    expect(eventLines(errors)).toEqual([
      expect.objectContaining({ outcome: "error", effect: "answered 503", error: expect.stringMatching(why) }),
    ]);
  });
});
