// npm start's edit loop for real, in a clean clone: the local stack running the Worker from its checked copy
// (startStack's workerMirror, as npm start does) and the dev loop with the real incremental tsc. A change that fails the
// type-check is reported (terminal lines and the playground's feed), and /ping keeps answering as the last version that
// passed; once the change is fixed, the Worker reloads with it and the report goes away.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { commandReloader } from "../../scripts/lib/command-watch.ts";
import { startDevLoop, type DevLoop } from "../../scripts/lib/dev-loop.ts";
import { freePort } from "../../scripts/lib/processes.ts";
import { startStack, type Stack } from "../../scripts/lib/stack.ts";
import { sendInteraction } from "../../src/emulator/core.ts";
import { cloneCheckout } from "../support/clone.ts";

let clone: string;
let stack: Stack;
let loop: DevLoop;
const lines: string[] = [];
const output: string[] = [];
const statuses: Array<{ summary: string } | null> = [];

beforeAll(async () => {
  clone = cloneCheckout("dev-loop-stack");
  const mirror = join(clone, ".wrangler", "dev-worker");
  stack = await startStack({
    root: clone,
    log: (source, line) => output.push(`[${source}] ${line}`),
    ports: { worker: await freePort(), backend: 0, emulator: 0 },
    workerMirror: mirror,
  }).catch((error: Error) => {
    throw new Error(`${error.message}; output:\n${output.join("\n")}`);
  });
  const commands = commandReloader({
    root: clone,
    registered: stack.definitions,
    register: stack.registerCommands,
    print: (line) => lines.push(line),
  });
  loop = startDevLoop({
    root: clone,
    mirror,
    buildInfoFile: join(clone, ".wrangler", "dev-worker.tsbuildinfo"),
    print: (line) => lines.push(line),
    status: (status) => {
      statuses.push(status);
      stack.emulator.emulator.setDevStatus(status);
    },
    commands,
  });
}, 120_000);

afterAll(async () => {
  loop?.close();
  await stack?.stop();
  if (clone) rmSync(clone, { recursive: true, force: true });
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** /ping's answer, signed as Discord would; with a long deadline: tsc shares the machine's two cores meanwhile. */
async function ping(): Promise<string> {
  const payload = stack.emulator.emulator.issueInteraction({ type: 2, data: { name: "ping", type: 1 } });
  const sent = await sendInteraction(`${stack.workerUrl}/interactions`, payload, stack.config.keyPair.privateKeyHex, {
    deadlineMs: 30_000,
  });
  if (sent.status !== 200)
    throw new Error(`/ping: ${sent.status} ${sent.error ?? ""}\n${output.slice(-20).join("\n")}`);
  return String((sent.body as { data?: { content?: string } }).data?.content);
}

it("keeps running the last version that passed while a change fails the type-check, reports it, and reloads once it is fixed", async () => {
  const file = join(clone, "src", "worker", "app", "commands", "ping.ts");
  const source = readFileSync(file, "utf8");
  const answer = 'return reply(parts.join(" "));';
  expect(source).toContain(answer);
  await until(() => (statuses.length > 0 ? true : undefined)); // the check at start
  expect(statuses[0]).toBeNull();
  expect(await ping()).toMatch(/^🏓 Pong!/);

  writeFileSync(file, source.replace(answer, 'return reply(`${parts.join(" ")} v2 ${1 as string}`);'));
  const failed = await until(() => statuses.at(-1) ?? undefined);
  expect(failed.summary).toBe(
    "the change to src/worker/app/commands/ping.ts fails the type-check (1 error): the Worker keeps running the last version that passed",
  );
  expect(lines).toContain(`start: ${failed.summary}`);
  expect(lines.find((line) => line.includes("error TS"))).toMatch(
    /^ {2}src\/worker\/app\/commands\/ping\.ts\(\d+,\d+\): error TS2352: /,
  );
  const feed = (await (await fetch(`${stack.emulatorUrl}/__emulator/feed`)).json()) as {
    dev: { summary: string; errors: string[] } | null;
  };
  expect(feed.dev?.summary).toBe(failed.summary);
  expect(await ping()).not.toContain("v2");

  writeFileSync(file, source.replace(answer, 'return reply(`${parts.join(" ")} v2`);'));
  await until(() => (statuses.at(-1) === null ? true : undefined));
  expect(lines).toContain(
    "start: the type-check passes again; the Worker reloads with src/worker/app/commands/ping.ts",
  );
  // wrangler dev rebuilds the copy and swaps the Worker: /ping answers with the change once it has.
  expect(await until(async () => ((await ping()).includes("v2") ? true : undefined))).toBe(true);
  expect(((await (await fetch(`${stack.emulatorUrl}/__emulator/feed`)).json()) as { dev: unknown }).dev).toBeNull();
}, 180_000);
