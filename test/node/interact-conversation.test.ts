// `npm run interact` drives a whole conversation and waits for it to settle: the real script in a child process
// against a real stack (startStack, as `npm start`). Settled means the Worker's log said it finished (its final edit
// and every follow-up), so the emulator delays the bot's calls here (faults) past the old 700 ms quiet window that
// cut conversations short. Its own stack: the per-user limit of 5 heavy interactions a minute counts per stack, and
// this file makes 4 (/chart file:, Bar, Line, the /chart that times out).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/lib/stack.ts";
import { ROOT, startTestStack, type TestStack } from "../support/test-stack.ts";

const SCRIPT = join(ROOT, "scripts", "interact.ts");
const PNG = [137, 80, 78, 71, 13, 10, 26, 10];
let local: TestStack;
let stack: Stack;
let dir: string;

beforeAll(async () => {
  local = await startTestStack("interact-conversation");
  ({ stack, dir } = local);
}, 90_000);

afterAll(async () => {
  await local?.stop();
});

function interact(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    WORKER_PORT: new URL(stack.workerUrl).port,
    EMULATOR_PORT: new URL(stack.emulatorUrl).port,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { cwd: dir, env, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The bot's next calls of this kind are answered only after `ms`: later than a quiet window would wait. */
const delay = (method: string, path: string, ms = 1_500) =>
  stack.emulator.emulator.faults.push({ match: { method, path }, delayMs: ms });

describe("npm run interact, a conversation", () => {
  it("runs /chart, waits for its final edit and its late follow-up, presses Bar, waits for the edit, and prints the new PNG's path", async () => {
    writeFileSync(join(dir, "rows.csv"), "mon,3\ntue,x\nwed,5\n");
    delay("PATCH", "/messages/@original"); // /chart's final edit
    delay("POST", "/webhooks/"); // its follow-up about the skipped row, after the final edit
    delay("PATCH", "/messages/@original"); // the Bar button's edit (a deferred update: nothing "thinking…" to wait on)
    const run = await interact(["/chart", "file:rows.csv", "--press", "Bar", "--print-png"]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/the bot edited @original:\n  (<:chart:\d+>\n  )?embed "Chart" \(#5865f2\)/);
    expect(out).toContain("the bot sent a follow-up:\n  I skipped 1 row of your file:\n  • line 2:");
    // The press comes after the follow-up, and its edit is the bar chart.
    expect(out.indexOf("→ press [Bar] on message")).toBeGreaterThan(out.indexOf("I skipped 1 row"));
    expect(out).toMatch(
      /→ press \[Bar\] on message \d+\n← 200 in \d+ ms · type 6 DEFERRED_UPDATE_MESSAGE\n  the message stays as it is until the bot edits it; waiting…\n… \d+ ms after sending, the bot edited @original:/,
    );
    expect(out).toMatch(/footer: bar chart\n  components: \[Line\] \(chart:line:\w+\) \[Bar, disabled\]/);
    const lines = out.trimEnd().split("\n");
    const png = lines.at(-1)!;
    expect(png).toMatch(/^\.emulator\/out\/\d+\/chart-2\.png$/);
    expect(out).toContain(`saved to ${png}`);
    expect([...readFileSync(join(dir, png)).subarray(0, 8)]).toEqual(PNG);
  }, 90_000);

  it("continues the last run's conversation in a second command line: --press Line on the same chart", async () => {
    const run = await interact(["--press", "Line", "--print-png"]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^→ press \[Line\] on message \d+\n← 200/);
    expect(run.stdout).toMatch(/footer: line chart\n  components: \[Line, disabled\]/);
    // The message as it was is not printed again: only the bot's edit.
    expect(run.stdout.match(/the bot (sent|edited) @original/g)).toEqual(["the bot edited @original"]);
    expect([...readFileSync(join(dir, run.stdout.trimEnd().split("\n").at(-1)!)).subarray(0, 8)]).toEqual(PNG);
  }, 60_000);

  it("fills and submits /feedback's form in the same command line", async () => {
    const run = await interact(["/feedback", "--fill", "Your feedback=Handy", "--fill", "Category=Idea"]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('→ submit the form "Feedback"\n← 200');
    expect(run.stdout).toContain("Thanks! Your feedback was received.");
    const submitted = stack.emulator.emulator.state.sends.at(-1)!.request as {
      type: number;
      data: { components: Array<{ component: { custom_id: string; value: unknown } }> };
    };
    expect(submitted.type).toBe(5);
    expect(submitted.data.components.map((c) => [c.component.custom_id, c.component.value])).toEqual([
      ["text", "Handy"],
      ["category", "idea"],
      ["screenshot", undefined],
    ]);
  });

  it("types into an autocomplete option, prints the bot's suggestions, and runs the command with the chosen one", async () => {
    const asked = await interact(["/help", "--complete", "command=ch"]);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stdout).toContain('→ type "ch" into command of /help\n← 200 in');
    expect(asked.stdout).toContain(
      "type 8 APPLICATION_COMMAND_AUTOCOMPLETE_RESULT\n  1. /chart (chart)\n  the command was not sent",
    );
    const chosen = await interact(["/help", "--complete", "command=ch", "--choose", "/chart"]);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toContain("→ chose it: /help command:chart\n→ /help command:chart");
    expect(chosen.stdout).toContain("`/chart` — Draw a line or bar chart");
  });

  it("picks in a select menu of a message in the conversation it is pointed at (--conversation)", async () => {
    const emulator = stack.emulator.emulator;
    const issued = emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    const menu = {
      type: 3,
      custom_id: "retired:letter",
      placeholder: "Pick a letter",
      options: [
        { label: "Alpha", value: "a" },
        { label: "Beta", value: "b" },
      ],
    };
    expect(
      await emulator.recordInlineResponse(issued.token, {
        type: 4,
        data: { content: "Pick one", components: [{ type: 1, components: [menu] }] },
      }),
    ).toEqual({ ok: true });
    const run = await interact(["--conversation", issued.id, "--pick", "Beta"]);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^→ pick Beta in \[Pick a letter\] on message \d+\n← 200/);
    expect(run.stdout).toContain("belongs to a feature this bot no longer has");
    expect(emulator.state.sends.at(-1)!.request).toMatchObject({
      type: 3,
      data: { component_type: 3, custom_id: "retired:letter", values: ["b"] },
    });
  });

  it("names the timeout when the conversation does not settle in time, and explains steps it cannot take (exit 2)", async () => {
    stack.emulator.emulator.faults.push({ match: { method: "PATCH", path: "/messages/@original" }, delayMs: 8_000 });
    const late = await interact(["/chart", "values:1,2", "--timeout", "1"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toBe(
      'interact: the conversation did not settle within 1 s (--timeout): no edit yet: the user still sees "thinking…" (its output is in the npm start terminal); what arrived is above\n',
    );
    const issued = stack.emulator.emulator.issueInteraction({ type: 2, data: { name: "ping" } });
    expect(
      await stack.emulator.emulator.recordInlineResponse(issued.token, {
        type: 4,
        data: { content: "Pong, no buttons" },
      }),
    ).toEqual({ ok: true });
    const runs = await Promise.all([
      interact(["--conversation", issued.id, "--press", "Pie"]),
      interact(["--conversation", issued.id, "--fill", "x=1"]),
      interact(["/ping", "--choose", "1"]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs.map((r) => r.stderr.split("\n")[0])).toEqual([
      'interact: no button "Pie" on the bot\'s messages (they have no buttons)',
      'interact: --fill "x=…": no form is open (the bot\'s last answer was not a form)',
      "interact: --choose picks one of --complete's suggestions: add --complete <option>=<text>",
    ]);
  }, 60_000);
});
