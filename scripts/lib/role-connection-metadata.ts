// `npm run register`'s second upload: the bot's role connection metadata records (Linked Roles), declared in
// src/linked-roles/metadata.ts, PUT to /applications/{application.id}/role-connections/metadata — a bulk
// overwrite, like the commands. Checked for Discord's limits (≤ 5 records, keys, lengths) before anything is sent.

import { roleConnectionMetadata, type RoleConnectionMetadataRecord } from "../../src/linked-roles/metadata.ts";
import { roleConnectionMetadataProblems } from "../../src/linked-roles/metadata-checks.ts";
import { USER_AGENT, type Io, type RegisterConfig } from "./register-core.ts";

const TIMEOUT_MS = 15_000;
const TYPE_TEXT: Record<number, string> = {
  1: "integer ≤",
  2: "integer ≥",
  3: "integer =",
  4: "integer ≠",
  5: "date ≤ (days)",
  6: "date ≥ (days)",
  7: "boolean =",
  8: "boolean ≠",
};

export type { RoleConnectionMetadataRecord };

/** The Worker's records, or an error naming every way they break Discord's limits. */
export function loadRoleConnectionMetadata(
  records: readonly RoleConnectionMetadataRecord[] = roleConnectionMetadata,
): RoleConnectionMetadataRecord[] {
  const problems = roleConnectionMetadataProblems(records);
  if (problems.length > 0)
    throw new Error(
      `register: the role connection metadata in src/linked-roles/metadata.ts breaks Discord's limits:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  return records.map((r) => ({ ...r }));
}

/** One line a record: `charts_drawn (integer ≥): "Charts drawn"`. */
export function describeMetadata(records: readonly RoleConnectionMetadataRecord[]): string {
  return (
    records.map((r) => `${r.key} (${TYPE_TEXT[r.type] ?? `type ${r.type}`}): ${JSON.stringify(r.name)}`).join(", ") ||
    "(none)"
  );
}

const metadataUrl = (config: RegisterConfig) =>
  `${config.apiBase}/applications/${config.applicationId}/role-connections/metadata`;

async function call(
  config: RegisterConfig,
  method: "GET" | "PUT",
  body?: unknown,
): Promise<{ ok: true; body: unknown } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(metadataUrl(config), {
      method,
      headers: {
        Authorization: `Bot ${config.token}`,
        "User-Agent": USER_AGENT,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const detail =
      (error as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : (error as Error).message;
    return {
      ok: false,
      message: `register: could not reach ${config.apiBase} for the role connection metadata (${detail})`,
    };
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // A non-JSON error page stays text.
  }
  if (response.ok) return { ok: true, body: parsed };
  const detail =
    typeof parsed === "object" && parsed !== null ? JSON.stringify(parsed).slice(0, 500) : String(parsed).slice(0, 200);
  const hint =
    response.status === 401
      ? " — DISCORD_TOKEN was rejected"
      : response.status === 403
        ? " — check that DISCORD_APPLICATION_ID is the token's application"
        : "";
  return {
    ok: false,
    message: `register: Discord refused the role connection metadata (${response.status})${hint}: ${detail}`,
  };
}

export async function putRoleConnectionMetadata(
  config: RegisterConfig,
  records: readonly RoleConnectionMetadataRecord[],
  io: Io,
): Promise<number> {
  const reply = await call(config, "PUT", records);
  if (!reply.ok) {
    io.err(reply.message);
    return 1;
  }
  const stored = Array.isArray(reply.body) ? (reply.body as RoleConnectionMetadataRecord[]) : [];
  io.out(
    `register: role connection metadata: ${stored.length} record${stored.length === 1 ? "" : "s"} for application ${config.applicationId}: ${describeMetadata(stored)}`,
  );
  return 0;
}

/** --check: 0 when Discord has exactly these records (keys, types, names, descriptions, localizations). */
export async function checkRoleConnectionMetadata(
  config: RegisterConfig,
  records: readonly RoleConnectionMetadataRecord[],
  io: Io,
): Promise<number> {
  const reply = await call(config, "GET");
  if (!reply.ok) {
    io.err(reply.message);
    return 1;
  }
  const canonical = (list: readonly RoleConnectionMetadataRecord[]) =>
    JSON.stringify(
      list.map((r) => ({
        type: r.type,
        key: r.key,
        name: r.name,
        description: r.description,
        name_localizations: r.name_localizations ?? {},
        description_localizations: r.description_localizations ?? {},
      })),
    );
  const remote = Array.isArray(reply.body) ? (reply.body as RoleConnectionMetadataRecord[]) : [];
  if (canonical(remote) === canonical(records)) {
    io.out(`register: role connection metadata in sync (${describeMetadata(records)})`);
    return 0;
  }
  io.out(
    `register: role connection metadata differs: registered ${describeMetadata(remote)}; local ${describeMetadata(records)}`,
  );
  return 1;
}
