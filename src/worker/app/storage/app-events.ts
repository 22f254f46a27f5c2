/**
 * What webhook events record (D1, migrations/0005_app_events.sql): installs, deauthorizations and the current state
 * of entitlements, and the counts /admin stats shows (the claims that make a redelivered event a no-op are the
 * platform's: kit/storage/event-claims.ts). Every write is idempotent on its own key, so an event handled twice (a claim that timed out) still writes once.
 * Reads take the guild they are scoped to (undefined = every guild, for operators only: see AdminScope).
 */
import type { Authorization, Entitlement } from "../../kit/index.ts";

export async function saveInstall(db: D1Database, key: string, install: Authorization, at: number): Promise<void> {
  await db
    .prepare(
      "INSERT INTO app_installs (event_key, integration_type, user_id, guild_id, scopes, authorized_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING",
    )
    .bind(key, install.integrationType, install.userId, install.guildId, install.scopes.join(" "), at)
    .run();
}

export async function saveDeauthorization(db: D1Database, key: string, userId: string, at: number): Promise<void> {
  await db
    .prepare(
      "INSERT INTO app_deauthorizations (event_key, user_id, deauthorized_at) VALUES (?, ?, ?) ON CONFLICT (event_key) DO NOTHING",
    )
    .bind(key, userId, at)
    .run();
}

/** Upserts an entitlement as of `at` (the event's time); an older event arriving late changes nothing. */
export async function saveEntitlement(
  db: D1Database,
  entitlement: Entitlement,
  at: number,
  deleted = entitlement.deleted,
): Promise<void> {
  const e = entitlement;
  // INSERT OR REPLACE of the whole row, unless the stored row came from a newer event.
  await db
    .prepare(
      "INSERT OR REPLACE INTO entitlements SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE NOT EXISTS (SELECT 1 FROM entitlements WHERE id = ?1 AND event_at > ?10)",
    )
    .bind(e.id, e.skuId, e.userId, e.guildId, e.type, e.startsAt, e.endsAt, deleted ? 1 : 0, e.consumed ? 1 : 0, at)
    .run();
}

export interface AppEventStats {
  readonly installs: number;
  readonly serverInstalls: number;
  readonly userInstalls: number;
  /** Undefined in a server's scope: Discord names only the user who removed the app, not a server. */
  readonly deauthorizations: number | undefined;
  /** Not deleted, not consumed, started and not ended at `now`. */
  readonly activeEntitlements: number;
}

export async function appEventStats(db: D1Database, guildId: string | undefined, now: number): Promise<AppEventStats> {
  const scoped = guildId === undefined ? "" : " AND guild_id = ?";
  const bind = (statement: D1PreparedStatement, ...values: unknown[]) =>
    statement.bind(...values, ...(guildId === undefined ? [] : [guildId]));
  const installs = bind(
    db.prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(integration_type = 0), 0) AS servers, COALESCE(SUM(integration_type = 1), 0) AS users FROM app_installs WHERE 1 = 1${scoped}`,
    ),
  );
  const entitlements = bind(
    db.prepare(
      `SELECT COUNT(*) AS n FROM entitlements WHERE deleted = 0 AND consumed = 0 AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?)${scoped}`,
    ),
    now,
    now,
  );
  const statements = [installs, entitlements];
  if (guildId === undefined) statements.push(db.prepare("SELECT COUNT(*) AS n FROM app_deauthorizations"));
  const [installRows, entitlementRows, deauthRows] = await db.batch<{ n: number; servers?: number; users?: number }>(
    statements,
  );
  const install = installRows?.results[0];
  return {
    installs: install?.n ?? 0,
    serverInstalls: install?.servers ?? 0,
    userInstalls: install?.users ?? 0,
    deauthorizations: deauthRows ? (deauthRows.results[0]?.n ?? 0) : undefined,
    activeEntitlements: entitlementRows?.results[0]?.n ?? 0,
  };
}
