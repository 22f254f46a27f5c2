// Every sentence the Worker says to a user comes from its message catalogue (src/worker/kit/i18n/messages.ts), in
// English, German and French: this reads the Worker's source and fails on English written straight into a place a
// user reads it: the first argument of ephemeral(), reply(), followUp(), textDisplay() or textMessage(), a `content:`
// value, or a user-facing error's text (the third argument of new RelayError). A literal with no words (an emoji and
// a number, `🎲 ${total}`) is no sentence. Operator-facing text (log lines, thrown developer errors, config
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

function englishSentences(path: string): string[] {
  const source = withoutComments(readFileSync(path, "utf8"));
  const found: string[] = [];
  for (const pattern of USER_FACING) {
    for (const match of source.matchAll(pattern)) {
      const literal = literalAt(source, match.index + match[0].length);
      if (!isSentence(literal)) continue;
      const line = source.slice(0, match.index).split("\n").length;
      found.push(`${relative(ROOT, path)}:${line}: ${literal.slice(0, 90)}`);
    }
  }
  return found;
}

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
});
