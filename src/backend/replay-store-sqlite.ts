// A replay store that several Node backend processes share: one SQLite file (node:sqlite, built into Node 24, no
// dependency), opened by every instance on the host (BACKEND_REPLAY_DB). Claiming a signature is one atomic
// upsert, so two instances racing on the same captured request cannot both accept it, and the file outlives
// restarts. WAL mode lets readers and the one writer proceed together; the lock timeout makes a writer wait for
// another instance's write instead of failing. Instances on different hosts need a store they all reach: the
// backend Worker's Durable Objects (DEPLOYMENT.md), or this interface over a network store.

import { DatabaseSync } from "node:sqlite";
import { REPLAY_TTL_MS, type ReplayStore } from "./replay-cache.ts";

// How long a statement waits for another instance's lock before failing.
const BUSY_TIMEOUT_MS = 2000;
// Expired rows are deleted at most this often, by whichever instance claims a signature then.
const PRUNE_EVERY_MS = 60_000;

export interface SqliteReplayStore extends ReplayStore {
  checkAndRecord(key: string, nowMs: number): boolean;
  forget(key: string): void;
  close(): void;
}

export function createSqliteReplayStore(path: string, ttlMs: number = REPLAY_TTL_MS): SqliteReplayStore {
  // The lock wait is set when the file is opened, before anything else touches it: switching a new file to WAL
  // takes an exclusive lock, and two instances starting at once would otherwise fail with "database is locked".
  const db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
  db.exec(`
    PRAGMA journal_mode = WAL;
    CREATE TABLE IF NOT EXISTS relay_signatures (signature TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) STRICT;
    CREATE INDEX IF NOT EXISTS relay_signatures_expiry ON relay_signatures (expires_at);
  `);
  // Inserts a new signature, or takes over an expired row; a live row is left alone and changes nothing.
  const claim = db.prepare(
    `INSERT INTO relay_signatures (signature, expires_at) VALUES (?, ?)
     ON CONFLICT (signature) DO UPDATE SET expires_at = excluded.expires_at WHERE relay_signatures.expires_at <= ?`,
  );
  const release = db.prepare("DELETE FROM relay_signatures WHERE signature = ?");
  const prune = db.prepare("DELETE FROM relay_signatures WHERE expires_at <= ?");
  let prunedAt = 0;
  return {
    checkAndRecord(key, nowMs) {
      if (nowMs - prunedAt >= PRUNE_EVERY_MS) {
        prune.run(nowMs);
        prunedAt = nowMs;
      }
      return claim.run(key, nowMs + ttlMs, nowMs).changes === 0;
    },
    forget(key) {
      release.run(key);
    },
    close() {
      db.close();
    },
  };
}
