// Remembers relay signatures for 10 minutes so a captured request cannot be replayed. A signature stays valid
// while its timestamp is within ±300 s of the clock, i.e. at most 600 s after the backend first sees it, so a
// 600 s memory covers the whole window. Entries are added only after the signature verified, so only holders of
// the secret can fill a store.
//
// The store is an interface because where it lives decides what it protects. The in-memory cache below covers
// one Node process until it restarts (the default); replay-store-sqlite.ts covers every Node process that opens
// the same file, across restarts; the backend Worker's Durable Object (src/backend/worker/replay-guard.ts) covers
// every isolate, location and restart.

export interface ReplayStore {
  /** True when `key` was recorded within the TTL; otherwise records it (atomically) and returns false. */
  checkAndRecord(key: string, nowMs: number): boolean | Promise<boolean>;
  /** Drops a key again, for a request that was turned away before any work (so its retry is not a "replay"). */
  forget(key: string): void | Promise<void>;
}

/** One process's memory; the size cap (oldest out first) bounds it if a secret holder ever floods it. */
export interface ReplayCache extends ReplayStore {
  checkAndRecord(key: string, nowMs: number): boolean;
  forget(key: string): void;
  size(): number;
}

export const REPLAY_TTL_MS = 10 * 60 * 1000;
const REPLAY_MAX_ENTRIES = 50_000;

export function createReplayCache(ttlMs: number = REPLAY_TTL_MS, maxEntries: number = REPLAY_MAX_ENTRIES): ReplayCache {
  // Map keeps insertion order, which is expiry order (one TTL for all), so expired entries are at the front.
  const expiries = new Map<string, number>();

  function evictExpired(nowMs: number): void {
    for (const [key, expiresAt] of expiries) {
      if (expiresAt > nowMs) break;
      expiries.delete(key);
    }
  }

  return {
    checkAndRecord(key, nowMs) {
      evictExpired(nowMs);
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > nowMs) return true;
      expiries.delete(key);
      expiries.set(key, nowMs + ttlMs);
      if (expiries.size > maxEntries) {
        const oldest = expiries.keys().next().value;
        if (oldest !== undefined) expiries.delete(oldest);
      }
      return false;
    },
    forget(key) {
      expiries.delete(key);
    },
    size() {
      return expiries.size;
    },
  };
}
