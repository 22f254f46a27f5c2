-- Webhook events (POST /events). Discord redelivers an event it thinks failed for up to 10 minutes, so each
-- handled event is claimed here first, keyed by its identity (type|timestamp|ids, see src/worker/kit/dispatch/
-- event-dispatch.ts): a redelivery finds the row and does nothing. Pruned daily with INTERACTION_RETENTION_DAYS.
CREATE TABLE webhook_events (
  key TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX webhook_events_received_at ON webhook_events (received_at);

-- APPLICATION_AUTHORIZED: someone added the app to a server (integration_type 0, guild_id set) or to their
-- account (1). Keyed by the event, so the rows stay idempotent even when the claim above could not be made.
CREATE TABLE app_installs (
  event_key TEXT PRIMARY KEY,
  integration_type INTEGER,
  user_id TEXT NOT NULL,
  guild_id TEXT,
  scopes TEXT NOT NULL,
  authorized_at INTEGER NOT NULL
);
CREATE INDEX app_installs_guild ON app_installs (guild_id);

-- APPLICATION_DEAUTHORIZED: a user removed the app from their account (Discord names the user only).
CREATE TABLE app_deauthorizations (
  event_key TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  deauthorized_at INTEGER NOT NULL
);

-- ENTITLEMENT_CREATE/UPDATE/DELETE: the current state of each entitlement. Events may arrive out of order, so a
-- row only takes an event at least as new as the one that last wrote it (event_at).
CREATE TABLE entitlements (
  id TEXT PRIMARY KEY,
  sku_id TEXT NOT NULL,
  user_id TEXT,
  guild_id TEXT,
  type INTEGER NOT NULL,
  starts_at INTEGER,
  ends_at INTEGER,
  deleted INTEGER NOT NULL DEFAULT 0,
  consumed INTEGER NOT NULL DEFAULT 0,
  event_at INTEGER NOT NULL
);
CREATE INDEX entitlements_guild ON entitlements (guild_id);
