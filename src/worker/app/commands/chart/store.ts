/**
 * Where a chart's data waits for a re-render. A button's custom_id holds 100 characters, and the CSV's
 * Discord CDN URL is signed and expires, so the parsed points are stored in KV under a short random key
 * (custom_id `chart:<kind>:<key>`), with a TTL. KV fits: written once, read rarely, and a click normally
 * lands in the location that wrote the key, where the value is visible at once. A miss (expired, or not
 * yet replicated) is answered with a sentence asking to run /chart again, never with a failure.
 */
export interface StoredChart {
  readonly title: string | null;
  readonly points: readonly { label: string; value: number }[];
}

const CHART_TTL_SECONDS = 7 * 24 * 3600;
const KEY_PATTERN = /^[0-9a-z]{12}$/;

export function isChartKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

export function newChartKey(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  let key = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(12))) key += alphabet[byte % 36];
  return key;
}

export async function saveChart(kv: KVNamespace, key: string, chart: StoredChart): Promise<void> {
  await kv.put(`chart:${key}`, JSON.stringify({ v: 1, ...chart }), { expirationTtl: CHART_TTL_SECONDS });
}

export async function loadChart(kv: KVNamespace, key: string): Promise<StoredChart | null> {
  const value = await kv.get<{ v?: number; title?: unknown; points?: unknown }>(`chart:${key}`, "json");
  if (value?.v !== 1 || !Array.isArray(value.points)) return null;
  return { title: typeof value.title === "string" ? value.title : null, points: value.points as StoredChart["points"] };
}
