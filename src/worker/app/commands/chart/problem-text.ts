/**
 * The chart parser's refusals (src/shared/chart-data/values.ts) in the user's language: the parser gives the problem as
 * data (InputError.problem), the message catalogue words it; an error without one keeps its English message.
 */
import type { Translate } from "../../../kit/index.ts";
import type { InputError, InputProblem } from "../../../../shared/http-error.ts";

export function inputErrorText(t: Translate, error: InputError): string {
  return (error.problem && problemText(t, error.problem)) ?? error.message;
}

/** The values parser's problems; a file's (the backend reads files, and words them itself) are not the Worker's. */
function problemText(t: Translate, problem: InputProblem): string | null {
  switch (problem.key) {
    case "valuesEmpty":
      return t("valuesEmpty");
    case "valuesTooMany":
      return t("valuesTooMany", problem.count, problem.max);
    case "valuesNoLabel":
      return t("valuesNoLabel", problem.entry, problem.position);
    case "valuesBad": {
      const { reason } = problem;
      const why =
        reason.key === "tooLarge"
          ? t("tooLarge", reason.max)
          : reason.key === "tooSmall"
            ? t("tooSmall", reason.min)
            : t(problem.hint ? "notANumberHint" : "notANumber");
      return t("valuesBad", problem.value, problem.position, why);
    }
    default:
      return null;
  }
}
