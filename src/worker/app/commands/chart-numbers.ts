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
import { inputErrorText } from "./chart/problem-text.ts";
import { parseValues } from "../../../shared/chart-data/values.ts";

export const definition = messageCommand({
  name: "Chart numbers",
  // Context-menu commands have names only (no description).
  name_localizations: { de: "Zahlen als Diagramm", fr: "Graphique des nombres" },
  ...EVERYWHERE,
});

export const use = [heavyLimiter];

export const jobs = { render: chartJobs.render };

export function command({ target, config, defer, t }: CommandContext<typeof definition, typeof jobs>): HandlerResult {
  const numbers = numbersIn(target.content);
  if (numbers.length < 2) return ephemeral(t("numbersTooFew", numbers.length));
  const values = numbers.join(",");
  try {
    parseValues(values); // The backend's own check, now: a number no chart can hold is answered before "thinking…".
  } catch (error) {
    if (error instanceof InputError) return ephemeral(t("numbersCannotChart", inputErrorText(t, error)));
    throw error;
  }
  const unavailable = relayUnavailable(config, "/Chart numbers", t);
  if (unavailable) return unavailable;
  return defer("render", { kind: "line", values });
}
