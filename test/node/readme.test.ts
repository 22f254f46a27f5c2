// Every TypeScript block of the README compiles, as a reader would paste it (issue 23): each is type-checked against
// the real code with the Worker's compiler options. A block that names its file on its first line
// (`// src/worker/app/commands/x.ts`, `// test/worker/x.test.ts`) is checked as a file beside that one, so its relative
// imports resolve as they would there; any other block is checked as a bot file in src/worker/app/commands/, with the
// platform's door (src/worker/kit/index.ts) imported for it and the free names snippets use (`task`, `config`,
// `userId` …) declared. A block with a top-level `return` is a handler's body. And the "Adding a command" example
// stays word for word the file it shows.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");

interface Block {
  readonly line: number;
  readonly code: string;
}

const blocks: Block[] = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => ({
  line: readme.slice(0, m.index).split("\n").length + 1,
  code: m[1]!,
}));

/** Names the door exports, values and types apart. */
function doorExports(): { values: string[]; types: string[] } {
  const source = ts.createSourceFile(
    "index.ts",
    readFileSync(join(root, "src/worker/kit/index.ts"), "utf8"),
    ts.ScriptTarget.Latest,
  );
  const values: string[] = [];
  const types: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause))
      continue;
    for (const element of statement.exportClause.elements)
      (statement.isTypeOnly || element.isTypeOnly ? types : values).push(element.name.text);
  }
  return { values, types };
}

/** What snippets may use without declaring it: what a handler or a job has at hand. */
const FREE: Record<string, string> = {
  task: "TaskContext",
  config: "Config",
  env: "Env",
  ctx: "CommandContext",
  userId: "string",
  channelId: "string",
  messageId: "string",
  png: "Uint8Array",
  bot: "DiscordBotClient",
};

function declaredNames(code: string): Set<string> {
  const file = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest);
  const names = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) {
      const { name, namedBindings } = statement.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamedImports(namedBindings))
        for (const e of namedBindings.elements) names.add(e.name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) names.add(namedBindings.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/** The block as a file of the project: its path, and the text the compiler sees (the block's lines are kept whole). */
function asFile(block: Block, index: number): { path: string; text: string; offset: number } {
  const named = /^\/\/ ((?:src|test)\/\S+\.ts)\b/.exec(block.code)?.[1];
  const dir = named ? dirname(named) : "src/worker/app/commands";
  const path = join(root, dir, `readme-block-${index}${named?.endsWith(".test.ts") ? ".test" : ""}.ts`);
  const door = relative(dirname(path), join(root, "src/worker/kit/index.ts")).replace(/^(?!\.)/, "./");
  const own = declaredNames(block.code);
  const { values, types } = doorExports();
  const take = (names: string[]) => names.filter((n) => !own.has(n));
  const preamble = [
    `import { ${[...take(values), ...take(types).map((t) => `type ${t}`)].join(", ")} } from "${door}";`,
    ...Object.entries(FREE)
      .filter(([name]) => !own.has(name))
      .map(([name, type]) => `declare const ${name}: ${type};`),
  ];
  const snippet = /^return\b/m.test(block.code);
  const body = snippet ? `export async function readmeSnippet(): Promise<unknown> {\n${block.code}}\n` : block.code;
  return { path, text: `${preamble.join("\n")}\n${snippet ? "" : "export {};\n"}${body}`, offset: preamble.length + 1 };
}

function compile(files: readonly { path: string; text: string }[]): readonly ts.Diagnostic[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const virtual = new Map(files.map((f) => [f.path, f.text]));
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    virtual.has(name) ? ts.createSourceFile(name, virtual.get(name)!, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => virtual.has(name) || fileExists(name);
  const program = ts.createProgram({
    rootNames: [...virtual.keys(), join(root, "test/worker/env.d.ts")],
    options: config.options,
    host,
  });
  return [...virtual.keys()].flatMap((name) => ts.getPreEmitDiagnostics(program, program.getSourceFile(name)));
}

describe("README", () => {
  it("shows src/worker/app/examples/roll.ts exactly as it is", () => {
    const section = readme.slice(readme.indexOf("## Adding a command"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(join(root, "src/worker/app/examples/roll.ts"), "utf8"));
  });

  it("shows test/worker/testing-a-command.test.ts exactly as it is (so its test runs too)", () => {
    const section = readme.slice(readme.indexOf("### Testing a command"));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(readFileSync(join(root, "test/worker/testing-a-command.test.ts"), "utf8"));
  });

  it("has TypeScript blocks that all compile against the code", () => {
    expect(blocks.length).toBeGreaterThan(10);
    const files = blocks.map(asFile);
    const problems = compile(files).map((d) => {
      const at = files.findIndex((f) => f.path === d.file?.fileName);
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      const inBlock = line - files[at]!.offset;
      return `README.md:${blocks[at]!.line + inBlock}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(problems, problems.join("\n")).toEqual([]);
  }, 60_000);
});
