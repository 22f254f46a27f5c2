// Words the problems the backend's parsers and cost estimate report as data (src/shared/http-error.ts) in the user's
// language (messages.ts): the one place that decides what a Discord user reads of a backend refusal, and of the rows a
// chart left out. An error without such a problem keeps its English message (protocol errors, for the Worker's code).
import {
  InputError,
  TooCostlyError,
  type CostProblem,
  type FileProblem,
  type InputProblem,
  type RowProblem,
} from "../../shared/http-error.ts";
import { formatBytes } from "../relay-body.ts";
import type { BackendSentences } from "./messages.ts";

/** Why a CSV row gave no point, in the user's language. */
export function rowText(s: BackendSentences, problem: RowProblem): string {
  switch (problem.key) {
    case "blankLine":
      return s.blankLine;
    case "emptyCells":
      return s.emptyCells;
    case "columns":
      return s.columns(problem.count, problem.decimalCommaHint);
    case "columnsDiffer":
      return s.columnsDiffer(problem.count, problem.above);
    case "emptyValue":
      return s.emptyValue;
    case "badValue": {
      const { reason } = problem;
      const why =
        reason.key === "tooLarge"
          ? s.tooLarge(reason.max)
          : reason.key === "tooSmall"
            ? s.tooSmall(reason.min)
            : s.notANumber;
      return s.badValue(problem.value, why);
    }
  }
}

/** "row 3 has an empty value", "row 4: "x" is not a number": a row's problem with its row. */
function rowProblemText(s: BackendSentences, row: number, reason: RowProblem): string {
  return reason.key === "badValue" ? s.rowValue(row, rowText(s, reason)) : s.row(row, rowText(s, reason));
}

function isFileProblem(problem: InputProblem): problem is FileProblem {
  return !problem.key.startsWith("values");
}

/** The problem, without the field it is about (`worded` puts it in front, as the English does). */
function fileText(s: BackendSentences, problem: FileProblem): string {
  switch (problem.key) {
    case "csvUnclosedQuote":
      return s.unclosedQuote(problem.row);
    case "csvTooManyRows":
      return s.tooManyRows(problem.max.toLocaleString("en-US"));
    case "csvRow":
      return rowProblemText(s, problem.row, problem.reason);
    case "csvNoRowReadable":
      return s.noRowReadable(rowProblemText(s, problem.row, problem.reason));
    case "csvHeaderOnly":
      return s.headerOnly;
    case "csvEmpty":
      return s.empty;
    case "fileNotText":
      return s.notText;
    case "fileTooLarge": {
      const limit = formatBytes(problem.limit);
      return problem.size === null ? s.tooLargeFileUnknown(limit) : s.tooLargeFile(formatBytes(problem.size), limit);
    }
    case "fileNotCsv":
      return s.notCsv(JSON.stringify(problem.contentType));
    case "fileExpired":
      return s.expired(problem.status);
  }
}

function costText(s: BackendSentences, problem: CostProblem): string {
  if (problem.key === "renderTimeout") return s.renderTimeout(problem.seconds);
  const times = (value: number) => (Math.round(value * 10) / 10).toLocaleString("en-US");
  const drivers = problem.drivers.map((driver) => {
    switch (driver.key) {
      case "points":
        return s.costPoints(driver.count.toLocaleString("en-US"));
      case "symbols":
        return s.costSymbols(driver.count);
      case "bars":
        return s.costBars(driver.count);
      case "labels":
        return s.costLabels(driver.longest);
      case "text":
        return s.costText(driver.chars);
      case "foreign":
        return s.costForeign;
    }
  });
  return s.tooCostly(times(problem.units), times(problem.budget), drivers.join(", "));
}

/** `error` with its message in the user's language when it carries a problem this catalogue words; else itself. */
export function worded(error: unknown, s: BackendSentences): unknown {
  if (error instanceof InputError && error.problem && isFileProblem(error.problem)) {
    const sentence = fileText(s, error.problem);
    const field =
      error.field === "file.size"
        ? s.fileSize(sentence)
        : error.field === "file.content_type"
          ? s.fileContentType(sentence)
          : error.field === "file.url"
            ? s.fileUrl(sentence)
            : s.file(sentence);
    return new InputError(error.field, field, error.problem);
  }
  if (error instanceof TooCostlyError && error.problem)
    return new TooCostlyError(error.code as "too_costly", costText(s, error.problem), error.details, error.problem);
  return error;
}
