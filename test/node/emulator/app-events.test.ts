// The emulator as Discord's app side: "adding the app" to the server or to the user, "buying" a SKU and deleting
// the entitlement send signed webhook events to the Worker's Events URL (shape, signature, 204 expected), keep
// the entitlements so later interactions carry them, and show up in the playground's feed and log.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createDiscordEmulator,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  generateDevKeyPair,
  type DevKeyPair,
  type DiscordEmulator,
} from "../../support/discord-emulator.ts";

const SKU = "1000000000000000500";
let keys: DevKeyPair;
let worker: Server;
let base: string;
/** What the fake Worker received, after checking Discord's signature: path and parsed body. */
let received: Array<{ path: string; body: any; verified: boolean }>;
/** How the fake Worker answers /events (Discord wants 204). */
let eventStatus = 204;
let emulator: DiscordEmulator;

async function verify(signature: string, timestamp: string, body: string): Promise<boolean> {
  const key = await crypto.subtle.importKey("raw", Buffer.from(keys.publicKeyHex, "hex"), { name: "Ed25519" }, false, [
    "verify",
  ]);
  return crypto.subtle.verify(
    { name: "Ed25519" },
    key,
    Buffer.from(signature, "hex"),
    new TextEncoder().encode(timestamp + body),
  );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  keys = await generateDevKeyPair();
  worker = createServer(async (request, response) => {
    const raw = await readBody(request);
    const verified = await verify(
      String(request.headers["x-signature-ed25519"]),
      String(request.headers["x-signature-timestamp"]),
      raw,
    );
    const body = JSON.parse(raw);
    received.push({ path: request.url ?? "", body, verified });
    if (request.url === "/events") {
      response.writeHead(eventStatus).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        type: 4,
        data: { content: `entitlements: ${body.entitlements.map((e: any) => e.sku_id).join(",") || "none"}` },
      }),
    );
  });
  await new Promise<void>((resolve) => worker.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => worker.close(() => resolve())));

beforeEach(() => {
  received = [];
  eventStatus = 204;
  emulator = createDiscordEmulator({
    worker: { url: `${base}/interactions`, privateKeyHex: keys.privateKeyHex },
    skus: [{ id: SKU, name: "Premium charts" }],
  });
});

async function control(method: string, path: string, body?: unknown) {
  const response = await emulator.fetch(
    new Request(`http://127.0.0.1:8790/__emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as any };
}

const events = () => received.filter((r) => r.path === "/events");

describe("adding the app", () => {
  it("to the server sends a signed APPLICATION_AUTHORIZED (integration_type 0) to /events", async () => {
    const result = await control("POST", "/app/install", { integration_type: 0 });
    expect(result.status).toBe(200);
    expect(result.json.event).toMatchObject({
      type: "APPLICATION_AUTHORIZED",
      status: 204,
      timed_out: false,
      worker_url: `${base}/events`,
    });
    expect(result.json.event.error).toBeUndefined();
    const [delivery] = events();
    expect(delivery!.verified).toBe(true);
    expect(delivery!.body).toMatchObject({
      version: 1,
      application_id: emulator.state.applicationId,
      type: 1,
      event: {
        type: "APPLICATION_AUTHORIZED",
        data: {
          integration_type: 0,
          user: { id: DEFAULT_USER_ID },
          guild: { id: DEFAULT_GUILD_ID },
          scopes: ["applications.commands", "bot"],
        },
      },
    });
    // Discord's format: ISO 8601 to the microsecond, no zone.
    expect(delivery!.body.event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect(emulator.feed().app.installed).toEqual({ guild: true, user: false });
    expect(emulator.feed().log).toEqual([
      expect.objectContaining({ kind: "event", label: "APPLICATION_AUTHORIZED", status: 204 }),
    ]);
  });

  it("to the user's account sends integration_type 1 without a server; removing it sends APPLICATION_DEAUTHORIZED", async () => {
    await control("POST", "/app/install", { integration_type: 1 });
    expect(events()[0]!.body.event.data).toMatchObject({ integration_type: 1, scopes: ["applications.commands"] });
    expect(events()[0]!.body.event.data.guild).toBeUndefined();
    expect(emulator.feed().app.installed.user).toBe(true);
    await control("POST", "/app/uninstall", {});
    expect(events()[1]!.body.event).toMatchObject({
      type: "APPLICATION_DEAUTHORIZED",
      data: { user: { id: DEFAULT_USER_ID } },
    });
    expect(emulator.feed().app.installed.user).toBe(false);
  });

  it("records a Worker that does not answer 204 as a delivery Discord would retry", async () => {
    eventStatus = 200;
    const result = await control("POST", "/app/install", { integration_type: 0 });
    expect(result.json.event.status).toBe(200);
    expect(result.json.event.error).toMatch(/wants 204.*retry/);
    expect(emulator.feed().log[0]).toMatchObject({ kind: "event", error: expect.stringMatching(/wants 204/) });
  });

  it("refuses bad input, and says so when there is no Worker", async () => {
    expect((await control("POST", "/app/install", { integration_type: 2 })).status).toBe(400);
    expect((await control("POST", "/entitlements", { sku_id: "gold" })).status).toBe(400);
    expect((await control("POST", "/app/events", { data: {} })).status).toBe(400);
    emulator.worker = undefined;
    const none = await control("POST", "/app/install", {});
    expect(none.status).toBe(409);
    expect(none.json.error).toMatch(/no Worker/);
    expect(received).toEqual([]);
  });
});

describe("buying a SKU", () => {
  it("sends ENTITLEMENT_CREATE, and the user's later interactions carry the entitlement", async () => {
    expect((await emulator.send({ type: 2, data: { name: "vip" } })).ok).toBe(true);
    const bought = await control("POST", "/entitlements", { sku_id: SKU });
    expect(bought.status).toBe(201);
    expect(bought.json.entitlement).toMatchObject({
      sku_id: SKU,
      user_id: DEFAULT_USER_ID,
      type: 4,
      deleted: false,
      ends_at: null,
    });
    expect(events()[0]!.body.event).toMatchObject({
      type: "ENTITLEMENT_CREATE",
      data: { id: bought.json.entitlement.id, sku_id: SKU, application_id: emulator.state.applicationId },
    });
    await emulator.send({ type: 2, data: { name: "vip" } });
    const interactions = received.filter((r) => r.path === "/interactions");
    expect(interactions.map((r) => r.body.entitlements.map((e: any) => e.sku_id))).toEqual([[], [SKU]]);
    expect(interactions.every((r) => r.verified)).toBe(true);
    expect(emulator.feed().app.skus).toEqual([
      { id: SKU, name: "Premium charts", entitlement_id: bought.json.entitlement.id },
    ]);
    expect((await control("POST", "/entitlements", { sku_id: SKU })).status).toBe(409);
  });

  it("deleting the entitlement sends ENTITLEMENT_DELETE and later interactions no longer carry it", async () => {
    const { json } = await control("POST", "/entitlements", { sku_id: SKU });
    const deleted = await control("DELETE", `/entitlements/${json.entitlement.id}`);
    expect(deleted.status).toBe(200);
    expect(events()[1]!.body.event).toMatchObject({
      type: "ENTITLEMENT_DELETE",
      data: { id: json.entitlement.id, deleted: true },
    });
    await emulator.send({ type: 2, data: { name: "vip" } });
    expect(received.at(-1)!.body.entitlements).toEqual([]);
    expect(emulator.feed().app.skus[0]!.entitlement_id).toBeNull();
    expect((await control("DELETE", `/entitlements/${json.entitlement.id}`)).status).toBe(404);
  });

  it("keeps purchases and installs when the playground clears its conversation, forgets them on a full reset", async () => {
    await control("POST", "/entitlements", { sku_id: SKU });
    await control("POST", "/app/install", { integration_type: 0 });
    await control("DELETE", "/calls");
    expect(emulator.feed().app).toMatchObject({
      installed: { guild: true },
      skus: [{ entitlement_id: expect.any(String) }],
    });
    expect(emulator.feed().log).toEqual([]);
    await control("POST", "/reset");
    expect(emulator.feed().app).toMatchObject({
      installed: { guild: false, user: false },
      skus: [{ entitlement_id: null }],
    });
  });
});
