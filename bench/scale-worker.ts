// bench/scale.ts's Worker: the interactions Worker as it deploys (its fetch, untouched) and the DiscordRateLimiter class
// its services Worker hosts (one process of the bench hosts the object, as the services Worker does on Cloudflare),
// with two bench-only routes around it and a count of its D1 writes:
//   GET /__bench/bot?seconds=S&concurrency=C  sends bot-token calls for S seconds from C loops, each through the
//       Worker's own DiscordBotClient and its limiter (DISCORD_LIMITER: the shared Durable Object), as fast as it allows;
//   GET /__bench/d1-writes                    the D1 statements that write (INSERT, UPDATE, DELETE, REPLACE) this
//       isolate ran, counted on the binding the Worker is given, so nothing it writes goes around the count.
// Built by wrangler like a deployment (bench/scale.ts), one copy per workerd process.
import worker from "../src/worker/index.ts";
import { DiscordRateLimiter } from "../src/worker/services.ts";
import { DiscordBotClient } from "../src/worker/kit/discord/bot-rest.ts";
import { DiscordApiError } from "../src/worker/kit/discord/rest.ts";
import type { Env } from "../src/worker/kit/env.ts";

export { DiscordRateLimiter };

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;
let d1Writes = 0;
const countWrite = (sql: string) => {
  for (const statement of sql.split(";")) if (WRITE.test(statement)) d1Writes++;
};

/** The D1 binding, counting each write statement when it runs (run/all/first/raw, batch, exec). */
function counted(db: D1Database): D1Database {
  const originals = new WeakMap<object, D1PreparedStatement>();
  const sqls = new WeakMap<object, string>();
  const statement = (real: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapped = new Proxy(real, {
      get(target, name) {
        if (name === "bind") return (...values: unknown[]) => statement(target.bind(...values), sql);
        const value = Reflect.get(target, name) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (name === "run" || name === "all" || name === "first" || name === "raw") countWrite(sql);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    originals.set(wrapped, real);
    sqls.set(wrapped, sql);
    return wrapped;
  };
  return new Proxy(db, {
    get(target, name) {
      if (name === "prepare") return (sql: string) => statement(target.prepare(sql), sql);
      if (name === "batch")
        return (list: D1PreparedStatement[]) => {
          for (const s of list) countWrite(sqls.get(s) ?? "");
          return target.batch(list.map((s) => originals.get(s) ?? s));
        };
      if (name === "exec") return (sql: string) => (countWrite(sql), target.exec(sql));
      const value = Reflect.get(target, name) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

let wrapped: { from: Env; env: Env } | undefined;
function benchEnv(env: Env): Env {
  if (wrapped?.from !== env) wrapped = { from: env, env: { ...env, ...(env.DB ? { DB: counted(env.DB) } : {}) } };
  return wrapped.env;
}

const GUILDS = Array.from({ length: 16 }, (_, i) => String(200000000000000100n + BigInt(i)));

/** One bot-token call of the mix: mostly guild members across 16 guilds (16 buckets: the global limit binds), some channel messages (one tight bucket) and reactions (a shared-scope limit in the emulator). */
function oneCall(bot: DiscordBotClient, n: number, channelId: string, messageId: string): Promise<unknown> {
  if (n % 10 === 8) return bot.request("POST", `/channels/${channelId}/messages`, { json: { content: `scale ${n}` } });
  if (n % 10 === 9)
    return bot.request(
      "PUT",
      `/channels/${channelId}/messages/${messageId}/reactions/${encodeURIComponent(["🔥", "👍", "🎉"][n % 3]!)}/@me`,
    );
  return bot.request("GET", `/guilds/${GUILDS[n % GUILDS.length]}/members/400000000000000004`);
}

async function botBurst(url: URL, env: Env): Promise<Response> {
  const seconds = Number(url.searchParams.get("seconds") ?? "5");
  const concurrency = Number(url.searchParams.get("concurrency") ?? "4");
  const channelId = url.searchParams.get("channel") ?? "";
  const messageId = url.searchParams.get("message") ?? "";
  const stopAt = Date.now() + seconds * 1000;
  const bot = new DiscordBotClient({
    apiBase: env.DISCORD_API_BASE!,
    botToken: env.DISCORD_TOKEN!,
    env,
    deadline: stopAt + 30_000,
  });
  const statuses: Record<string, number> = {};
  let n = Number(url.searchParams.get("offset") ?? "0");
  const loop = async () => {
    while (Date.now() < stopAt) {
      try {
        await oneCall(bot, n++, channelId, messageId);
        statuses.ok = (statuses.ok ?? 0) + 1;
      } catch (error) {
        const key = error instanceof DiscordApiError ? String(error.status || "refused") : "error";
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return Response.json({ statuses });
}

export default {
  fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/bot") return botBurst(url, env);
    if (url.pathname === "/__bench/d1-writes") return Response.json({ writes: d1Writes });
    return worker.fetch(request, benchEnv(env), ctx);
  },
} satisfies ExportedHandler<Env>;
