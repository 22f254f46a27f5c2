// Replay protection for the backend Worker that holds across isolates, locations and restarts: one Durable
// Object per relay signature (idFromName), so a signature is claimed in exactly one place in the world and no
// single object carries every request. The object remembers its claim for the TTL, then an alarm deletes its
// storage, so nothing accumulates. A signature is unguessable, so the objects' names reveal nothing.

import { DurableObject } from "cloudflare:workers";
import { HttpError } from "../errors.ts";
import { REPLAY_TTL_MS, type ReplayStore } from "../replay-cache.ts";
import { RETRY_AFTER_SECONDS } from "../job-request.ts";

const CLAIM_KEY = "expires_at";

export class ReplayGuard extends DurableObject {
  /** True when the signature was already claimed and has not expired; otherwise claims it until nowMs + ttlMs. */
  async claim(nowMs: number, ttlMs: number): Promise<boolean> {
    const expiresAt = await this.ctx.storage.get<number>(CLAIM_KEY);
    if (expiresAt !== undefined && expiresAt > nowMs) return true;
    await this.ctx.storage.put(CLAIM_KEY, nowMs + ttlMs);
    // The alarm uses the object's own clock; the claim's own expiry check does not depend on it firing on time.
    await this.ctx.storage.setAlarm(Date.now() + ttlMs);
    return false;
  }

  async release(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

/** The backend's ReplayStore over the ReplayGuard namespace. An unreachable object is a 503 the Worker retries. */
export function durableReplayStore(
  namespace: DurableObjectNamespace<ReplayGuard>,
  ttlMs: number = REPLAY_TTL_MS,
): ReplayStore {
  const guard = (key: string) => namespace.get(namespace.idFromName(key));
  const unavailable = (error: unknown) =>
    new HttpError(
      503,
      "replay_store_unavailable",
      `the replay guard could not be reached (${error instanceof Error ? error.message : String(error)}); retry shortly`,
      {},
      { "retry-after": String(RETRY_AFTER_SECONDS) },
    );
  return {
    async checkAndRecord(key, nowMs) {
      try {
        return await guard(key).claim(nowMs, ttlMs);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async forget(key) {
      try {
        await guard(key).release();
      } catch (error) {
        throw unavailable(error);
      }
    },
  };
}
