/**
 * The benchmark's traffic: Discord-shaped interaction bodies, signed the way Discord signs them (Ed25519
 * over timestamp + raw body, with the test suite's signing helper), turned into raw HTTP/1.1 requests
 * before a run so that signing is never part of what is measured.
 *
 * Bodies follow the shape Discord sends today (member, channel and guild objects, a long token), so parsing
 * and hashing cost what they cost in production: a PING is about 0.6 KB, a command 1.6 KB, a component click 2.3 KB.
 */
import { nowSeconds, signBody } from "../test/support/signing.ts";

export const APPLICATION_ID = "100000000000000001";
const GUILD_ID = "200000000000000002";
const CHANNEL_ID = "300000000000000003";
const USER_ID = "400000000000000004";
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export type ScenarioName = "ping" | "command" | "component" | "bad-signature";

export interface Scenario {
  readonly name: ScenarioName;
  readonly label: string;
  readonly expectedStatus: number;
  /** A fresh body for request number `n` (unique id and token). */
  readonly body: (n: number) => Record<string, unknown>;
  /** Sign, then corrupt the signature (still 128 hex characters, so it reaches the verifier). */
  readonly tamper?: boolean;
  /** Checks one response body; returns a problem or null. Run once per target before measuring. */
  readonly check: (status: number, body: string) => string | null;
}

let sequence = 0;

/** A snowflake for "now", so /ping's transit time is plausible. */
function snowflakeNow(): string {
  return (((BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n) | BigInt(sequence++ % 4096)).toString();
}

function token(n: number): string {
  // Real interaction tokens are ~200 base64url characters.
  return `aW50ZXJhY3Rpb246${n.toString(36).padStart(8, "0")}`.padEnd(204, "Qk1BUkstdG9rZW4tcGFkZGluZy0");
}

const user = {
  avatar: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
  avatar_decoration_data: null,
  clan: null,
  collectibles: null,
  discriminator: "0",
  global_name: "Bench Tester",
  id: USER_ID,
  primary_guild: null,
  public_flags: 0,
  username: "bench.tester",
};

function guildEnvelope(type: number, n: number, data: Record<string, unknown>): Record<string, unknown> {
  return {
    app_permissions: "562949953601536",
    application_id: APPLICATION_ID,
    attachment_size_limit: 10485760,
    authorizing_integration_owners: { "0": GUILD_ID },
    channel: {
      flags: 0,
      guild_id: GUILD_ID,
      icon_emoji: null,
      id: CHANNEL_ID,
      last_message_id: "1300000000000000000",
      name: "general",
      nsfw: false,
      parent_id: "290000000000000002",
      permissions: "2251799813685247",
      position: 0,
      rate_limit_per_user: 0,
      theme_color: null,
      topic: null,
      type: 0,
    },
    channel_id: CHANNEL_ID,
    context: 0,
    data,
    entitlement_sku_ids: [],
    entitlements: [],
    guild: { features: [], id: GUILD_ID, locale: "en-US" },
    guild_id: GUILD_ID,
    guild_locale: "en-US",
    id: snowflakeNow(),
    locale: "en-US",
    member: {
      avatar: null,
      banner: null,
      communication_disabled_until: null,
      deaf: false,
      flags: 0,
      joined_at: "2024-03-01T12:00:00.000000+00:00",
      mute: false,
      nick: null,
      pending: false,
      permissions: "2251799813685247",
      premium_since: null,
      roles: ["210000000000000001"],
      unusual_dm_activity_until: null,
      user,
    },
    token: token(n),
    type,
    version: 1,
  };
}

const pingBody = (n: number): Record<string, unknown> => ({
  application_id: APPLICATION_ID,
  authorizing_integration_owners: {},
  entitlements: [],
  id: snowflakeNow(),
  token: token(n),
  type: 1,
  user: { ...user, bot: true, system: true },
  version: 1,
});

const isPong = (status: number, body: string): string | null =>
  status === 200 && body.replace(/\s/g, "") === '{"type":1}'
    ? null
    : `expected 200 {"type":1}, got ${status} ${body.slice(0, 120)}`;

const isMessage =
  (fragment: string, ephemeral: boolean) =>
  (status: number, body: string): string | null => {
    try {
      const parsed = JSON.parse(body) as { type?: number; data?: { content?: string; flags?: number } };
      const flagsOk = ephemeral ? ((parsed.data?.flags ?? 0) & 64) === 64 : true;
      if (status === 200 && parsed.type === 4 && parsed.data?.content?.includes(fragment) && flagsOk) return null;
    } catch {
      // reported below
    }
    return `expected 200 with a type-4 message containing "${fragment}", got ${status} ${body.slice(0, 160)}`;
  };

/** The component body also carries the message the button sits on, as Discord sends it. */
const componentMessage = {
  application_id: APPLICATION_ID,
  attachments: [],
  author: { ...user, bot: true, id: APPLICATION_ID, username: "edge-bot" },
  channel_id: CHANNEL_ID,
  components: [{ components: [{ custom_id: "help:x", id: 2, label: "More", style: 2, type: 2 }], id: 1, type: 1 }],
  content: "**Commands**",
  edited_timestamp: null,
  embeds: [],
  flags: 64,
  id: "1300000000000000001",
  mention_everyone: false,
  mention_roles: [],
  mentions: [],
  pinned: false,
  timestamp: "2026-11-23T12:00:00.000000+00:00",
  tts: false,
  type: 20,
};

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  ping: { name: "ping", label: "PING", expectedStatus: 200, body: pingBody, check: isPong },
  command: {
    name: "command",
    label: "/ping",
    expectedStatus: 200,
    body: (n) => guildEnvelope(2, n, { id: "500000000000000005", name: "ping", type: 1 }),
    check: isMessage("Pong", false),
  },
  component: {
    name: "component",
    label: "component",
    expectedStatus: 200,
    body: (n) => ({
      ...guildEnvelope(3, n, { component_type: 2, custom_id: "help:x", id: 2 }),
      message: componentMessage,
    }),
    check: isMessage("no longer has", true),
  },
  "bad-signature": {
    name: "bad-signature",
    label: "bad signature",
    expectedStatus: 401,
    body: pingBody,
    tamper: true,
    check: (status, body) => (status === 401 ? null : `expected 401, got ${status} ${body.slice(0, 120)}`),
  },
};

export interface SignedRequest {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Signs `count` fresh requests for a scenario (timestamps of now: the Worker allows 300 s of skew). */
export async function signRequests(
  scenario: Scenario,
  privateKeyPkcs8Hex: string,
  count: number,
): Promise<SignedRequest[]> {
  const timestamp = String(nowSeconds());
  const out: SignedRequest[] = [];
  const batch = 256;
  for (let start = 0; start < count; start += batch) {
    const signed = await Promise.all(
      Array.from({ length: Math.min(batch, count - start) }, async (_, i) => {
        const body = JSON.stringify(scenario.body(start + i));
        let signature = await signBody(privateKeyPkcs8Hex, timestamp, body);
        if (scenario.tamper) signature = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
        return {
          body,
          headers: {
            "Content-Type": "application/json",
            "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)",
            "X-Signature-Ed25519": signature,
            "X-Signature-Timestamp": timestamp,
          },
        };
      }),
    );
    out.push(...signed);
  }
  return out;
}

/** The raw bytes of `POST /interactions` for the load generator. */
export function rawRequest(host: string, request: SignedRequest): Buffer {
  const body = Buffer.from(request.body);
  let head = `POST /interactions HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${body.length}\r\n`;
  for (const [name, value] of Object.entries(request.headers)) head += `${name}: ${value}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, "latin1"), body]);
}
