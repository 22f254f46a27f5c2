/**
 * Usage counters: a Durable Object per UTC month ("sharded by time"), holding per minute and route how many
 * interactions there were, how many ended in an error, and a histogram of the time to the user's answer; and per
 * hour and server the interactions and errors (for a server's own /admin stats). Minutes let a report's window
 * start when its cron fired (03:17); servers get hours, as there can be many of them.
 *
 * Why Durable Objects and not D1 or Workers Analytics Engine:
 * - D1 runs one query at a time (≈ 1,000 queries/s: https://developers.cloudflare.com/d1/platform/limits/), so a
 *   row per interaction capped the bot near 500 interactions/s and put one database on every interaction's path.
 * - Analytics Engine is built for a write per event, but it is not queryable locally (miniflare's dataset drops
 *   the points), it samples at volume, and its SQL API needs an account API token in the Worker. A Durable Object
 *   runs the same code in production, `npm start` and the tests, so every view shows the same, exact numbers.
 * - A Durable Object handles about 1,000 requests/s (https://developers.cloudflare.com/durable-objects/platform/limits/),
 *   so isolates do not call it per interaction: each isolate sums its events and sends them at most once per
 *   flush interval (record.ts). The month's object sees (busy isolates ÷ interval) requests/s, whatever the
 *   interaction rate; reads of any 30-day window touch two or three objects.
 *
 * Storage is billed per row written (https://developers.cloudflare.com/durable-objects/platform/pricing/), so the
 * object sums what isolates send in memory and writes once a minute (its alarm): one row per (minute, route) and per
 * (hour, server) touched in that minute, however many isolates sent them. Reads write the sums first. A restart (a
 * deploy) loses at most that minute's sums. Once its month is older than the retention, the object deletes its
 * storage (the same alarm, set to that time between writes).
 */
import { DurableObject } from "cloudflare:workers";
import { BUCKETS, type CounterCell, type CounterRow } from "./cells.ts";

const L = Array.from({ length: BUCKETS }, (_, i) => `l${i}`);

/** How long the object sums in memory before writing (see the header). */
const WRITE_EVERY_MS = 60_000;

export class UsageCounters extends DurableObject {
  readonly #sql: SqlStorage;
  /** Sums not yet written, by minute, server and route. */
  readonly #pending = new Map<string, CounterCell>();

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.#sql = ctx.storage.sql;
    this.#createTables();
  }

  #createTables(): void {
    this.#sql.exec(
      `CREATE TABLE IF NOT EXISTS minutes (minute INTEGER, route TEXT, n INTEGER, errors INTEGER, ${L.map((c) => `${c} INTEGER`).join(", ")}, PRIMARY KEY (minute, route)) WITHOUT ROWID;
       CREATE TABLE IF NOT EXISTS guild_hours (guild TEXT, hour INTEGER, n INTEGER, errors INTEGER, PRIMARY KEY (guild, hour)) WITHOUT ROWID;
       CREATE TABLE IF NOT EXISTS expiry (at INTEGER);`,
    );
  }

  /** Adds an isolate's sums; `expiresAt` (ms epoch) is when this month's object may delete itself. */
  async add(cells: readonly CounterCell[], expiresAt: number): Promise<void> {
    const writing = this.#pending.size > 0;
    for (const c of cells) merge(this.#pending, `${c.minute} ${c.guild} ${c.route}`, c);
    if (this.#expiry() !== expiresAt) this.#sql.exec("DELETE FROM expiry; INSERT INTO expiry VALUES (?)", expiresAt);
    if (!writing) await this.ctx.storage.setAlarm(Date.now() + WRITE_EVERY_MS);
  }

  /**
   * Minutes in [from, to), summed per `grain` minutes (1: each minute; 60: hours) and route for the bot; for `guild`,
   * that server's hours overlapping them (a row per hour, at its first minute).
   */
  read(from: number, to: number, grain: number, guild?: string): CounterRow[] {
    this.#write();
    if (guild !== undefined) {
      return this.#sql
        .exec<{ hour: number; n: number; errors: number }>(
          "SELECT hour, n, errors FROM guild_hours WHERE guild = ? AND hour >= ? AND hour < ?",
          guild,
          Math.floor(from / 60),
          Math.ceil(to / 60),
        )
        .toArray()
        .map(({ hour, n, errors }) => ({ minute: hour * 60, route: "", n, errors, latency: [] }));
    }
    return this.#sql
      .exec<Record<string, number | string>>(
        `SELECT minute / ?1 * ?1 AS minute, route, SUM(n) AS n, SUM(errors) AS errors, ${L.map((l) => `SUM(${l}) AS ${l}`).join(", ")} FROM minutes WHERE minute >= ?2 AND minute < ?3 GROUP BY 1, 2`,
        Math.max(1, Math.floor(grain)),
        from,
        to,
      )
      .toArray()
      .map((r) => ({
        minute: r.minute as number,
        route: r.route as string,
        n: r.n as number,
        errors: r.errors as number,
        latency: L.map((l) => r[l] as number),
      }));
  }

  /** A minute after the first unwritten sums: write them; past the month's retention: delete everything. */
  override async alarm(): Promise<void> {
    this.#write();
    const expiresAt = this.#expiry();
    if (expiresAt === null || Date.now() < expiresAt) {
      if (expiresAt !== null) await this.ctx.storage.setAlarm(expiresAt);
      return;
    }
    await this.ctx.storage.deleteAll();
    // The object may still be asked (a late read): an empty month, not a missing table.
    this.#createTables();
  }

  #expiry(): number | null {
    return this.#sql.exec<{ at: number }>("SELECT at FROM expiry").toArray()[0]?.at ?? null;
  }

  /** One upsert per (minute, route) and per (hour, server) of the pending sums. */
  #write(): void {
    const minutes = new Map<string, CounterCell>();
    const guilds = new Map<string, CounterCell>();
    for (const c of this.#pending.values()) {
      merge(minutes, `${c.minute} ${c.route}`, { ...c, guild: "" });
      if (c.guild)
        merge(guilds, `${Math.floor(c.minute / 60)} ${c.guild}`, {
          ...c,
          minute: Math.floor(c.minute / 60) * 60,
          route: "",
        });
    }
    this.#pending.clear();
    for (const c of minutes.values()) {
      this.#sql.exec(
        `INSERT INTO minutes VALUES (?, ?, ?, ?, ${L.map(() => "?").join(", ")}) ON CONFLICT DO UPDATE SET n = n + excluded.n, errors = errors + excluded.errors, ${L.map((l) => `${l} = ${l} + excluded.${l}`).join(", ")}`,
        c.minute,
        c.route,
        c.n,
        c.errors,
        ...c.latency,
      );
    }
    for (const c of guilds.values()) {
      this.#sql.exec(
        "INSERT INTO guild_hours VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n, errors = errors + excluded.errors",
        c.guild,
        c.minute / 60,
        c.n,
        c.errors,
      );
    }
  }
}

/** Adds `cell` to the sum under `key` (a copy: the caller's cell is never changed). */
function merge(sums: Map<string, CounterCell>, key: string, cell: CounterCell): void {
  const sum = sums.get(key);
  if (!sum) {
    sums.set(key, { ...cell, latency: [...cell.latency] });
    return;
  }
  sum.n += cell.n;
  sum.errors += cell.errors;
  cell.latency.forEach((n, i) => (sum.latency[i]! += n));
}
