// HTTP behaviour of the backend's fetch handler: routing, the relay checks in their documented order, limits,
// saturation and error shapes. Requests go straight into backend.fetch (no socket); server.test.ts covers HTTP.

import { describe, expect, it, vi } from "vitest";
import {
  CHART_MAX_INPUT_BYTES,
  createNodeBackend,
  defineJob,
  type NodeBackendOptions,
} from "../../../src/backend/index.ts";
import { relayBodyDigest, relayHeaders, signRelayBody } from "../../../src/shared/relay-signature.ts";
import { NOW_MS, NOW_S, SECRET, errorOf, gatedJob, logCollector, signedJobRequest } from "./support.ts";

const VALID = { id: "1234567890", input: { values: "1, 2, 3" } };

function backend(overrides: Partial<NodeBackendOptions> = {}) {
  const logs = logCollector();
  const instance = createNodeBackend({ relaySecret: SECRET, now: () => NOW_MS, log: logs.log, ...overrides });
  return { ...instance, events: logs.events };
}

describe("routing", () => {
  it("GET /health reports status and in-flight jobs, nothing else", async () => {
    const response = await backend().fetch(new Request("http://backend.test/health"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", in_flight: 0 });
  });

  it("unknown paths are 404 JSON that lists the routes", async () => {
    const response = await backend().fetch(new Request("http://backend.test/nope"));
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("not_found");
    expect(error.message).toMatch(/POST \/v1\/jobs\/\{name\}/);
  });

  it.each([
    ["GET", "/v1/jobs/chart", "POST"],
    ["PUT", "/v1/jobs/chart", "POST"],
    ["POST", "/health", "GET, HEAD"],
  ])("%s %s is 405 with Allow: %s", async (method, path, allow) => {
    const response = await backend().fetch(new Request(`http://backend.test${path}`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect((await errorOf(response)).code).toBe("method_not_allowed");
  });
});

describe("relay authentication (401)", () => {
  it("rejects a request without signature headers before reading the body", async () => {
    const response = await backend().fetch(
      new Request("http://backend.test/v1/jobs/chart", { method: "POST", body: JSON.stringify(VALID) }),
    );
    expect(response.status).toBe(401);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: "unauthorized" });
    expect(error.message).toMatch(/missing X-Relay-Timestamp header/);
  });

  it("rejects a wrong secret", async () => {
    const response = await backend().fetch(await signedJobRequest("chart", VALID, { secret: "not-the-secret" }));
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toMatch(/does not match/);
  });

  it("rejects a body changed after signing", async () => {
    const headers = await relayHeaders(SECRET, JSON.stringify(VALID), NOW_S);
    const tampered = JSON.stringify({ ...VALID, input: { values: "9, 9, 9" } });
    const response = await backend().fetch(
      new Request("http://backend.test/v1/jobs/chart", { method: "POST", headers, body: tampered }),
    );
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toMatch(
      /does not match its X-Relay-Body-SHA256 \(changed after signing\)/,
    );
  });

  it("refuses a wrong secret from the headers alone: no byte of the body is read, and the connection is closed", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const headers = await relayHeaders("not-the-secret", JSON.stringify(VALID), NOW_S);
    const response = await backend().fetch(
      new Request("http://backend.test/v1/jobs/chart", {
        method: "POST",
        headers: { ...headers, "content-length": "2097152" },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("connection")).toBe("close");
    expect(pulls).toBe(0);
  });

  it("accepts a timestamp exactly 300 s old and rejects 301 s", async () => {
    expect((await backend().fetch(await signedJobRequest("chart", VALID, { timestamp: NOW_S - 300 }))).status).toBe(
      200,
    );
    const stale = await backend().fetch(await signedJobRequest("chart", VALID, { timestamp: NOW_S - 301 }));
    expect(stale.status).toBe(401);
    expect((await errorOf(stale)).message).toMatch(/301 s old/);
  });

  it("rejects malformed signature headers", async () => {
    const request = await signedJobRequest("chart", VALID, { headers: { "X-Relay-Signature": "sha256=xyz" } });
    const response = await backend().fetch(request);
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toMatch(/64 hex digits/);
  });

  it("checks the signature before revealing whether a job exists", async () => {
    const response = await backend().fetch(await signedJobRequest("nope", VALID, { secret: "wrong" }));
    expect(response.status).toBe(401);
  });

  it("never logs the signature or the secret", async () => {
    const instance = backend();
    const request = await signedJobRequest("chart", VALID);
    const signature = request.headers.get("X-Relay-Signature") ?? "";
    await instance.fetch(request);
    await instance.fetch(await signedJobRequest("chart", VALID, { secret: "wrong" }));
    const logged = JSON.stringify(instance.events);
    expect(logged).not.toContain(signature.slice(7));
    expect(logged).not.toContain(SECRET);
  });
});

describe("replay (409)", () => {
  it("refuses the same signed request twice", async () => {
    const instance = backend();
    const body = JSON.stringify(VALID);
    const headers = await relayHeaders(SECRET, body, NOW_S);
    const send = () =>
      instance.fetch(new Request("http://backend.test/v1/jobs/chart", { method: "POST", headers, body }));
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(409);
    expect((await errorOf(replay)).code).toBe("replayed");
  });

  it("treats upper-case hex of the same signature as a replay", async () => {
    const instance = backend();
    const body = JSON.stringify(VALID);
    const signature = await signRelayBody(SECRET, NOW_S, body);
    const digest = await relayBodyDigest(body);
    const send = (sig: string) =>
      instance.fetch(
        new Request("http://backend.test/v1/jobs/chart", {
          method: "POST",
          headers: { "X-Relay-Timestamp": String(NOW_S), "X-Relay-Body-SHA256": digest, "X-Relay-Signature": sig },
          body,
        }),
      );
    expect((await send(signature)).status).toBe(200);
    expect((await send(`sha256=${signature.slice(7).toUpperCase()}`)).status).toBe(409);
  });

  it("accepts the same body re-signed at another second", async () => {
    const instance = backend();
    expect((await instance.fetch(await signedJobRequest("chart", VALID, { timestamp: NOW_S }))).status).toBe(200);
    expect((await instance.fetch(await signedJobRequest("chart", VALID, { timestamp: NOW_S - 1 }))).status).toBe(200);
  });

  it("forgets a signature after 10 minutes (by then its timestamp is stale anyway)", async () => {
    let now = NOW_MS;
    const instance = backend({ now: () => now });
    const body = JSON.stringify(VALID);
    const headers = await relayHeaders(SECRET, body, NOW_S);
    const send = () =>
      instance.fetch(new Request("http://backend.test/v1/jobs/chart", { method: "POST", headers, body }));
    expect((await send()).status).toBe(200);
    now += 300_000;
    expect((await send()).status).toBe(409);
    now += 1_000;
    expect((await send()).status).toBe(401);
  });
});

describe("job lookup and input (404, 400, 422)", () => {
  it("404 for an unknown job, listing the known ones", async () => {
    const response = await backend().fetch(await signedJobRequest("pie", VALID));
    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("unknown_job");
    expect(error.message).toBe('no job named "pie"; available: chart');
  });

  it("400 for a body that is not JSON", async () => {
    const response = await backend().fetch(await signedJobRequest("chart", "{not json"));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe("invalid_json");
  });

  it.each([
    ["a missing id", { input: { values: "1" } }, "id"],
    ["a numeric id", { id: 123, input: { values: "1" } }, "id"],
    ["a missing input", { id: "1" }, "input"],
    ["a non-number value", { id: "1", input: { values: "1, 2, abc" } }, "values"],
    ["a value too close to zero to chart", { id: "1", input: { values: "0,1e-320" } }, "values"],
    ["values whose difference overflows", { id: "1", input: { values: "-1.7e308,1.7e308" } }, "values"],
    [
      "both values and file",
      { id: "1", input: { values: "1", file: { url: "https://cdn.discordapp.com/a.csv" } } },
      "file",
    ],
    ["neither values, file nor points", { id: "1", input: { kind: "bar" } }, "values"],
    ["an unknown kind", { id: "1", input: { kind: "pie", values: "1" } }, "kind"],
    ["a title over 100 characters", { id: "1", input: { title: "t".repeat(101), values: "1" } }, "title"],
    ["an unknown field", { id: "1", input: { value: "1" } }, "value"],
    ["a file from another host", { id: "1", input: { file: { url: "https://evil.example/a.csv" } } }, "file.url"],
    [
      "a file over 1 MiB",
      { id: "1", input: { file: { url: "https://cdn.discordapp.com/a.csv", size: 2_000_000 } } },
      "file.size",
    ],
    [
      "a file that is an image",
      { id: "1", input: { file: { url: "https://cdn.discordapp.com/a.png", content_type: "image/png" } } },
      "file.content_type",
    ],
    ["an empty points array", { id: "1", input: { points: [] } }, "points"],
    [
      "a non-finite point",
      {
        id: "1",
        input: {
          points: [
            { label: "a", value: 1 },
            { label: "b", value: "2" },
          ],
        },
      },
      "points[1].value",
    ],
    [
      "a point too close to zero to chart",
      {
        id: "1",
        input: {
          points: [
            { label: "a", value: 0 },
            { label: "b", value: 1e-320 },
          ],
        },
      },
      "points[1].value",
    ],
    [
      "points whose difference overflows",
      {
        id: "1",
        input: {
          points: [
            { label: "a", value: -1.7e308 },
            { label: "b", value: 1.7e308 },
          ],
        },
      },
      "points[0].value",
    ],
  ])("422 for %s, naming field %s", async (_name, body, field) => {
    const response = await backend().fetch(await signedJobRequest("chart", body));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid_input");
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it("422 message for a bad value names the entry", async () => {
    const response = await backend().fetch(
      await signedJobRequest("chart", { id: "1", input: { values: "1, 2, abc" } }),
    );
    expect(await response.json()).toEqual({
      error: { code: "invalid_input", field: "values", message: 'values: "abc" at position 3 is not a number' },
    });
  });

  it("422 message for a value a chart cannot hold names it", async () => {
    const response = await backend().fetch(await signedJobRequest("chart", { id: "1", input: { values: "0,1e-320" } }));
    expect(await response.json()).toEqual({
      error: {
        code: "invalid_input",
        field: "values",
        message:
          'values: "1e-320" at position 2 is too close to zero to chart: give 0 or a number of size 1e-15 or more (scale the data to a smaller unit)',
      },
    });
  });
});

describe("body limit (413)", () => {
  it("refuses a declared Content-Length over the chart job's 4 MiB", async () => {
    const request = await signedJobRequest("chart", VALID, {
      headers: { "content-length": String(CHART_MAX_INPUT_BYTES + 1) },
    });
    const response = await backend().fetch(request);
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("payload_too_large");
  });

  it("counts a streamed body without Content-Length and stops past the cap", async () => {
    const big = JSON.stringify({ id: "1", input: { values: "1" }, pad: "x".repeat(2 * CHART_MAX_INPUT_BYTES) });
    const headers = await relayHeaders(SECRET, big, NOW_S);
    const bytes = new TextEncoder().encode(big);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = bytes.subarray(pulled, pulled + 64 * 1024);
        pulled += chunk.byteLength;
        if (chunk.byteLength === 0) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request("http://backend.test/v1/jobs/chart", {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    const response = await backend().fetch(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(bytes.byteLength);
  });

  it("accepts a body of exactly the cap", async () => {
    const base = JSON.stringify({ id: "1", input: { values: "1" }, pad: "" });
    const body = base.replace('"pad":""', `"pad":"${"x".repeat(CHART_MAX_INPUT_BYTES - base.length)}"`);
    expect(new TextEncoder().encode(body).byteLength).toBe(CHART_MAX_INPUT_BYTES);
    const response = await backend().fetch(await signedJobRequest("chart", body));
    expect(response.status).toBe(200); // keys beside id and input are ignored
  });
});

describe("saturation (503) and crashes (500)", () => {
  it("answers 503 with Retry-After once maxConcurrent jobs run, and accepts the same request after", async () => {
    const gate = gatedJob();
    const instance = backend({ jobs: [gate.job], maxConcurrent: 2 });
    const running = [
      instance.fetch(await signedJobRequest("slow", { id: "1", input: {} })),
      instance.fetch(await signedJobRequest("slow", { id: "2", input: {} })),
    ];
    await vi.waitFor(() => expect(instance.inFlight()).toBe(2));

    const third = await signedJobRequest("slow", { id: "3", input: {} });
    const retry = third.clone();
    const refused = await instance.fetch(third);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("2");
    expect((await errorOf(refused)).code).toBe("saturated");

    const health = await instance.fetch(new Request("http://backend.test/health"));
    expect(await health.json()).toEqual({ status: "ok", in_flight: 2 });

    gate.releaseAll();
    expect((await Promise.all(running)).map((r) => r.status)).toEqual([200, 200]);
    expect(instance.inFlight()).toBe(0);
    // The refused request did no work, so its retry (same signature) is not a replay.
    const accepted = instance.fetch(retry);
    await vi.waitFor(() => expect(gate.started()).toBe(3));
    gate.releaseAll();
    expect((await accepted).status).toBe(200);
  });

  it("turns a crashing job into a 500 job_failed with a ref that matches the logged stack", async () => {
    const crash = defineJob({
      name: "crash",
      validate: (input) => input,
      run: async () => {
        throw new Error("boom");
      },
    });
    const instance = backend({ jobs: [crash] });
    const response = await instance.fetch(await signedJobRequest("crash", { id: "77", input: {} }));
    expect(response.status).toBe(500);
    const error = await errorOf(response);
    expect(error.code).toBe("job_failed");
    expect(error.ref).toMatch(/^[0-9a-f-]{36}$/);
    const crashLog = instance.events.find((event) => event.event === "job_crashed");
    expect(crashLog).toMatchObject({ job: "crash", id: "77", ref: error.ref, error: "Error: boom" });
    expect(String(crashLog?.stack)).toMatch(/boom/);
    expect(instance.inFlight()).toBe(0);
  });

  it("logs one line per job request with event, job, id, status and ms", async () => {
    const instance = backend();
    await instance.fetch(await signedJobRequest("chart", VALID));
    const line = instance.events.find((event) => event.event === "job");
    expect(line).toMatchObject({ event: "job", job: "chart", id: "1234567890", status: 200 });
    expect(typeof line?.ms).toBe("number");
  });
});
