/**
 * Builds and sends signed interactions to the Worker inside workerd. The key pair is generated per test
 * run in vitest.config.ts: the Worker gets the public key as DISCORD_PUBLIC_KEY, the tests get the private
 * key through `inject`, never as a binding.
 */
import { exports } from "cloudflare:workers";
import worker from "../../src/worker/index.ts";
import { inject } from "vitest";
import { nowSeconds, signBody } from "./signing.ts";
import { expectConforming, SPEC_OPERATIONS } from "./spec.ts";

const TEST_APPLICATION_ID = "100000000000000001";
let counter = 0;

/** A snowflake for "now", so /ping's transit time is plausible. */
function snowflakeNow(): string {
  return (((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) | BigInt(counter++ % 4096)).toString();
}

export interface InteractionInit {
  type: number;
  data?: Record<string, unknown>;
  member?: Record<string, unknown> | null;
  user?: Record<string, unknown>;
  guild_id?: string;
  message?: Record<string, unknown>;
  [key: string]: unknown;
}

export function interaction(init: InteractionInit): Record<string, unknown> {
  const { member, ...rest } = init;
  return {
    id: snowflakeNow(),
    application_id: TEST_APPLICATION_ID,
    token: `test-token-${crypto.randomUUID()}`,
    version: 1,
    guild_id: "200000000000000002",
    channel_id: "300000000000000003",
    locale: "en-US",
    ...(member === null
      ? {}
      : { member: member ?? { user: { id: "400000000000000004", username: "tester" }, permissions: "0" } }),
    ...rest,
  };
}

export const command = (name: string, options?: unknown[], extra: Partial<InteractionInit> = {}) =>
  interaction({
    type: 2,
    data: { id: "500000000000000005", name, type: 1, ...(options ? { options } : {}) },
    ...extra,
  });

export const component = (customId: string, extra: Partial<InteractionInit> = {}) =>
  interaction({
    type: 3,
    data: { custom_id: customId, component_type: 2 },
    message: { id: "600000000000000006", content: "" },
    ...extra,
  });

export const autocompleteFor = (name: string, options: unknown[]) =>
  interaction({ type: 4, data: { id: "500000000000000005", name, type: 1, options } });

export interface SignOptions {
  /** The Worker's path: "/interactions" (default) or "/events" (webhook events, signed the same way). */
  path?: "/interactions" | "/events";
  timestamp?: string;
  signature?: string | null;
  headers?: Record<string, string>;
}

export async function signedRequest(body: string | Uint8Array, options: SignOptions = {}): Promise<Request> {
  const timestamp = options.timestamp ?? String(nowSeconds());
  const signature =
    options.signature === undefined ? await signBody(inject("discordPrivateKey"), timestamp, body) : options.signature;
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Signature-Timestamp": timestamp,
    ...options.headers,
  };
  if (signature !== null) headers["X-Signature-Ed25519"] = signature;
  return new Request(`https://worker.test${options.path ?? "/interactions"}`, { method: "POST", headers, body });
}

/** Signs and sends through the Worker's real fetch handler; an interaction response must satisfy Discord's description. */
export async function send(payload: unknown, options: SignOptions = {}): Promise<Response> {
  const body = typeof payload === "string" || payload instanceof Uint8Array ? payload : JSON.stringify(payload);
  return conforming(await exports.default.fetch(await signedRequest(body, options)));
}

/** Signs and sends to the Worker's fetch handler with this env and execution context (to wait on its waitUntil work). */
export async function sendWith(payload: unknown, workerEnv: unknown, ctx: ExecutionContext): Promise<Response> {
  return conforming(
    await worker.fetch((await signedRequest(JSON.stringify(payload))) as never, workerEnv as never, ctx),
  );
}

/** A response of the Worker's fetch handler, checked against Discord's description when it is an interaction response. */
export async function conforming(response: Response): Promise<Response> {
  if (response.status === 200 && (response.headers.get("content-type") ?? "").startsWith("application/json")) {
    expectConforming(SPEC_OPERATIONS.interactionCallback, await response.clone().json());
  }
  return response;
}

/** Sends and parses a 200 JSON interaction response. */
export async function sendOk(payload: unknown): Promise<{ type: number; data?: Record<string, any> }> {
  const response = await send(payload);
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${await response.text()}`);
  return response.json();
}

declare module "vitest" {
  export interface ProvidedContext {
    discordPrivateKey: string;
    discordPublicKey: string;
  }
}
