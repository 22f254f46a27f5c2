// Every sentence the Worker says to a user comes from its message catalogue (src/worker/kit/i18n/messages.ts), in
// English, German and French: this reads the Worker's source and fails on English written straight into a place a
// user reads it: the first argument of ephemeral(), reply(), followUp(), textDisplay() or textMessage(), a `content:`
// value, or a user-facing error's text (the third argument of new RelayError). A literal with no words (an emoji and
// a number, `🎲 ${total}`) is no sentence. Labels, titles and placeholders (`label:`, `title:`, `placeholder:`,
// `labelled("…")`) fail on a single English word, except in the operators' daily report (src/worker/app/report/). Operator-facing text (log lines, thrown developer errors, config
// problems, HTTP errors for Discord) is English on purpose and is not in these places.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const WORKER = join(ROOT, "src", "worker");
const CATALOGUE = join(WORKER, "kit", "i18n", "messages.ts");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") && path !== CATALOGUE ? [path] : [];
  });
}

/** Comments blanked (strings kept), so a sentence in a comment is not taken for one in the code. */
function withoutComments(source: string): string {
  return source.replace(
    /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g,
    (match, literal: string | undefined) => literal ?? " ".repeat(match.length),
  );
}

/** The string or template literal that starts at `at` (a quote), as written. */
function literalAt(source: string, at: number): string {
  const quote = source[at]!;
  let depth = 0;
  for (let i = at + 1; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (quote === "`" && c === "$" && source[i + 1] === "{") depth++, i++;
    else if (quote === "`" && c === "}" && depth > 0) depth--;
    else if (c === quote && depth === 0) return source.slice(at, i + 1);
  }
  return source.slice(at);
}

/** Two words of letters in a row, outside `${…}` and `code` spans: English a user would read. */
function isSentence(literal: string): boolean {
  const text = literal
    .slice(1, -1)
    .replace(/\$\{[^}]*\}/g, " ")
    .replace(/\\`[^`]*\\`|`[^`]*`/g, " ");
  return /\b[A-Za-z]{2,}\b[,;:]? +\b[A-Za-z]{2,}\b/.test(text);
}

const USER_FACING = [
  /\b(?:ephemeral|reply|followUp|textDisplay|textMessage)\(\s*(?=["'`])/g,
  /\bcontent:\s*(?=["'`])/g,
  /\bnew RelayError\((?:[^,]*,){2}\s*(?=["'`])/g,
];

/**
 * Where a user reads a label, a title or a placeholder: a button's or an option's `label`, a select's or an input's
 * `placeholder`, a modal's or an embed's `title`, a form input's label (`labelled("…", …)`). One English word is
 * already English there, so any word counts, not only a sentence.
 */
const LABELS = [/\b(?:label|placeholder|title):\s*(?=["'`])/g, /\blabelled\(\s*(?=["'`])/g];

/** A word of two letters or more, outside `${…}` and `code` spans. */
function hasWord(literal: string): boolean {
  return /\b[A-Za-z]{2,}\b/.test(
    literal
      .slice(1, -1)
      .replace(/\$\{[^}]*\}/g, " ")
      .replace(/\\`[^`]*\\`|`[^`]*`/g, " "),
  );
}

/** The daily report goes to the operators' channel (REPORT_CHANNEL_ID): English on purpose, like log lines. */
const OPERATOR_FACING = join(WORKER, "app", "report");

function englishSentences(path: string): string[] {
  const source = withoutComments(readFileSync(path, "utf8"));
  const found: string[] = [];
  const places: [RegExp, (literal: string) => boolean][] = [
    ...USER_FACING.map((pattern): [RegExp, (literal: string) => boolean] => [pattern, isSentence]),
    ...(path.startsWith(OPERATOR_FACING)
      ? []
      : LABELS.map((pattern): [RegExp, (literal: string) => boolean] => [pattern, hasWord])),
  ];
  for (const [pattern, isEnglish] of places) {
    for (const match of source.matchAll(pattern)) {
      const literal = literalAt(source, match.index + match[0].length);
      if (!isEnglish(literal)) continue;
      const line = source.slice(0, match.index).split("\n").length;
      found.push(`${relative(ROOT, path)}:${line}: ${literal.slice(0, 90)}`);
    }
  }
  return found;
}

/** What the label check finds in `code`. */
const labelHits = (code: string) => {
  const source = withoutComments(code);
  return LABELS.flatMap((pattern) =>
    [...source.matchAll(pattern)].map((m) => literalAt(source, m.index + m[0].length)),
  ).filter(hasWord);
};

describe("the Worker's user-facing sentences", () => {
  it("all come from the message catalogue (English, German, French): none is written in English where a user reads it", () => {
    const files = sourceFiles(WORKER);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(englishSentences)).toEqual([]);
  });

  it("the check finds English written in each of those places, and passes words that are no sentence", () => {
    const samples = [
      'return ephemeral("You don\'t have permission to use this.");',
      "await task.followUp(`That was ${times} rolls.`, { ephemeral: true });",
      'return reply({ content: `Saved as "${name}".` });',
      'throw new RelayError("busy", `relay(${job}): busy`, "The backend is busy right now.", 503);',
      "return textMessage(`Your result was ready (reference \\`${ref}\\`).`, keep, v2);",
    ];
    for (const sample of samples) {
      const source = withoutComments(sample);
      const hits = USER_FACING.flatMap((pattern) =>
        [...source.matchAll(pattern)].map((m) => literalAt(source, m.index + m[0].length)),
      ).filter(isSentence);
      expect(hits, sample).toHaveLength(1);
    }
    for (const fine of [
      "return reply(`🎲 ${total}`);",
      'return ephemeral(t("pong"));',
      '// ephemeral("An old comment about a sentence")',
      'content: `${t("x")}: ${n}`',
    ]) {
      const source = withoutComments(fine);
      const hits = USER_FACING.flatMap((pattern) =>
        [...source.matchAll(pattern)].map((m) => literalAt(source, m.index + m[0].length)),
      ).filter(isSentence);
      expect(hits, fine).toEqual([]);
    }
  });

  it("the check finds an English label, title or placeholder (one word is enough), and passes those from the catalogue", () => {
    for (const sample of [
      'button({ label: "Again", customId: customId("again") })',
      'showModal({ custom_id: id, title: "Name this roll", components })',
      'textInput({ placeholder: "What works, what doesn\'t" })',
      'modalForm({ name: labelled("Name", textInput({})) })',
      '{ value: "bug", label: `Bug` }',
      'const embed = { title: "Chart", fields }',
    ])
      expect(labelHits(sample), sample).toHaveLength(1);
    for (const fine of [
      'button({ label: t("rollAgain"), customId: customId("again") })',
      'showModal({ custom_id: id, title: t("feedbackTitle"), components })',
      'labelled(t("rollName"), textInput({}))',
      'button({ label: "🎲", customId: "x" })',
      "{ title: `${title} · ${n}` }",
    ])
      expect(labelHits(fine), fine).toEqual([]);
  });
});
