// wrangler.toml states the heavy limiter's period twice in every environment: the HEAVY_LIMITER binding's
// `simple = { limit, period }`, which Cloudflare enforces, and HEAVY_LIMIT_PERIOD_SECONDS, which the Worker tells
// refused users (it cannot read the binding's period at run time). This test is what keeps the two copies one.
// No TOML parser is a dependency, so it reads the few lines it needs: section headers, one var, one inline table.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The Worker's default when the var is unset (src/worker/kit/config.ts). */
const DEFAULT_PERIOD_SECONDS = 60;

interface LimiterPeriods {
  /** "" is the top level (wrangler dev, the tests); otherwise the name in [env.<name>]. */
  environment: string;
  /** The HEAVY_LIMITER binding's period, or undefined when the environment has no such binding. */
  bindingPeriod: number | undefined;
  /** HEAVY_LIMIT_PERIOD_SECONDS as the Worker reads it: unset means the default. */
  varPeriod: number;
}

function limiterPeriods(toml: string): LimiterPeriods[] {
  const found = new Map<string, { bindingPeriod?: number; varPeriod?: number }>([["", {}]]);
  let environment = "";
  let table = "";
  let limiterName: string | undefined;
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    const header = /^\[{1,2}([^\]]+)\]{1,2}$/.exec(line);
    if (header) {
      const path = header[1]!.trim();
      const env = /^env\.([^.]+)(?:\.(.*))?$/.exec(path);
      environment = env ? env[1]! : "";
      table = env ? (env[2] ?? "") : path;
      limiterName = undefined;
      if (!found.has(environment)) found.set(environment, {});
      continue;
    }
    const entry = found.get(environment)!;
    if (table === "vars") {
      const value = /^HEAVY_LIMIT_PERIOD_SECONDS\s*=\s*"([^"]*)"/.exec(line);
      if (value) entry.varPeriod = value[1] === "" ? DEFAULT_PERIOD_SECONDS : Number(value[1]);
    } else if (table === "ratelimits") {
      const name = /^name\s*=\s*"([^"]*)"/.exec(line);
      if (name) limiterName = name[1];
      const period = /^simple\s*=\s*\{[^}]*\bperiod\s*=\s*(\d+)/.exec(line);
      if (period && limiterName === "HEAVY_LIMITER") entry.bindingPeriod = Number(period[1]);
    }
  }
  return [...found].map(([environment, e]) => ({
    environment,
    bindingPeriod: e.bindingPeriod,
    varPeriod: e.varPeriod ?? DEFAULT_PERIOD_SECONDS,
  }));
}

describe("wrangler.toml: the heavy limiter's period", () => {
  const periods = limiterPeriods(readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8"));

  it("finds the top level and the deploy environments, each with a HEAVY_LIMITER binding", () => {
    expect(periods.map((p) => p.environment)).toEqual(expect.arrayContaining(["", "staging", "production"]));
    for (const p of periods)
      expect(p.bindingPeriod, `environment "${p.environment || "top level"}"`).toBeTypeOf("number");
  });

  it("is the same in HEAVY_LIMIT_PERIOD_SECONDS as in the binding, in every environment", () => {
    for (const p of periods) {
      expect(
        p.varPeriod,
        `environment "${p.environment || "top level"}": HEAVY_LIMIT_PERIOD_SECONDS must equal the HEAVY_LIMITER period`,
      ).toBe(p.bindingPeriod);
    }
  });

  it("reads a mismatch as one, an unset var as the Worker's default, and skips other limiters", () => {
    const toml = [
      "[vars]",
      'HEAVY_LIMIT_PERIOD_SECONDS = "60"',
      "[[ratelimits]]",
      'name = "OTHER_LIMITER"',
      "simple = { limit = 1, period = 60 }",
      "[[ratelimits]]",
      'name = "HEAVY_LIMITER"',
      'namespace_id = "1"',
      "simple = { limit = 5, period = 10 }",
      "[env.staging.vars]",
      'RELAY_MODE = "queue"',
      "[[env.staging.ratelimits]]",
      'name = "HEAVY_LIMITER"',
      "simple = { limit = 5, period = 10 }",
    ].join("\n");
    expect(limiterPeriods(toml)).toEqual([
      { environment: "", bindingPeriod: 10, varPeriod: 60 },
      { environment: "staging", bindingPeriod: 10, varPeriod: 60 },
    ]);
  });
});
