// The thread pool's own guarantees (src/backend/thread-pool.ts) that the render tests do not reach: a thread that
// cannot start fails its waiting tasks with why, instead of leaving them waiting for replacements that fail alike.

import { describe, expect, it } from "vitest";
import { createThreadPool } from "../../../src/backend/thread-pool.ts";
import { logCollector } from "./support.ts";

describe("thread pool", () => {
  it("fails the waiting tasks, naming why, when a thread cannot start", async () => {
    const logs = logCollector();
    const pool = createThreadPool<number, number>({
      name: "broken",
      script: new URL("../../support/broken-thread.ts", import.meta.url),
      size: 1,
      maxWaiting: 1,
      timeoutMs: 60_000,
      log: logs.log,
    });
    try {
      await expect(pool.run(1)).rejects.toThrow(
        /thread-pool\(broken\): a thread failed to start \(exit code 1\): this thread cannot start/,
      );
      expect(logs.events).toContainEqual(expect.objectContaining({ event: "thread_failed", pool: "broken" }));
      expect(pool.stats()).toEqual({ threads: 0, running: 0, waiting: 0 });
    } finally {
      await pool.close();
    }
  });
});
