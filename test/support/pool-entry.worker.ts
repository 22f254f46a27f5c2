// The test pool's Worker (vitest.config.ts `main`): both Workers in one, since the pool runs one Worker under test.
//   - The default export is the interactions Worker's (src/worker/index.ts): `exports.default.fetch` is what Discord
//     reaches, with wrangler.toml's bindings.
//   - ServicesWorker is the services Worker's fetch (src/worker/services.ts) as a named entrypoint, which the pool binds
//     as SERVICES: POST /events crosses a real service binding to the Webhook Events' handling, as deployed.
//   - The Durable Object classes are exported here as the services Worker exports them, and the pool binds
//     DISCORD_LIMITER and USAGE to them locally (script_name would name a Worker the pool does not run), so the
//     objects run in the Worker under test and runInDurableObject reaches them.
// The queue consumer and the cron are called directly by their tests (services.queue, services.scheduled).
import { WorkerEntrypoint } from "cloudflare:workers";
import interactions from "../../src/worker/index.ts";
import services from "../../src/worker/services.ts";
import type { Env } from "../../src/worker/kit/env.ts";

export default interactions;

export class ServicesWorker extends WorkerEntrypoint<Env> {
  override fetch(request: Request): Promise<Response> | Response {
    return services.fetch(request as Parameters<typeof services.fetch>[0], this.env, this.ctx);
  }
}

export { DiscordRateLimiter, UsageCounters } from "../../src/worker/services.ts";
