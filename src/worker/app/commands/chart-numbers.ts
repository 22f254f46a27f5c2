/**
 * `Chart numbers`: a message command (right-click a message → Apps). It charts the numbers in the target
 * message's content with /chart's own render job: "thinking…", then one edit with the PNG and the Line/Bar
 * buttons (which /chart's module handles, by their `chart:` prefix). Fewer than two numbers: an ephemeral
 * explanation, no deferral.
 */
import { ephemeral, EVERYWHERE, messageCommand, type CommandContext, type HandlerResult } from "../../kit/index.ts";
import { heavyLimiter } from "../middleware/heavy-limiter.ts";
import { jobs as chartJobs } from "./chart.ts";
import { relayUnavailable } from "./chart/availability.ts";
import { numbersIn } from "./chart/numbers.ts";
import { InputError } from "../../../shared/http-error.ts";
import { parseValues } from "../../../shared/chart-data/values.ts";

export const definition = messageCommand({
  name: "Chart numbers",
  // Context-menu commands have names only (no description).
  name_localizations: { de: "Zahlen als Diagramm", fr: "Graphique des nombres" },
  ...EVERYWHERE,
});

export const use = [heavyLimiter];

export const jobs = { render: chartJobs.render };

export function command({ target, config, defer }: CommandContext<typeof definition, typeof jobs>): HandlerResult {
  const numbers = numbersIn(target.content);
  if (numbers.length < 2) {
    const what = numbers.length === 0 ? "no numbers" : "only one number";
    return ephemeral(`That message has ${what}, so there is nothing to chart. Pick a message with at least two numbers (like "3, 5, 8").`);
  }
  const values = numbers.join(",");
  try {
    parseValues(values); // The backend's own check, now: a number no chart can hold is answered before "thinking…".
  } catch (error) {
    if (error instanceof InputError) return ephemeral(`I cannot chart that message's numbers: ${error.message}`);
    throw error;
  }
  const unavailable = relayUnavailable(config, "/Chart numbers");
  if (unavailable) return unavailable;
  return defer("render", { kind: "line", values });
}
