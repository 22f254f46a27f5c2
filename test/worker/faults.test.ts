// The fault matrix: under each backend or Discord fault, every deferred interaction ends with exactly one
// final message (a successful PATCH of @original), and the count of lost results is zero.
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../src/worker/kit/config.ts";
import { afterResponse } from "../../src/worker/kit/engine/after-response.ts";
import { dispatch } from "../../src/worker/kit/dispatch/dispatcher.ts";
import { parseInteraction } from "../../src/worker/kit/dispatch/interaction.ts";
import { createRegistry } from "../../src/worker/kit/dispatch/registry.ts";
import { commands, registryOptions } from "../../src/worker/app/index.ts";
import { createDiscordEmulator, type DiscordEmulator, type FaultSpec } from "../../src/emulator/core.ts";
import { BACKEND_HOST, BACKEND_URL, scriptedBackend, TEST_RELAY_SECRET } from "../support/backend.worker.ts";
import { hang, routeOutbound, serviceBinding, type Handler } from "../support/outbound.worker.ts";
import { command } from "../support/interactions.worker.ts";

const defaultFaultEnv = {
  ...env,
  DB: undefined,
  HEAVY_LIMITER: undefined,
  BACKEND_URL,
  RELAY_SECRET: TEST_RELAY_SECRET,
};
const registry = createRegistry(commands, registryOptions);
let discord: DiscordEmulator;

beforeEach(() => {
  discord = createDiscordEmulator();
  vi.spyOn(console, "log").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  discord.close();
});

/** Runs N /chart interactions through dispatch and the after-response path, concurrently. */
async function runMany(n: number, workerEnv: Record<string, unknown> = defaultFaultEnv): Promise<string[]> {
  const config = readConfig(workerEnv as never);
  const tokens: string[] = [];
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const payload = command("chart", [{ type: 3, name: "values", value: `${i},2,3` }]);
      const parsed = parseInteraction(new TextEncoder().encode(JSON.stringify(payload)));
      if (!parsed.ok) throw new Error(parsed.message);
      tokens.push(parsed.interaction.token);
      const dispatched = await dispatch(parsed.interaction, {
        registry,
        env: workerEnv as never,
        config,
        request: new Request("https://w/interactions"),
      });
      expect(dispatched.response).toEqual({ type: 5 });
      await afterResponse(parsed.interaction, dispatched, workerEnv as never, config, {
        taskBudgetMs: 300,
        editDeadlineMs: 5_000,
        attemptTimeoutMs: 200,
      });
    }),
  );
  return tokens;
}

function finalEdits(token: string) {
  return discord
    .calls({ method: "PATCH" })
    .filter((c) => c.path.includes(`/${token}/messages/@original`) && c.status === 200);
}

const backendFaults: Array<[string, Handler, RegExp]> = [
  [
    "backend down",
    () => {
      throw new TypeError("ECONNREFUSED");
    },
    /unreachable/,
  ],
  ["backend slow past the budget", hang, /longer than I can wait/],
  [
    "backend answering 500",
    () => Response.json({ error: { code: "job_failed", message: "x" } }, { status: 500 }),
    /failed while working/,
  ],
  ["backend answering garbage", () => new Response("\u0000\u0001garbage", { status: 200 }), /could not read/],
];

const discordFaults: Array<[string, FaultSpec]> = [
  [
    "Discord answering 429 with retry_after",
    {
      match: { method: "PATCH" },
      times: 6,
      respond: { status: 429, json: { message: "You are being rate limited.", retry_after: 0.02, global: false } },
    },
  ],
  [
    "Discord answering 500",
    { match: { method: "PATCH" }, times: 4, respond: { status: 500, json: { message: "Internal Server Error" } } },
  ],
  ["Discord hanging", { match: { method: "PATCH" }, times: 3, hang: true }],
];

describe("fault matrix (waitUntil mode)", () => {
  it.each(backendFaults)(
    "%s: every interaction gets exactly one final message, none lost",
    async (_name, backend, expected) => {
      routeOutbound({ "discord.test": (r) => discord.fetch(r), [BACKEND_HOST]: (r) => backend(r) });
      const tokens = await runMany(5);
      for (const token of tokens) {
        expect(finalEdits(token)).toHaveLength(1);
        expect(discord.messagesFor(token)[0]!.content).toMatch(expected);
      }
    },
  );

  // The same faults when the backend Worker is reached through the BACKEND service binding (no BACKEND_URL).
  it.each(backendFaults)(
    "%s through the service binding: one final message each, none lost",
    async (_name, backend, expected) => {
      routeOutbound({ "discord.test": (r) => discord.fetch(r) });
      const tokens = await runMany(3, {
        ...defaultFaultEnv,
        BACKEND_URL: "",
        BACKEND: serviceBinding((r) => backend(r)),
      });
      for (const token of tokens) {
        expect(finalEdits(token)).toHaveLength(1);
        expect(discord.messagesFor(token)[0]!.content).toMatch(expected);
      }
    },
  );

  it.each(discordFaults)("%s: every interaction gets exactly one final message, none lost", async (_name, fault) => {
    routeOutbound({ "discord.test": (r) => discord.fetch(r), [BACKEND_HOST]: scriptedBackend().handler });
    discord.faults.push(fault);
    const tokens = await runMany(3);
    const lost = tokens.filter((t) => finalEdits(t).length !== 1);
    expect(lost).toEqual([]);
    for (const token of tokens) expect(discord.messagesFor(token)[0]!.attachments).toHaveLength(1);
  });
});
