import { describe, expect, it, vi } from "vitest";
import { DiscordApiError, DiscordRestClient, multipartBody, USER_AGENT } from "../../src/worker/kit/discord/rest.ts";
import { expectConforming, SPEC_OPERATIONS } from "../support/spec.ts";

interface Seen {
  method: string;
  url: string;
  headers: Headers;
  body: BodyInit | null | undefined;
}

/** A scripted fetch: each call takes the next step; Responses are built inside the call (workerd I/O rules). */
function scripted(steps: Array<() => Response | Promise<Response>>) {
  const seen: Seen[] = [];
  const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({
      method: init?.method ?? "GET",
      url: String(input),
      headers: new Headers(init?.headers),
      body: init?.body,
    });
    // What the client sends must be a body Discord's description accepts, as at the emulator.
    const sent = init?.body instanceof FormData ? await (init.body.get("payload_json") as Blob).text() : init?.body;
    if (typeof sent === "string")
      expectConforming(
        init?.method === "POST" ? SPEC_OPERATIONS.executeWebhook : SPEC_OPERATIONS.editWebhookMessage,
        JSON.parse(sent),
      );
    const step = steps[Math.min(seen.length - 1, steps.length - 1)]!;
    return step();
  }) as typeof fetch;
  return { fetchStub, seen };
}

const waits: number[] = [];
const client = (fetchStub: typeof fetch, extra: Partial<ConstructorParameters<typeof DiscordRestClient>[0]> = {}) =>
  new DiscordRestClient({
    apiBase: "https://discord.test/api/v10",
    applicationId: "app1",
    fetch: fetchStub,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
const ok = () => Response.json({ id: "m1" });
const rateLimited =
  (body: unknown, headers: Record<string, string> = {}) =>
  () =>
    Response.json(body, { status: 429, headers });

describe("DiscordRestClient", () => {
  it("PATCHes @original with JSON, a DiscordBot User-Agent and no bot token", async () => {
    const { fetchStub, seen } = scripted([ok]);
    const message = await client(fetchStub).editOriginalResponse("tok/en", { content: "hi" });
    expect(message).toEqual({ id: "m1" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe("PATCH");
    expect(seen[0]!.url).toBe("https://discord.test/api/v10/webhooks/app1/tok%2Fen/messages/@original");
    expect(seen[0]!.headers.get("User-Agent")).toBe(USER_AGENT);
    expect(seen[0]!.headers.get("Authorization")).toBeNull();
    expect(seen[0]!.headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(String(seen[0]!.body))).toEqual({ content: "hi", allowed_mentions: { parse: [] } });
  });

  it("uses the follow-up routes", async () => {
    const { fetchStub, seen } = scripted([
      ok,
      ok,
      () => new Response(null, { status: 204 }),
      () => new Response(null, { status: 204 }),
    ]);
    const rest = client(fetchStub);
    await rest.createFollowupMessage("t", { content: "a" });
    await rest.editFollowupMessage("t", "42", { content: "b" });
    await rest.deleteFollowupMessage("t", "42");
    await rest.deleteOriginalResponse("t");
    expect(seen.map((s) => `${s.method} ${new URL(s.url).pathname}`)).toEqual([
      "POST /api/v10/webhooks/app1/t",
      "PATCH /api/v10/webhooks/app1/t/messages/42",
      "DELETE /api/v10/webhooks/app1/t/messages/42",
      "DELETE /api/v10/webhooks/app1/t/messages/@original",
    ]);
  });

  it("waits the body's retry_after on 429, in preference to Retry-After", async () => {
    waits.length = 0;
    const { fetchStub, seen } = scripted([
      rateLimited({ retry_after: 0.25, global: false }, { "Retry-After": "7" }),
      ok,
    ]);
    await client(fetchStub).editOriginalResponse("t", { content: "x" });
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([250]);
  });

  it("falls back to the Retry-After header when the body has no retry_after", async () => {
    waits.length = 0;
    const { fetchStub } = scripted([rateLimited({ message: "slow down" }, { "Retry-After": "2" }), ok]);
    await client(fetchStub).editOriginalResponse("t", { content: "x" });
    expect(waits).toEqual([2000]);
  });

  it("retries 429 at most 3 times", async () => {
    const { fetchStub, seen } = scripted([rateLimited({ retry_after: 0.01 })]);
    const error = await client(fetchStub)
      .editOriginalResponse("t", { content: "x" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error.status).toBe(429);
    expect(seen).toHaveLength(4);
  });

  it("retries 5xx at most 2 times with backoff from 250 ms", async () => {
    waits.length = 0;
    const { fetchStub, seen } = scripted([() => new Response("oops", { status: 502 })]);
    const error = await client(fetchStub)
      .editOriginalResponse("t", { content: "x" })
      .catch((e) => e);
    expect(error.status).toBe(502);
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
  });

  it("retries network errors at most 2 times", async () => {
    const { fetchStub, seen } = scripted([
      () => {
        throw new TypeError("connection refused");
      },
    ]);
    const error = await client(fetchStub)
      .editOriginalResponse("t", { content: "x" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error.message).toContain("connection refused");
    expect(seen).toHaveLength(3);
  });

  it.each([400, 401, 403, 404])("never retries a %i", async (status) => {
    const { fetchStub, seen } = scripted([() => Response.json({ message: "no", code: 10008 }, { status })]);
    const error = await client(fetchStub)
      .editOriginalResponse("secret-token", { content: "x" })
      .catch((e) => e);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status, code: 10008 });
    expect(error.message).not.toContain("secret-token");
    expect(error.message).toContain(":token");
  });

  it("retries 404 Unknown Webhook (Discord's race right after a deferral) with backoff, logging each retry", async () => {
    waits.length = 0;
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    const unknown = () => Response.json({ message: "Unknown Webhook", code: 10015 }, { status: 404 });
    const { fetchStub, seen } = scripted([unknown, unknown, ok]);
    await expect(client(fetchStub).editOriginalResponse("secret-token", { content: "x" })).resolves.toEqual({
      id: "m1",
    });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([250, 500]);
    const lines = logged.mock.calls.map(([line]) => JSON.parse(String(line)));
    expect(lines).toEqual([
      {
        event: "discord.retry",
        reason: "unknown_webhook",
        method: "PATCH",
        path: "/webhooks/app1/:token/messages/@original",
        attempt: 1,
        wait_ms: 250,
        level: "warn",
      },
      {
        event: "discord.retry",
        reason: "unknown_webhook",
        method: "PATCH",
        path: "/webhooks/app1/:token/messages/@original",
        attempt: 2,
        wait_ms: 500,
        level: "warn",
      },
    ]);
    logged.mockRestore();
  });

  it("gives up on Unknown Webhook after about 12 s of retries (discord-api-docs #7220: ≈ 10 s to clear), and never retries it for a DELETE", async () => {
    waits.length = 0;
    vi.spyOn(console, "log").mockImplementation(() => {});
    const unknown = () => Response.json({ message: "Unknown Webhook", code: 10015 }, { status: 404 });
    const post = scripted([unknown]);
    await expect(client(post.fetchStub).createFollowupMessage("t", { content: "x" })).rejects.toMatchObject({
      status: 404,
      code: 10015,
      attempts: 9,
    });
    expect(waits).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000, 2000]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
    const del = scripted([unknown]);
    await expect(client(del.fetchStub).deleteOriginalResponse("t")).rejects.toMatchObject({ status: 404, code: 10015 });
    expect(del.seen).toHaveLength(1);
    vi.restoreAllMocks();
  });

  it("rides out an Unknown Webhook that takes 10 s to clear (defect 9 of issue 20)", async () => {
    waits.length = 0;
    vi.spyOn(console, "log").mockImplementation(() => {});
    const unknown = () => Response.json({ message: "Unknown Webhook", code: 10015 }, { status: 404 });
    // Seven 404s: 250 + 500 + 1000 + 2000 × 4 = 9.75 s of waiting, then the webhook exists.
    const { fetchStub, seen } = scripted([unknown, unknown, unknown, unknown, unknown, unknown, unknown, ok]);
    await expect(client(fetchStub).editOriginalResponse("t", { content: "x" })).resolves.toEqual({ id: "m1" });
    expect(seen).toHaveLength(8);
    vi.restoreAllMocks();
  });

  it("retries Unknown Webhook only within the deadline", async () => {
    const unknown = () => Response.json({ message: "Unknown Webhook", code: 10015 }, { status: 404 });
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { fetchStub, seen } = scripted([unknown]);
    const error = await client(fetchStub, { deadline: Date.now() + 100 })
      .editOriginalResponse("t", { content: "x" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error.message).toMatch(/deadline/);
    expect(seen).toHaveLength(1);
    vi.restoreAllMocks();
  });

  it("recovers from a 429 then a 500", async () => {
    const { fetchStub, seen } = scripted([
      rateLimited({ retry_after: 0 }),
      () => new Response("", { status: 500 }),
      ok,
    ]);
    await expect(client(fetchStub).editOriginalResponse("t", { content: "x" })).resolves.toEqual({ id: "m1" });
    expect(seen).toHaveLength(3);
  });

  it("never waits past its deadline", async () => {
    const { fetchStub, seen } = scripted([rateLimited({ retry_after: 30 })]);
    const error = await client(fetchStub, { deadline: Date.now() + 5_000 })
      .editOriginalResponse("t", { content: "x" })
      .catch((e) => e);
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error.message).toMatch(/deadline/);
    expect(seen).toHaveLength(1);
  });

  it("times out a hanging attempt and retries it", async () => {
    let calls = 0;
    const fetchStub = ((_input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      if (calls === 1)
        return new Promise<Response>((_, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)),
        );
      return Promise.resolve(Response.json({ id: "m2" }));
    }) as typeof fetch;
    await expect(client(fetchStub, { timeoutMs: 50 }).editOriginalResponse("t", { content: "x" })).resolves.toEqual({
      id: "m2",
    });
    expect(calls).toBe(2);
  });

  it("sends files as multipart: payload_json, files[n] and the attachments list", async () => {
    const { fetchStub, seen } = scripted([ok]);
    const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    await client(fetchStub).editOriginalResponse("t", {
      data: { content: "chart", embeds: [{ image: { url: "attachment://chart.png" } }] },
      files: [{ name: "chart.png", contentType: "image/png", data: png, description: "a chart" }],
    });
    const form = seen[0]!.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect(seen[0]!.headers.get("Content-Type")).toBeNull(); // fetch sets the multipart boundary itself
    const payload = JSON.parse(await (form.get("payload_json") as Blob).text());
    expect(payload).toEqual({
      content: "chart",
      embeds: [{ image: { url: "attachment://chart.png" } }],
      attachments: [{ id: "0", filename: "chart.png", description: "a chart" }],
      allowed_mentions: { parse: [] },
    });
    const file = form.get("files[0]") as File;
    expect(file.name).toBe("chart.png");
    expect(file.type).toBe("image/png");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
  });

  it("keeps listed existing attachments and adds new ones on an edit", async () => {
    const form = multipartBody({ attachments: [{ id: "999", filename: "old.png" }] as never }, [
      { name: "new.png", contentType: "image/png", data: new Uint8Array([1]) },
    ]);
    const payload = JSON.parse(await (form.get("payload_json") as Blob).text());
    expect(payload.attachments).toEqual([
      { id: "999", filename: "old.png" },
      { id: "0", filename: "new.png" },
    ]);
  });

  it("holds each sent body against Discord's API description, inside workerd too", () => {
    // The check the stub above runs: a number as attachment id is what Discord's description refuses.
    expect(() =>
      expectConforming(SPEC_OPERATIONS.editWebhookMessage, { attachments: [{ id: 0, filename: "a.png" }] }),
    ).toThrow(/attachments\[0\]\.id: expected string/);
    const form = multipartBody({ content: "x" }, [
      { name: "a.png", contentType: "image/png", data: new Uint8Array([1]) },
    ]);
    return (form.get("payload_json") as Blob)
      .text()
      .then((json) => expectConforming(SPEC_OPERATIONS.editWebhookMessage, JSON.parse(json)));
  });
  it("logs every retry as one line, like Unknown Webhook's: a 429, a 5xx and a network error", async () => {
    waits.length = 0;
    const logged = vi.spyOn(console, "log").mockImplementation(() => {});
    const { fetchStub } = scripted([
      rateLimited({ message: "slow down", retry_after: 0.3, global: false }),
      () => new Response("bad gateway", { status: 502 }),
      () => Promise.reject(new TypeError("connection reset")),
      ok,
    ]);
    await expect(client(fetchStub).editOriginalResponse("secret-token", { content: "x" })).resolves.toEqual({
      id: "m1",
    });
    const path = "/webhooks/app1/:token/messages/@original";
    expect(logged.mock.calls.map(([line]) => JSON.parse(String(line)))).toEqual([
      {
        event: "discord.retry",
        reason: "rate_limited",
        method: "PATCH",
        path,
        attempt: 1,
        wait_ms: 300,
        level: "warn",
      },
      {
        event: "discord.retry",
        reason: "server_error",
        method: "PATCH",
        path,
        attempt: 2,
        wait_ms: waits[1],
        status: 502,
        level: "warn",
      },
      {
        event: "discord.retry",
        reason: "network_error",
        method: "PATCH",
        path,
        attempt: 3,
        wait_ms: waits[2],
        error: expect.stringContaining("connection reset"),
        level: "warn",
      },
    ]);
    logged.mockRestore();
  });

  it("carries Discord's 50035 field tree, flattened, in the error (and so in the log line)", async () => {
    const invalid = () =>
      Response.json(
        {
          code: 50035,
          message: "Invalid Form Body",
          errors: {
            options: {
              0: {
                min_value: { _errors: [{ code: "BASE_TYPE_MAX", message: "Must be less than or equal to 1000." }] },
              },
            },
            name: { _errors: [{ code: "BASE_TYPE_REQUIRED", message: "This field is required" }] },
          },
        },
        { status: 400 },
      );
    const error = await client(scripted([invalid]).fetchStub)
      .editOriginalResponse("secret-token", { content: "x" })
      .catch((e: unknown) => e as DiscordApiError);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(error.message).toBe(
      "discord(rest): PATCH /webhooks/app1/:token/messages/@original answered 400 (code 50035): Invalid Form Body; options[0].min_value: Must be less than or equal to 1000.; name: This field is required",
    );
  });
});
