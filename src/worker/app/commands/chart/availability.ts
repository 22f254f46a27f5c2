/** Heavy commands answer at once, and plainly, when the backend they need is not configured. */
import {
  ConfigError,
  ephemeral,
  log,
  requireRelay,
  type Config,
  type ImmediateResponse,
  type Translate,
} from "../../../kit/index.ts";

/** Null when the backend is configured, else the answer to give (and the operator is told in the log). */
export function relayUnavailable(config: Config, route: string, t: Translate): ImmediateResponse | null {
  try {
    requireRelay(config);
    return null;
  } catch (error) {
    if (error instanceof ConfigError) {
      log("config.missing", { route, level: "error", error: error.message });
      return ephemeral(t("chartsUnavailable"));
    }
    throw error;
  }
}
