import type { Config } from "../config.ts";
import type { Env } from "../env.ts";
import type { Deferred } from "./deferred.ts";
import type { Interaction } from "./interaction.ts";
export async function runDeferred(_d: Deferred, _i: Interaction, _e: Env, _c: Config, _r: string | null): Promise<void> {}
