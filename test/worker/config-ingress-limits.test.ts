// Ingress and configuration rules from the security review: an oversized body is refused without being read,
// and a plain-http BACKEND_URL that leaves the machine is refused by name.
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker/index.ts";
import { readConfig, ConfigError } from "../../src/worker/kit/config.ts";

describe("ingress: a declared body over 1 MiB", () => {
  it("is refused with 413 without reading a byte of it (no CPU spent draining)", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      {
        pull: (c) => {
          pulls++;
          c.enqueue(new Uint8Array(64 * 1024));
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request("https://worker.test/interactions", {
      method: "POST",
      headers: {
        "Content-Length": String(2 * 1024 * 1024),
        "Content-Type": "application/json",
        "X-Signature-Ed25519": "00",
        "X-Signature-Timestamp": "1",
      },
      body,
      duplex: "half",
    } as RequestInit);
    const response = await worker.fetch(request as never, env as never, createExecutionContext());
    expect(response.status).toBe(413);
    expect(pulls).toBe(0);
  });
});

describe("config: BACKEND_URL", () => {
  const problems = (url: string) => {
    try {
      readConfig({ ...env, BACKEND_URL: url } as never);
      return [];
    } catch (error) {
      return error instanceof ConfigError ? error.problems : ["not a ConfigError"];
    }
  };

  it.each(["http://backend.example.com", "http://10.0.0.5:8788", "http://127.0.0.1.evil.example"])(
    "refuses plain http to %s, naming the variable",
    (url) => {
      expect(problems(url)).toEqual([expect.stringMatching(/^BACKEND_URL must use https:\/\//)]);
    },
  );

  it.each(["https://backend.example.com", "http://127.0.0.1:8788", "http://localhost:8788", "http://[::1]:8788"])(
    "accepts %s",
    (url) => {
      expect(problems(url)).toEqual([]);
    },
  );

  it("/health names it", async () => {
    const response = await worker.fetch(
      new Request("https://worker.test/health") as never,
      { ...env, BACKEND_URL: "http://backend.example.com" } as never,
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ missing_or_invalid: ["BACKEND_URL"] });
  });
});
