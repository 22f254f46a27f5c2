// Replay protection across Node instances: with one shared BACKEND_REPLAY_DB, a request one instance accepted is
// refused by another and after a restart; with the default in-memory store it is not (the reason DEPLOYMENT.md
// says several Node instances need the shared store).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeBackend } from "../../../src/backend/index.ts";
import { createSqliteReplayStore } from "../../../src/backend/replay-store-sqlite.ts";
import { REPLAY_TTL_MS } from "../../../src/backend/replay-cache.ts";
import { readBackendConfig } from "../../../src/backend/config.ts";
import { relayHeaders } from "../../../src/shared/relay-signature.ts";
import { NOW_MS, SECRET, logCollector, signedJobRequest } from "./support.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), "replay-db-"));
  dirs.push(dir);
  return join(dir, "replay.sqlite");
}

const JOB = { id: "7", input: { values: "1, 2" } };
const instance = (replayStore?: ReturnType<typeof createSqliteReplayStore>) =>
  createNodeBackend({
    relaySecret: SECRET,
    now: () => NOW_MS,
    log: logCollector().log,
    ...(replayStore ? { replayStore } : {}),
  });

describe("SQLite replay store (BACKEND_REPLAY_DB)", () => {
  it("refuses on instance B a request instance A accepted, and still after a restart", async () => {
    const path = dbPath();
    const storeA = createSqliteReplayStore(path);
    const storeB = createSqliteReplayStore(path);
    const captured = await signedJobRequest("chart", JOB);
    expect((await instance(storeA).fetch(captured.clone())).status).toBe(200);
    expect((await instance(storeB).fetch(captured.clone())).status).toBe(409);
    storeA.close();
    storeB.close();
    const restarted = createSqliteReplayStore(path);
    expect((await instance(restarted).fetch(captured.clone())).status).toBe(409);
    restarted.close();
  });

  it("is what makes the difference: two in-memory instances both accept the replay", async () => {
    const captured = await signedJobRequest("chart", JOB);
    expect((await instance().fetch(captured.clone())).status).toBe(200);
    expect((await instance().fetch(captured.clone())).status).toBe(200);
  });

  it("expires a signature after the TTL, forgets one on request, and prunes expired rows", () => {
    const store = createSqliteReplayStore(dbPath(), 1_000);
    expect(store.checkAndRecord("a", 0)).toBe(false);
    expect(store.checkAndRecord("a", 999)).toBe(true);
    expect(store.checkAndRecord("a", 1_000)).toBe(false); // expired: claimed afresh
    store.forget("a");
    expect(store.checkAndRecord("a", 1_001)).toBe(false);
    expect(REPLAY_TTL_MS).toBe(600_000);
    store.close();
  });

  it('opens a file another instance holds locked by waiting for it, not failing with "database is locked"', async () => {
    // Two instances starting at once: one is switching the new file to WAL (an exclusive lock) when the other
    // opens it. Here another process holds that lock for a moment; opening must wait it out.
    const path = dbPath();
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `
      const { DatabaseSync } = require("node:sqlite");
      const db = new DatabaseSync(${JSON.stringify(path)});
      db.exec("BEGIN EXCLUSIVE; CREATE TABLE held (x INTEGER);");
      process.stdout.write("locked\\n");
      setTimeout(() => { db.exec("COMMIT"); db.close(); }, 300);
    `,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    await new Promise<void>((resolve) =>
      holder.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("locked") && resolve()),
    );
    try {
      const store = createSqliteReplayStore(path);
      expect(store.checkAndRecord("sig", NOW_MS)).toBe(false); // first sight: claimed
      expect(store.checkAndRecord("sig", NOW_MS)).toBe(true); // a replay
      store.close();
    } finally {
      await exited;
    }
  });

  it("is read from BACKEND_REPLAY_DB", () => {
    expect(readBackendConfig({ RELAY_SECRET: "s", BACKEND_REPLAY_DB: " /var/lib/bot/replay.sqlite " }).replayDb).toBe(
      "/var/lib/bot/replay.sqlite",
    );
    expect(readBackendConfig({ RELAY_SECRET: "s" }).replayDb).toBeUndefined();
  });

  it("holds across two `npm run backend` processes sharing the file", async () => {
    const path = dbPath();
    const entry = join(import.meta.dirname, "..", "..", "..", "src", "backend", "server.ts");
    const started = [0, 1].map(() => {
      const child = spawn(process.execPath, [entry], {
        env: { PATH: process.env.PATH ?? "", RELAY_SECRET: SECRET, PORT: "0", BACKEND_REPLAY_DB: path },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      let exitCode: number | null = null;
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise((resolve) => child.once("exit", (code) => resolve((exitCode = code ?? -1))));
      const started = () =>
        stdout
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.event === "backend_started");
      // Resolves when the process logs its start; a process that dies first is reported at once, with its stderr.
      const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
        const check = () => {
          const line = started();
          if (line) resolve(line);
          else if (exitCode !== null)
            reject(new Error(`the backend exited (${exitCode}) before starting: ${stderr.slice(-500)}`));
        };
        child.stdout.on("data", check);
        child.once("exit", () => setImmediate(check));
      });
      return { child, exited, started, ready };
    });
    try {
      // Each process imports the renderer before it listens: seconds when the machine's cores are shared with other
      // suites, so the test's cap is generous; a start ends the wait as soon as it is logged.
      for (const proc of started) expect(await proc.ready).toMatchObject({ replay_store: "sqlite" });
      const [a, b] = started.map((proc) => String(proc.started()?.url));
      const body = JSON.stringify(JOB);
      const headers = await relayHeaders(SECRET, body);
      expect((await fetch(`${a}/v1/jobs/chart`, { method: "POST", headers, body })).status).toBe(200);
      const replay = await fetch(`${b}/v1/jobs/chart`, { method: "POST", headers, body });
      expect(replay.status).toBe(409);
    } finally {
      for (const proc of started) {
        proc.child.kill("SIGTERM");
        await proc.exited;
      }
    }
  }, 90_000);
});
