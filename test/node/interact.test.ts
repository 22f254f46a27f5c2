// `npm run interact` as a user runs it: the real script in a child process against a real stack (startStack, as
// `npm start`), with its defaults pointed at the stack through WORKER_PORT/EMULATOR_PORT and the dev key found
// in the working directory, as after `npm start`.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../scripts/lib/processes.ts";
import type { Stack } from "../../scripts/lib/stack.ts";
import { ROOT, startTestStack, type TestStack } from "../support/test-stack.ts";

const SCRIPT = join(ROOT, "scripts", "interact.ts");
let local: TestStack;
let stack: Stack;
let dir: string;
let output: string[];

beforeAll(async () => {
  local = await startTestStack("interact-test");
  ({ stack, dir, output } = local);
}, 90_000);

afterAll(async () => {
  await local?.stop();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function interact(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const ports = { WORKER_PORT: new URL(stack.workerUrl).port, EMULATOR_PORT: new URL(stack.emulatorUrl).port };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, ...args],
      { cwd: dir, env: { ...process.env, ...ports, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const savedFile = (stdout: string) => {
  const match = /saved to (\S+)/.exec(stdout);
  if (!match) throw new Error(`no saved file in:\n${stdout}`);
  return join(dir, match[1]!);
};
const PNG = [137, 80, 78, 71, 13, 10, 26, 10];

describe("npm run interact", () => {
  it("sends /ping and prints the answer", async () => {
    const run = await interact(["/ping"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^→ \/ping\n  POST http:\/\/127\.0\.0\.1:\d+\/interactions as a member · interaction \d+\n← 200 in \d+ ms · type 4 CHANNEL_MESSAGE_WITH_SOURCE\n  🏓 Pong!/,
    );
  });

  it("prints a poll: question, answers, how many may be picked and for how long", async () => {
    const run = await interact(["/poll question:Tea or coffee? answers:tea | coffee | water hours:6 multiple:true"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      '  poll "Tea or coffee?" (one or more answers, open 6 h)\n    ( ) tea\n    ( ) coffee\n    ( ) water',
    );
  });

  it("follows /chart's deferred edit and saves its image under .emulator/out/<interaction id>/", async () => {
    const run = await interact(["/chart values:3,5,2,8 kind:bar title:Sales per day"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("type 5 DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE");
    // The chart message opens with the bot's chart emoji: npm start syncs src/worker/app/emojis/ with the emulator.
    expect(run.stdout).toMatch(
      /… \d+ ms after sending, the bot edited @original:\n  <:chart:\d+>\n  embed "Sales per day" \(#5865f2\)/,
    );
    expect(run.stdout).toMatch(/components: \[Line\] \(chart:line:\w+\) \[Bar, disabled\]/);
    const id = /interaction (\d+)/.exec(run.stdout)![1]!;
    const file = savedFile(run.stdout);
    expect(file).toBe(join(dir, ".emulator", "out", id, "chart.png"));
    expect([...readFileSync(file).subarray(0, 8)]).toEqual(PNG);
  }, 60_000);

  it("uploads a file for an ATTACHMENT option and writes to --out", async () => {
    writeFileSync(join(dir, "data.csv"), "mon,3\ntue,5\nwed,2\n");
    const run = await interact(["/chart file:data.csv", "--out", "charts"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(join(dir, "charts"))).toEqual(["chart.png"]);
    expect(run.stdout).toContain("Points: 3");
  }, 60_000);

  it("acts as an admin with --admin", async () => {
    const [member, admin] = await Promise.all([interact(["/admin stats"]), interact(["/admin", "stats", "--admin"])]);
    expect(member.stdout).toContain("You don't have permission");
    expect(admin.stdout).toContain("as an admin");
    expect(admin.stdout).toMatch(/Interactions: \d+/);
  });

  it("prints a modal's fields", async () => {
    const run = await interact(["/feedback"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('type 9 MODAL\n  form "Feedback" (feedback:v1)\n    Your feedback [text]');
    expect(run.stdout).toContain("Category [category] radio: Bug, Idea, Other");
    expect(run.stdout).toContain("Screenshot [screenshot] file upload (optional)");
  });

  it("prints a Components V2 message as its layout", async () => {
    const run = await interact(["/help"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/┌─ container #5865f2\n\s+│ ## Commands\n\s+│ ─+\n\s+│ • `\/ping` — /);
    expect(run.stdout).toContain("(Components V2 layout)");
  });

  it("runs the Worker's daily cron with --cron and prints the report the bot posted in #general", async () => {
    const run = await interact(["--cron"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/← the scheduled handler finished in \d+ ms/);
    expect(run.stdout).toMatch(/the bot posted in #general:\n\s+embed "Daily report"/);
    expect(run.stdout).toMatch(/file: traffic\.png http:\/\/127\.0\.0\.1:\d+\/attachments\//);
  });

  it("explains bad command lines (exit 2)", async () => {
    const runs = await Promise.all([
      interact(["/nope"]),
      interact(["/chart values:1 colour:red"]),
      interact(["/chart values:1 kind:pie"]),
      interact(["/admin feedback limit:abc"]),
      interact(["/chart file:missing.csv"]),
      interact([]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(runs.map((r) => r.stderr.split("\n")[0])).toEqual([
      "interact: unknown command /nope; the commands are /admin, /chart, /feedback, /help, /ping, /poll",
      'interact: /chart has no option "colour"; its options are values, file, kind, title (quote a value that contains "word:")',
      'interact: option kind of /chart must be one of: line, bar (got "pie")',
      'interact: option limit of /admin feedback must be an integer (got "abc")',
      "interact: file missing.csv for option file does not exist",
      'interact: give a command to send, e.g. npm run interact -- "/ping"',
    ]);
  });

  it("says to run npm start when the Worker, the emulator or the key is missing (exit 1)", async () => {
    const [noWorker, noEmulator, noKey] = await Promise.all([
      interact(["/ping"], { WORKER_PORT: String(await freePort()) }),
      interact(["/ping"], { EMULATOR_PORT: String(await freePort()) }),
      interact(["/ping", "--key", "nowhere.json"]),
    ]);
    expect(noWorker.code).toBe(1);
    expect(noWorker.stderr).toMatch(
      /^interact: the Worker at http:\/\/127\.0\.0\.1:\d+\/interactions is not reachable \(connection refused\): is the local stack running\? Run `npm start` \(or pass --url\)/,
    );
    expect(noEmulator.code).toBe(1);
    expect(noEmulator.stderr).toMatch(
      /^interact: nothing answers at http:\/\/127\.0\.0\.1:\d+ \(the Discord emulator\): is the local stack running\? Run `npm start`/,
    );
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^interact: no dev key at nowhere\.json: run `npm start` once/);
  });

  it("targets another Worker with --url (here the same one) and tells a signature refusal apart", async () => {
    const run = await interact(["/ping", "--url", stack.workerUrl]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`POST ${stack.workerUrl}/interactions`);
    // A key the Worker does not know: the Worker answers 401, and interact says which public key it must use.
    const other = join(dir, "other-key.json");
    writeFileSync(other, JSON.stringify({ publicKeyHex: "00".repeat(32), privateKeyHex: "11".repeat(32) }));
    const refused = await interact(["/ping", "--key", other]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("← 401");
    expect(refused.stdout).toContain("The Worker refused the signature: it must verify with the dev public key");
  });

  it("runs a message command on a message it posts first (--message)", async () => {
    const run = await interact(["Chart numbers", "--message", "3 5 8 13"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^→ Chart numbers on the message "3 5 8 13"\n  posted in #general as Tester · message (\d+)\n  POST http:\/\/127\.0\.0\.1:\d+\/interactions as a member · interaction \d+\n← 200 in \d+ ms · type 5 DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE/,
    );
    expect(run.stdout).toMatch(/… \d+ ms after sending, the bot edited @original:/);
    expect(run.stdout).toMatch(/components: \[Line, disabled\] \(chart:line:\w+\) \[Bar\] \(chart:bar:\w+\)/);
    expect([...readFileSync(savedFile(run.stdout)).subarray(0, 8)]).toEqual(PNG);
    // The message is in the channel, and the reply is a context-menu reply to it.
    const messageId = /message (\d+)/.exec(run.stdout)![1]!;
    expect(stack.emulator.emulator.channelMessage(messageId)).toMatchObject({
      content: "3 5 8 13",
      author: { global_name: "Tester" },
    });
  }, 60_000);

  it("prints the ephemeral explanation for a message with fewer than two numbers", async () => {
    const run = await interact(["Chart numbers", "--message", "no numbers here"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("type 4 CHANNEL_MESSAGE_WITH_SOURCE\n  That message has no numbers");
    expect(run.stdout).toContain("(ephemeral: only the user sees it)");
  });

  it("runs a user command on a member (--user), the target resolved by the emulator", async () => {
    // The Worker has no user command yet: register one with the emulator beside the real ones.
    const registered = await fetch(`${stack.emulator.apiBase}/applications/${stack.config.applicationId}/commands`, {
      method: "POST",
      headers: {
        Authorization: "Bot local-dev-token",
        "User-Agent": "DiscordBot (https://example.test, 1.0)",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ name: "Wave at", type: 2 }),
    });
    expect(registered.status).toBe(201);
    const run = await interact(["Wave at", "--user", "1000000000000000003"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^→ Wave at on Tester \(1000000000000000003\)\n  POST .* as a member · interaction \d+\n← 200 in \d+ ms · type 4/,
    );
    const unknown = await interact(["Wave at", "--user", "1234567890123456789"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      "HTTP 404: emulator(interactions): no member 1234567890123456789 in the server for Wave at; its members are 1000000000000000003 (Tester)",
    );
  });

  it("explains bad context-menu command lines (exit 2)", async () => {
    const runs = await Promise.all([
      interact(["Chart numbers"]),
      interact(["Nope", "--message", "1 2"]),
      interact(["/chart", "--message", "1 2"]),
      interact(["Chart numbers", "--user", "abc"]),
      interact(["Chart numbers", "--user", "1000000000000000003", "--message", "1 2"]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.map((r) => r.stderr.split("\n")[0])).toEqual([
      'interact: "Chart numbers" is a message command: add --message "text to run it on"',
      'interact: no message command "Nope"; the message commands are "Chart numbers"',
      'interact: no message command "/chart" ("chart" is a slash command); the message commands are "Chart numbers"',
      'interact: --user takes a user id (a snowflake such as 1000000000000000003), got "abc"',
      "interact: --message and --user do not combine: a message command targets a message, a user command a person",
    ]);
  });

  // /chart in a DM is covered in workerd (test/worker/user-install.test.ts): every chart here counts toward the
  // local stack's per-user limit of 5 a minute, shared by this whole file.
  it("runs /ping in a group DM in German (--group-dm --locale de) and /help in French in the bot's DM (--dm)", async () => {
    const [ping, help] = await Promise.all([
      interact(["/ping", "--group-dm", "--locale", "de"]),
      interact(["/help", "--dm", "--locale", "fr"]),
    ]);
    expect(ping.code, ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(
      /^→ \/ping\n  POST \S+ as the user in a group DM the bot is not in \(user install\) · locale de · interaction \d+\n← 200 in \d+ ms · type 4 CHANNEL_MESSAGE_WITH_SOURCE\n  🏓 Pong!( Geantwortet am Edge-Standort \*\*\w+\*\*\.)? Von Discord zum Worker: \d+ ms\./,
    );
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("as the user in your DM with the bot · locale fr · interaction");
    expect(help.stdout).toContain("type 4 CHANNEL_MESSAGE_WITH_SOURCE");
  }, 60_000);

  it("runs Chart numbers on a message it posts in the group DM", async () => {
    const run = await interact(["Chart numbers", "--message", "2 4 8", "--group-dm"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/posted in a group DM the bot is not in \(user install\) as Tester · message (\d+)/);
    const messageId = /message (\d+)/.exec(run.stdout)![1]!;
    expect(stack.emulator.emulator.channelMessage(messageId)).toMatchObject({ channel_id: "1000000000000000011" });
    expect([...readFileSync(savedFile(run.stdout)).subarray(0, 8)]).toEqual(PNG);
  }, 60_000);

  it("refuses, as Discord would not offer it, a command outside its contexts or install types, and bad place flags (exit 2)", async () => {
    // Allowed in every context, but only to a server's install: a DM here is the user's install.
    const registered = await fetch(`${stack.emulator.apiBase}/applications/${stack.config.applicationId}/commands`, {
      method: "POST",
      headers: {
        Authorization: "Bot local-dev-token",
        "User-Agent": "DiscordBot (https://example.test, 1.0)",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        name: "servers",
        description: "Server installs only",
        integration_types: [0],
        contexts: [0, 1, 2],
      }),
    });
    expect(registered.status).toBe(201);
    const runs = await Promise.all([
      interact(["/servers", "--group-dm"]),
      interact(["/admin stats", "--dm"]),
      interact(["/ping", "--dm", "--group-dm"]),
      interact(["/ping", "--admin", "--group-dm"]),
      interact(["/ping", "--locale", "german"]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.map((r) => r.stderr.split("\n")[0])).toEqual([
      "interact: /servers is not offered in a group DM the bot is not in (user install): its integration_types are [0] and this is a user install",
      "interact: /admin is not offered in your DM with the bot: its contexts are [0] (0 a server, 1 the bot's DM, 2 a group DM)",
      "interact: --dm and --group-dm do not combine: pick one place",
      "interact: --admin applies in a server only: outside one there is no member and no permission",
      'interact: --locale takes a Discord locale such as de, fr or en-US, got "german"',
    ]);
  });

  it("links the playground user's account with /linked-role: the authorize step, Authorize, the bot's callback, the role connection", async () => {
    const run = await interact(["/linked-role"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`→ GET ${stack.workerUrl}/linked-role (the Linked Roles Verification URL), as a browser`);
    expect(lines[1]).toBe(
      `← 302 to Discord's authorize page: ${stack.emulatorUrl}/oauth2/authorize?client_id=100000000000000001&redirect_uri=${stack.workerUrl}/discord-oauth-callback&response_type=code&scope=role_connections.write+identify&state=…`,
    );
    expect(lines[2]).toBe(
      "  state cookie set (HttpOnly, Secure, SameSite=Lax); scopes asked: role_connections.write identify",
    );
    expect(lines[3]).toBe("→ Authorize on the authorize page (as the playground's user)");
    expect(lines[4]).toBe(`← 302 back to the bot: ${stack.workerUrl}/discord-oauth-callback?code=…&state=…`);
    expect(lines[5]).toBe("→ GET /discord-oauth-callback with the state cookie");
    expect(lines[6]).toMatch(/^← 200: Linked Roles tester is linked: \d+ charts drawn so far/);
    expect(lines[7]).toMatch(/^  role connection on Discord: edge-discord-bot · Charts drawn \d+$/);
    // Nothing printed carries the one-time code or the state.
    const codes = stack.emulator.emulator.calls({ path: "/oauth2/token" });
    expect(codes).toHaveLength(1);
    expect(run.stdout).not.toMatch(/(code|state)=[^…&\s]/);
  });

  it("prints usage with --help", async () => {
    const run = await interact(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run interact -- "\/command option:value …"/);
    expect(run.stdout).toContain('npm run interact -- "Message command" --message "text"');
    expect(run.stdout).toContain("--user <id>");
    for (const flag of ["--dm ", "--group-dm ", "--locale <code>", "/linked-role "]) expect(run.stdout).toContain(flag);
    expect(existsSync(join(dir, ".emulator", "dev-key.json"))).toBe(true);
  });
});
