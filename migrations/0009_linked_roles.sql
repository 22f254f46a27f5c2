-- Linked Roles (src/worker/linked-roles/): users who linked their Discord account through /linked-role. Their
-- OAuth2 tokens are AES-GCM ciphertext under TOKEN_ENCRYPTION_KEY, bound to user_id (token-crypto.ts); never
-- plain text. charts_drawn counts the charts the user drew since linking, the value of the `charts_drawn`
-- role connection metadata record.
CREATE TABLE linked_roles (
  user_id TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  scope TEXT NOT NULL,
  charts_drawn INTEGER NOT NULL DEFAULT 0,
  linked_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
