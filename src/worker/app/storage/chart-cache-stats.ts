/**
 * Chart cache lookups counted per UTC day (D1 table chart_cache_days), for the hit rate in /admin stats. A
 * lookup is one upsert, run after the user's final message (never before it). The counts are global: the cache
 * is shared by every server (one server's repeat can be another's hit), so only operators see them.
 */
const DAY_MS = 86_400_000;

export interface CacheLookups {
  readonly hits: number;
  readonly misses: number;
}

export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export async function countCacheLookup(db: D1Database, hit: boolean, now = Date.now()): Promise<void> {
  await db
    .prepare(
      "INSERT INTO chart_cache_days (day, hits, misses) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses",
    )
    .bind(utcDay(now), hit ? 1 : 0, hit ? 0 : 1)
    .run();
}

/** Lookups over the last `days` UTC days, today included. */
export async function cacheLookups(db: D1Database, days: number, now = Date.now()): Promise<CacheLookups> {
  const row = await db
    .prepare(
      "SELECT COALESCE(SUM(hits), 0) AS hits, COALESCE(SUM(misses), 0) AS misses FROM chart_cache_days WHERE day > ?",
    )
    .bind(utcDay(now) - days)
    .first<CacheLookups>();
  return { hits: row?.hits ?? 0, misses: row?.misses ?? 0 };
}
