// Runs the Worker's scheduled handler as Cloudflare's cron trigger would, so the daily report can be tried locally:
// `wrangler dev --test-scheduled` (npm start passes it) serves GET /__scheduled?cron=…, which runs the handler and
// answers once it has finished. The messages the bot posted in #general meanwhile are the answer.

import { renderPost } from "./messages.ts";
import type { WorkerTarget } from "./send.ts";
import type { EmulatorState } from "./state.ts";

/** The bot's daily cron (wrangler.services.toml [triggers]); the handler logs it but does not depend on it. */
export const DAILY_CRON = "17 3 * * *";
const CRON_TIMEOUT_MS = 120_000;

export type CronResult =
  | { ok: true; cron: string; status: number; ms: number; messages: Record<string, unknown>[] }
  | { ok: false; status: number; error: string };

export async function runWorkerCron(
  state: EmulatorState,
  worker: WorkerTarget | undefined,
  cron: string,
): Promise<CronResult> {
  if (!worker) return { ok: false, status: 409, error: "emulator(cron): no Worker is configured (npm start sets one)" };
  const before = new Set(state.posts.map((p) => p.id));
  const url = new URL("/__scheduled", worker.url);
  url.searchParams.set("cron", cron);
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(CRON_TIMEOUT_MS) });
  } catch (error) {
    return {
      ok: false,
      status: 502,
      error: `emulator(cron): the Worker at ${url.origin} is not reachable (${(error as Error).message})`,
    };
  }
  // wrangler answers a failed run with the error and its stack: the first line says what failed.
  const text = (await response.text()).split("\n")[0]!.slice(0, 500);
  if (response.status === 404) {
    return {
      ok: false,
      status: 502,
      error: `emulator(cron): the Worker has no /__scheduled route; start it with wrangler dev --test-scheduled (npm start does)`,
    };
  }
  if (!response.ok)
    return {
      ok: false,
      status: 502,
      error: `emulator(cron): the Worker's scheduled handler failed (HTTP ${response.status}): ${text || "no details"}; its log line says why`,
    };
  const messages = state.posts.filter((p) => !before.has(p.id)).map(renderPost);
  return { ok: true, cron, status: response.status, ms: Date.now() - started, messages };
}
