import { describe, expect, it } from "vitest";
import { commands } from "../../src/worker/app/commands/index.ts";
import { checkModules } from "../../src/worker/kit/dispatch/module-checks.ts";
import { autocompleteFor, command, sendOk } from "../support/interactions.worker.ts";

describe("the module list", () => {
  // The Worker does not run these checks (module-checks.ts says why); this is where the shipped list meets them.
  it("passes every module check", () => {
    expect(() => checkModules(commands)).not.toThrow();
  });
});

describe("/ping", () => {
  it("answers type 4 with Pong and the Discord → Worker transit time", async () => {
    const body = await sendOk(command("ping"));
    expect(body.type).toBe(4);
    expect(body.data?.content).toContain("Pong");
    expect(body.data?.content).toMatch(/Discord → Worker: \d+ ms/);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
  });
});

describe("/help", () => {
  it("lists every registered command in a Components V2 layout, ephemerally: text displays that name each one", async () => {
    const body = await sendOk(command("help"));
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(32768 | 64);
    expect(body.data?.content).toBeUndefined();
    const [box] = body.data?.components;
    expect(box).toMatchObject({ type: 17, accent_color: 0x5865f2 });
    const texts: string[] = box.components
      .filter((c: { type: number }) => c.type === 10)
      .map((c: { content: string }) => c.content);
    for (const module of commands) {
      const slash = (module.definition.type ?? 1) === 1;
      const line = texts.find((t) =>
        t.includes(slash ? `/${module.definition.name}\`` : `**${module.definition.name}** (message menu)`),
      );
      expect(line, module.definition.name).toBeDefined();
      if ("description" in module.definition) expect(line).toContain(module.definition.description);
    }
  });

  it("explains one command and its options", async () => {
    const body = await sendOk(command("help", [{ type: 3, name: "command", value: "help" }]));
    expect(body.data?.flags).toBe(64);
    expect(body.data?.content).toContain("`/help`");
    expect(body.data?.content).toContain("`command` (optional)");
  });

  it("accepts a leading slash and any case", async () => {
    const body = await sendOk(command("help", [{ type: 3, name: "command", value: "/PING" }]));
    expect(body.data?.content).toContain("`/ping`");
  });

  it("says clearly when the command does not exist", async () => {
    const body = await sendOk(command("help", [{ type: 3, name: "command", value: "nope" }]));
    expect(body.data).toMatchObject({ flags: 64 });
    expect(body.data?.content).toContain("There is no command named `nope`");
  });

  it("autocompletes command names by prefix", async () => {
    const body = await sendOk(autocompleteFor("help", [{ type: 3, name: "command", value: "pi", focused: true }]));
    expect(body).toEqual({ type: 8, data: { choices: [{ name: "/ping", value: "ping" }] } });
  });

  it("autocompletes every command for an empty prefix, sorted, at most 25", async () => {
    const body = await sendOk(autocompleteFor("help", [{ type: 3, name: "command", value: "", focused: true }]));
    const names = commands
      .filter((m) => (m.definition.type ?? 1) === 1)
      .map((m) => m.definition.name)
      .sort();
    expect(body.type).toBe(8);
    expect(body.data?.choices.map((c: { value: string }) => c.value)).toEqual(names.slice(0, 25));
  });

  it("suggests nothing for a prefix no command has", async () => {
    const body = await sendOk(autocompleteFor("help", [{ type: 3, name: "command", value: "zzz", focused: true }]));
    expect(body).toEqual({ type: 8, data: { choices: [] } });
  });
});

describe("the module list", () => {
  it("has unique names and valid definitions", () => {
    const seen = new Set<string>();
    for (const { definition } of commands) {
      const key = `${definition.type ?? 1}:${definition.name}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      if ((definition.type ?? 1) === 1) {
        expect(definition.name).toMatch(/^[-_a-z0-9]{1,32}$/);
        const description = "description" in definition ? (definition.description ?? "") : "";
        expect(description.length).toBeGreaterThan(0);
        expect(description.length).toBeLessThanOrEqual(100);
      } else {
        expect(definition.name.length).toBeLessThanOrEqual(32);
        expect("description" in definition).toBe(false);
      }
    }
  });
});
