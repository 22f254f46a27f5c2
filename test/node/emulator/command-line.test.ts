// The slash-command text syntax shared by the playground's command box and `npm run interact`: parsing against
// registered definitions (with Discord's client-side checks) and the suggestions offered while typing.
import { describe, expect, it } from "vitest";
import {
  applyChoice,
  complete,
  parseCommandLine,
  type CommandDef,
} from "../../../src/emulator/playground/command-line.ts";

const COMMANDS: CommandDef[] = [
  { name: "ping", description: "Check the bot" },
  {
    name: "help",
    description: "Help",
    options: [{ type: 3, name: "command", description: "The command", autocomplete: true, max_length: 32 }],
  },
  {
    name: "chart",
    description: "Draw a chart",
    options: [
      { type: 3, name: "values", description: "Numbers", max_length: 6000 },
      { type: 11, name: "file", description: "A CSV file" },
      {
        type: 3,
        name: "kind",
        description: "Line or bar",
        choices: [
          { name: "line", value: "line" },
          { name: "bar", value: "bar" },
        ],
      },
      { type: 3, name: "title", description: "A title" },
    ],
  },
  {
    name: "admin",
    description: "Operator tools",
    default_member_permissions: "8",
    options: [
      { type: 1, name: "stats", description: "Statistics" },
      {
        type: 1,
        name: "feedback",
        description: "Read feedback",
        options: [{ type: 4, name: "limit", description: "How many", min_value: 1, max_value: 20 }],
      },
    ],
  },
  {
    name: "poll",
    description: "Vote",
    options: [
      { type: 5, name: "public", description: "Visible", required: true },
      { type: 10, name: "weight", description: "w" },
      { type: 6, name: "who", description: "u" },
    ],
  },
  { name: "Report", type: 3 } as CommandDef,
];

const parse = (line: string) => parseCommandLine(line, COMMANDS);

describe("parseCommandLine", () => {
  it("parses options, converting choices and keeping spaces in the last value", () => {
    const result = parse("/chart values:3,5,2,8 kind:BAR title:Sales per day");
    expect(result.ok && result.parsed.data).toEqual({
      name: "chart",
      type: 1,
      options: [
        { type: 3, name: "values", value: "3,5,2,8" },
        { type: 3, name: "kind", value: "bar" },
        { type: 3, name: "title", value: "Sales per day" },
      ],
    });
  });

  it("nests subcommands and converts integers", () => {
    expect(parse("/admin stats")).toMatchObject({
      ok: true,
      parsed: { path: ["stats"], data: { options: [{ type: 1, name: "stats", options: [] }] } },
    });
    expect(parse("/admin feedback limit:3")).toMatchObject({
      ok: true,
      parsed: { data: { options: [{ type: 1, name: "feedback", options: [{ type: 4, name: "limit", value: 3 }] }] } },
    });
  });

  it("accepts quoted values that contain `word:`", () => {
    const result = parse('/chart values:1,2 title:"Ratio a: b \\"x\\""');
    expect(result.ok && result.parsed.data.options[1]).toEqual({ type: 3, name: "title", value: 'Ratio a: b "x"' });
  });

  it("converts booleans, numbers and mentions (with resolved entries)", () => {
    const result = parse("/poll public:yes weight:2.5 who:<@123456789012345678>");
    expect(result.ok && result.parsed.data.options).toEqual([
      { type: 5, name: "public", value: true },
      { type: 10, name: "weight", value: 2.5 },
      { type: 6, name: "who", value: "123456789012345678" },
    ]);
    expect(result.ok && Object.keys(result.parsed.data.resolved!.users!)).toEqual(["123456789012345678"]);
  });

  it("keeps an attachment's typed value for the caller to resolve", () => {
    const result = parse("/chart file:data.csv");
    expect(result.ok && result.parsed.leaves.map((l) => [l.option.type, l.entry.value])).toEqual([[11, "data.csv"]]);
  });

  it.each([
    ["ping", 'a command starts with "/"'],
    ["/", 'type a command name after "/": /admin, /chart, /help, /ping, /poll'],
    ["/nope", "unknown command /nope; the commands are /admin, /chart, /help, /ping, /poll"],
    ["/Report", "unknown command /report"],
    ["/admin", "/admin needs a subcommand: stats, feedback"],
    ["/admin wipe", "/admin has no subcommand wipe; choose one of: stats, feedback"],
    ["/chart colour:red", '/chart has no option "colour"; its options are values, file, kind, title'],
    ["/chart kind:pie", 'option kind of /chart must be one of: line, bar (got "pie")'],
    ["/admin feedback limit:abc", 'option limit of /admin feedback must be an integer (got "abc")'],
    ["/admin feedback limit:50", "option limit of /admin feedback must be at most 20 (got 50)"],
    ["/poll weight:1", "/poll needs public"],
    ["/poll public:maybe", 'option public of /poll must be true or false (got "maybe")'],
    ["/chart values:1 values:2", "option values is given twice"],
    ["/ping hello", 'expected option:value after /ping, got "hello" (it takes no options)'],
    ['/chart title:"open', "opening quote but no closing one"],
  ])("%s → %s", (line, error) => {
    const result = parse(line);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(error);
  });
});

describe("complete", () => {
  const labels = (text: string) => {
    const c = complete(text, COMMANDS);
    return c?.kind === "list" ? c.items.map((i) => i.label) : (c?.kind ?? null);
  };

  it("lists commands by prefix, then subcommands, then options (required first) and choices", () => {
    expect(labels("/")).toEqual(["/admin", "/chart", "/help", "/ping", "/poll"]);
    expect(labels("/ch")).toEqual(["/chart"]);
    expect(labels("/admin ")).toEqual(["stats", "feedback"]);
    expect(labels("/admin fe")).toEqual(["feedback"]);
    expect(labels("/admin feedback ")).toEqual(["limit"]);
    expect(labels("/chart ")).toEqual(["values", "file", "kind", "title"]);
    expect(labels("/chart values:1,2 ")).toEqual(["file", "kind", "title"]);
    expect(labels("/chart values:1,2 k")).toEqual(["kind"]);
    expect(labels("/chart kind:b")).toEqual(["bar"]);
    expect(labels("/poll ")).toEqual(["public", "weight", "who"]);
    expect(labels("/poll public:")).toEqual(["True", "False"]);
  });

  it("preselects a match, but not the next option's name after a finished value (Enter then sends)", () => {
    expect(complete("/ch", COMMANDS)).toMatchObject({ kind: "list", preselect: true });
    expect(complete("/chart values:1,2 k", COMMANDS)).toMatchObject({ kind: "list", preselect: true });
    expect(complete("/chart values:1,2 ", COMMANDS)).toMatchObject({ kind: "list", preselect: false });
  });

  it("marks commands Discord hides from members without a permission", () => {
    const c = complete("/ad", COMMANDS);
    expect(c?.kind === "list" && c.items[0]!.detail).toBe(
      "Operator tools · Discord shows it only to members with the permission",
    );
  });

  it("builds the line a suggestion makes", () => {
    const c = complete("/chart values:1,2 kind:b", COMMANDS);
    expect(c?.kind === "list" && c.items[0]!.line).toBe("/chart values:1,2 kind:bar ");
  });

  it("asks the bot for autocomplete with the focused option as typed", () => {
    const c = complete("/help command:pi", COMMANDS);
    expect(c).toMatchObject({
      kind: "autocomplete",
      replaceFrom: 14,
      data: { name: "help", type: 1, options: [{ type: 3, name: "command", value: "pi", focused: true }] },
    });
    expect(applyChoice("/help command:pi", 14, "ping")).toBe("/help command:ping ");
  });

  it("offers a file picker for attachments and a hint for free text", () => {
    expect(complete("/chart file:", COMMANDS)?.kind).toBe("attachment");
    expect(complete("/chart values:3", COMMANDS)?.kind).toBe("hint");
    expect(complete("hello", COMMANDS)).toBeNull();
  });
});
