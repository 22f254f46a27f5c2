/**
 * The chart cache ("Chart CDN"): rendered PNGs kept at the edge, keyed by a SHA-256 of everything that decides
 * their pixels, so a second identical /chart, or Line → Bar → Line on the buttons, is answered without a
 * backend request.
 *
 * Why KV (binding CHART_CACHE) and not R2: KV gives each entry its own TTL (`expirationTtl`), which R2 does not
 * (only bucket lifecycle rules, in whole days), and KV serves repeated reads from the location's cache. KV's
 * weak points do not bite here: an entry is content-addressed and never rewritten, so eventual consistency can
 * only produce a miss (the chart is rendered again), never a wrong chart; and 1 write per second per key is
 * plenty for a key that is written once per render. R2's strong consistency buys nothing for immutable
 * entries. It is a namespace of its own, not CHART_DATA, because the two differ in life and purpose: the cache
 * may be emptied at any time (delete the namespace) without breaking a single button, and its usage shows
 * apart from the buttons' data.
 *
 * What is cached is what the final message needs and the Worker cannot compute itself: the PNG (the value,
 * as bytes) and the kind, size and stats (the metadata, read in the same request). The points are not stored:
 * they are in the key's input already. Only sources whose points the Worker knows before relaying are looked
 * up (typed values, stored points for the buttons); a CSV upload is not: its points exist only after the
 * backend downloads the file (its signed URL changes with every upload, so it cannot be the key), and its
 * rendering may carry axis captions from the CSV header that the Worker never sees.
 *
 * The cache never stands between the user and the chart: a read waits at most READ_TIMEOUT_MS and any failure
 * counts as a miss; writes run after the final edit. Both log their failures.
 */
import { CHART_KINDS, CHART_RENDERING, type ChartKind, type ChartStats } from "../../../../shared/jobs/chart.ts";
import type { Point } from "../../../../shared/chart-data/points.ts";
import { scaled, withStorageTimeout } from "../../../kit/index.ts";

/** What decides a chart's pixels: the job's kind, title and points, plus CHART_RENDERING (size, renderer version). */
export interface ChartCacheInput {
  readonly kind: ChartKind;
  readonly title: string | null;
  readonly points: readonly Point[];
}

/** A cached render: the PNG and what the message says about it. */
export interface CachedChart {
  readonly png: Uint8Array;
  readonly kind: ChartKind;
  readonly width: number;
  readonly height: number;
  readonly stats: ChartStats;
}

/**
 * A day: long enough for repeats and button round trips (minutes apart), short enough that the namespace stays
 * small (≈ 20–50 KB a chart). Entries never change, so no shorter TTL is needed for freshness.
 */
export const CACHE_TTL_SECONDS = 86_400;
/** A read slower than this costs more than it saves (a render takes ≈ 100–300 ms end to end): render instead. */
const READ_TIMEOUT_MS = 300;
const STAT_FIELDS = ["count", "min", "max", "mean", "first", "last", "change"] as const;

/**
 * The cache key: SHA-256 over a canonical JSON of the rendering, kind, title and points. Every field is in a
 * fixed position, so no two different inputs serialise alike; -0 is kept apart from 0 (the message prints it).
 */
export async function chartCacheKey({ kind, title, points }: ChartCacheInput): Promise<string> {
  const flat: (string | number)[] = [];
  for (const { label, value } of points) flat.push(label, Object.is(value, -0) ? "-0" : value);
  const canonical = JSON.stringify([
    CHART_RENDERING.version,
    CHART_RENDERING.width,
    CHART_RENDERING.height,
    kind,
    title ?? "",
    flat,
  ]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonical)));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return `chart:${hex}`;
}

/** The cached chart, or null on a miss. Throws on a KV failure or after READ_TIMEOUT_MS (the caller renders). */
export async function readCachedChart(
  kv: KVNamespace,
  key: string,
  timeoutMs = scaled(READ_TIMEOUT_MS),
): Promise<CachedChart | null> {
  const { value, metadata } = await withStorageTimeout(
    kv.getWithMetadata<unknown>(key, "arrayBuffer"),
    "chart_cache.read",
    timeoutMs,
  );
  if (value === null || !isCachedMeta(metadata)) return null;
  return {
    png: new Uint8Array(value),
    kind: metadata.kind,
    width: metadata.width,
    height: metadata.height,
    stats: metadata.stats,
  };
}

/** Stores a render under its key with CACHE_TTL_SECONDS; the stats ride in the metadata (≈ 300 of its 1,024 bytes). */
export async function writeCachedChart(kv: KVNamespace, key: string, chart: CachedChart): Promise<void> {
  const metadata: Omit<CachedChart, "png"> = {
    kind: chart.kind,
    width: chart.width,
    height: chart.height,
    stats: chart.stats,
  };
  await withStorageTimeout(kv.put(key, chart.png, { expirationTtl: CACHE_TTL_SECONDS, metadata }), "chart_cache.write");
}

function isCachedMeta(value: unknown): value is Omit<CachedChart, "png"> {
  if (typeof value !== "object" || value === null) return false;
  const meta = value as Record<string, unknown>;
  const stats = meta.stats as Record<string, unknown> | null | undefined;
  return (
    CHART_KINDS.includes(meta.kind as ChartKind) &&
    typeof meta.width === "number" &&
    typeof meta.height === "number" &&
    typeof stats === "object" &&
    stats !== null &&
    STAT_FIELDS.every((field) => typeof stats[field] === "number") &&
    (stats.change_pct === null || typeof stats.change_pct === "number")
  );
}
