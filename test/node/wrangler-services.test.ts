// The bot deploys as two Workers (DEPLOYMENT.md): the interactions Worker (wrangler.toml) and the services Worker
// (wrangler.services.toml), which hosts its Durable Object classes, consumes its queue, runs the cron and handles
// Webhook Events. They run the same bot code on the same configuration, and the interactions Worker's bindings name the
// services Worker, so the two files must agree in every environment. Read as wrangler reads them (its own parser, with
// each environment's inheritance rules).
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const ENVIRONMENTS = [
  { env: undefined, label: "top level", interactions: "edge-discord-bot", services: "edge-discord-bot-services" },
  {
    env: "staging",
    label: "staging",
    interactions: "edge-discord-bot-staging",
    services: "edge-discord-bot-services-staging",
  },
  {
    env: "production",
    label: "production",
    interactions: "edge-discord-bot",
    services: "edge-discord-bot-services",
  },
] as const;

/** What these tests read of a config, as wrangler resolves it for one environment. */
interface Resolved {
  name: string;
  vars: Record<string, unknown>;
  workers_dev?: boolean;
  services: Array<{ binding: string; service: string }>;
  durable_objects: { bindings: Array<{ name: string; class_name: string; script_name?: string }> };
  migrations: Array<{ tag: string; new_sqlite_classes?: string[] }>;
  queues: {
    producers?: Array<{ binding: string; queue: string }>;
    consumers?: Array<{ queue: string; dead_letter_queue?: string }>;
  };
  triggers: { crons?: string[] };
  kv_namespaces: Array<{ binding: string; id?: string }>;
  d1_databases: Array<{ binding: string; database_name?: string; database_id?: string }>;
}

const read = (file: string, env: string | undefined) =>
  unstable_readConfig({ config: join(ROOT, file), env }) as unknown as Resolved;
const classes = ["DiscordRateLimiter", "UsageCounters"];

describe.each(ENVIRONMENTS)("wrangler.toml and wrangler.services.toml ($label)", (target) => {
  const interactions = read("wrangler.toml", target.env);
  const services = read("wrangler.services.toml", target.env);

  it("name the two Workers, and the interactions Worker's bindings name the services Worker", () => {
    expect([interactions.name, services.name]).toEqual([target.interactions, target.services]);
    expect(interactions.services).toContainEqual({ binding: "SERVICES", service: target.services });
    expect(interactions.durable_objects.bindings).toEqual([
      { name: "DISCORD_LIMITER", class_name: "DiscordRateLimiter", script_name: target.services },
      { name: "USAGE", class_name: "UsageCounters", script_name: target.services },
    ]);
  });

  it("host the Durable Object classes, the queue consumers and the cron in the services Worker only", () => {
    expect(services.durable_objects.bindings).toEqual([
      { name: "DISCORD_LIMITER", class_name: "DiscordRateLimiter" },
      { name: "USAGE", class_name: "UsageCounters" },
    ]);
    expect(services.migrations.flatMap((m) => m.new_sqlite_classes ?? [])).toEqual(classes);
    expect(interactions.migrations).toEqual([]);
    const jobs = interactions.queues.producers?.find((p) => p.binding === "JOBS")?.queue;
    expect(jobs).toBeTypeOf("string");
    expect(services.queues.consumers?.map((c) => c.queue)).toEqual([jobs, `${jobs}-dlq`]);
    expect(services.queues.consumers?.[0]?.dead_letter_queue).toBe(`${jobs}-dlq`);
    expect(interactions.queues.consumers ?? []).toEqual([]);
    expect(services.triggers.crons).toEqual(["17 3 * * *"]);
    expect(interactions.triggers.crons ?? []).toEqual([]);
    expect(services.workers_dev).toBe(false);
  });

  it("give both the same vars, D1 database, KV namespaces and JOBS producer (the bot reads one configuration)", () => {
    expect(services.vars).toEqual(interactions.vars);
    const d1 = (c: Resolved) =>
      c.d1_databases.map(({ binding, database_name, database_id }) => ({ binding, database_name, database_id }));
    expect(d1(services)).toEqual(d1(interactions));
    expect(services.kv_namespaces).toEqual(interactions.kv_namespaces);
    expect(services.queues.producers).toEqual(interactions.queues.producers);
  });
});
