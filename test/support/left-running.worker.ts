/**
 * "Nothing left running" for Worker tests, as effects that can be seen: the timers the Worker's own code set and
 * that have neither fired nor been cleared (a deadline never cleared, a retry still waiting), and the jobs whose
 * run has not returned (a job the engine gave up on but that still works, or waits on a call nobody will end).
 * Requests still open are outbound.worker.ts's openRequests.
 */
import { vi } from "vitest";
import type { CommandModule } from "../../src/worker/kit/dispatch/types.ts";

/** Starts recording the timers set from src/worker/; returns what is still pending, by the place that set it. */
export function trackWorkerTimers(): () => string[] {
  const pending = new Map<unknown, string>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    // The code that called setTimeout: the first frame outside this helper and vitest's spy.
    const caller = (new Error().stack ?? "")
      .split("\n")
      .slice(1)
      .find((line) => !line.includes("left-running.worker.ts") && !line.includes("node_modules"));
    const setter = caller?.includes("/src/worker/") ? caller : undefined;
    const id: unknown = realSet(() => {
      pending.delete(id);
      callback(...args);
    }, ms);
    if (setter) pending.set(id, setter.trim());
    return id;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, "clearTimeout").mockImplementation((id) => {
    pending.delete(id);
    realClear(id);
  });
  return () => [...pending.values()];
}

/** The modules with every job's run counted while it runs; `running()` names the jobs that have not returned. */
export function trackJobs(modules: readonly CommandModule[]): { modules: CommandModule[]; running: () => string[] } {
  const running = new Map<symbol, string>();
  const tracked = modules.map((module) => {
    if (!module.jobs) return module;
    const jobs = Object.fromEntries(
      Object.entries(module.jobs).map(([name, job]) => [
        name,
        {
          ...job,
          run: (input: never, task: never) => {
            const id = Symbol(name);
            running.set(id, `${module.definition.name}:${name}`);
            const run = Promise.resolve().then(() => job.run(input, task));
            void run.then(
              () => running.delete(id),
              () => running.delete(id),
            );
            return run;
          },
        },
      ]),
    );
    return { ...module, jobs } as CommandModule;
  });
  return { modules: tracked, running: () => [...running.values()] };
}
