import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { readConfig } from "../../src/worker/kit/config.ts";
import { customId, CustomIdError, parseCustomId } from "../../src/worker/kit/dispatch/custom-id.ts";
import { dispatch } from "../../src/worker/kit/dispatch/dispatcher.ts";
import { parseInteraction, type Interaction } from "../../src/worker/kit/dispatch/interaction.ts";
import { createRegistry, RegistryError } from "../../src/worker/kit/dispatch/registry.ts";
import { slashCommand } from "../../src/worker/kit/dispatch/definitions.ts";
import {
  defineModule,
  type BaseContext,
  type CommandModule,
  type Subcommands,
} from "../../src/worker/kit/dispatch/types.ts";
import { autocompleteChoices, ephemeral, showModal, reply, update } from "../../src/worker/kit/discord/responses.ts";
import { interactionLog } from "../../src/worker/app/middleware/interaction-log.ts";
import { handleInteractionRequest } from "../../src/worker/kit/ingress/handle-interactions.ts";
import { command, component, interaction, signedRequest, conforming } from "../support/interactions.worker.ts";

function parsed(payload: Record<string, unknown>): Interaction {
  const result = parseInteraction(new TextEncoder().encode(JSON.stringify(payload)));
  if (!result.ok) throw new Error(result.message);
  return result.interaction;
}

const seen: unknown[] = [];
const nested = slashCommand({
  name: "admin",
  description: "nested",
  options: [
    {
      type: 2,
      name: "config",
      description: "g",
      options: [{ type: 1, name: "set", description: "s", options: [{ type: 4, name: "level", description: "l" }] }],
    },
  ],
});
const testModules: CommandModule[] = [
  defineModule({
    definition: { name: "boom", description: "throws" },
    command: () => {
      throw new Error("kaboom");
    },
  }),
  defineModule({
    definition: { name: "garbage", description: "returns nonsense" },
    command: () => ({ nonsense: true }) as never,
  }),
  defineModule({
    definition: { name: "wrongtype", description: "returns type 8 to a command" },
    command: () => autocompleteChoices([]),
  }),
  defineModule({
    definition: { name: "toolong", description: "returns too much text" },
    command: () => ({ type: 4, data: { content: "x".repeat(2001) } }),
  }),
  defineModule({
    definition: nested,
    subcommands: {
      "config set": ({ subcommand, options }) => reply(`${subcommand} level=${options.level}`),
    } satisfies Subcommands<typeof nested>,
  }),
  defineModule({
    definition: { name: "inspect", type: 2 },
    command: ({ target }) => ephemeral(`user menu on ${target.id} (${target.username})`),
  }),
  defineModule({
    definition: { name: "counter", description: "component state" },
    command: () => reply("0"),
    component: ({ id, values }) => {
      seen.push(id, values);
      return update(`count=${Number(id.args[0]) + 1}`);
    },
    modal: ({ fields }) => ephemeral(`got ${fields.get("text")?.value} and ${fields.get("legacy")?.value}`),
  }),
  defineModule({
    definition: { name: "ask", description: "opens a modal" },
    command: () =>
      showModal({
        custom_id: "counter:form",
        title: "Tell me",
        components: [{ type: 18, label: "Text", component: { type: 4, custom_id: "text", style: 2 } }],
      }),
  }),
];
const registry = createRegistry(testModules, { after: [interactionLog] });
const deps = () => ({
  registry,
  env,
  config: readConfig(env),
  request: new Request("https://worker.test/interactions"),
});

afterEach(() => vi.restoreAllMocks());

describe("dispatch", () => {
  it("gives handlers contexts that share their shape: no per-context accessor, lazy parts built once", async () => {
    const contexts: BaseContext[] = [];
    const probe = createRegistry([
      defineModule({
        definition: { name: "probe", description: "keeps its context" },
        command: (ctx) => (contexts.push(ctx), reply("ok")),
      }),
    ]);
    for (let i = 0; i < 2; i++) await dispatch(parsed(command("probe")), { ...deps(), registry: probe });
    const [first, second] = contexts;
    // An accessor defined on each context (an object literal with a getter) gives every request its own hidden
    // class in V8's old space and keeps the request's objects alive through young-generation GCs on workerd.
    expect(Object.getOwnPropertyDescriptor(first!, "customId")).toBeUndefined();
    expect(Object.getPrototypeOf(first)).toBe(Object.getPrototypeOf(second));
    expect(first!.customId).toBe(first!.customId);
    expect(first!.customId).not.toBe(second!.customId);
    expect(first!.customId("a", 1)).toBe("probe:a:1");
    expect(Object.getOwnPropertyDescriptor(first!, "after")?.value).toBeTypeOf("function");
  });

  it("turns a throwing handler into an ephemeral message with a reference id", async () => {
    const result = await dispatch(parsed(command("boom")), deps());
    expect(result.outcome).toBe("handler_error");
    expect(result.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(JSON.stringify(result.response)).toContain(result.ref!);
    expect(result.ref).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each(["garbage", "wrongtype", "toolong"])("turns an invalid result (%s) into an ephemeral error", async (name) => {
    const result = await dispatch(parsed(command(name)), deps());
    expect(result.outcome).toBe("invalid_response");
    expect(result.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(result.error)).toMatch(/dispatch\(\/\w+\)/);
  });

  it("logs the failure with the same reference id and the stack, and no token", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const payload = command("boom");
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const response = await conforming(
      await handleInteractionRequest(await signedRequest(JSON.stringify(payload)), env, ctx, registry),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { content: string } };
    const line = JSON.parse(String(errors.mock.calls.at(-1)?.[0]));
    expect(line).toMatchObject({
      event: "interaction",
      outcome: "handler_error",
      route: "/boom",
      interaction_id: payload.id,
      error: "kaboom",
    });
    expect(line.stack).toContain("kaboom");
    expect(body.data.content).toContain(line.ref);
    expect(JSON.stringify(line)).not.toContain(String(payload.token));
  });

  it("flattens subcommand groups and reads typed options", async () => {
    const result = await dispatch(
      parsed(
        command("admin", [
          {
            type: 2,
            name: "config",
            options: [{ type: 1, name: "set", options: [{ type: 4, name: "level", value: 3 }] }],
          },
        ]),
      ),
      deps(),
    );
    expect(result.response).toMatchObject({ type: 4, data: { content: "config set level=3" } });
  });

  it("routes user context-menu commands by command type, with the resolved target", async () => {
    const payload = interaction({
      type: 2,
      data: { name: "inspect", type: 2, target_id: "42", resolved: { users: { "42": { id: "42", username: "ada" } } } },
    });
    const result = await dispatch(parsed(payload), deps());
    expect(result.response).toMatchObject({ data: { content: "user menu on 42 (ada)", flags: 64 } });
    const missing = await dispatch(
      parsed(interaction({ type: 2, data: { name: "inspect", type: 2, target_id: "42" } })),
      deps(),
    );
    expect(missing.outcome).toBe("invalid_options");
    const slash = await dispatch(parsed(command("inspect")), deps());
    expect(slash.outcome).toBe("unknown_command");
  });

  it("routes components by custom_id prefix and passes the state", async () => {
    seen.length = 0;
    const payload = component("counter:41:x");
    (payload.data as Record<string, unknown>).values = ["a", 5, "b"];
    const result = await dispatch(parsed(payload), deps());
    expect(result.response).toEqual({ type: 7, data: { content: "count=42", allowed_mentions: { parse: [] } } });
    expect(seen[0]).toEqual({ prefix: "counter", state: "41:x", args: ["41", "x"] });
    expect(seen[1]).toEqual(["a", "b"]);
  });

  it("reads modal fields from Label components and legacy action rows", async () => {
    const payload = interaction({
      type: 5,
      data: {
        custom_id: "counter:form",
        components: [
          { type: 18, component: { type: 4, custom_id: "text", value: "hello" } },
          { type: 1, components: [{ type: 4, custom_id: "legacy", value: "row" }] },
        ],
      },
    });
    const result = await dispatch(parsed(payload), deps());
    expect(result.response).toMatchObject({ type: 4, data: { content: "got hello and row", flags: 64 } });
  });

  it("lets a command open a modal (type 9)", async () => {
    const result = await dispatch(parsed(command("ask")), deps());
    expect(result.response).toMatchObject({ type: 9, data: { custom_id: "counter:form", title: "Tell me" } });
  });

  it("refuses to send a button or modal whose custom_id no handler would receive, naming the module or the prefix", async () => {
    const button = (id: string, style = 2) => ({
      type: 1,
      components: [{ type: 2, style, label: "Go", custom_id: id }],
    });
    const modules = [
      defineModule({
        definition: { name: "mute", description: "no component handler" },
        command: () => reply({ content: "x", components: [button("mute:1")] as never }),
      }),
      defineModule({
        definition: { name: "stray", description: "a prefix nobody has" },
        command: () => reply({ content: "x", components: [button("strya:1")] as never }),
      }),
      defineModule({
        definition: { name: "form", description: "modal without modal handler" },
        command: () =>
          showModal({
            custom_id: "form:x",
            title: "T",
            components: [{ type: 18, label: "L", component: { type: 4, custom_id: "t", style: 1 } }],
          }),
      }),
      defineModule({
        definition: { name: "fine", description: "routes home" },
        command: () =>
          reply({
            content: "x",
            components: [
              button("fine:1"),
              { type: 1, components: [{ type: 2, style: 5, label: "Docs", url: "https://example.com" }] },
            ] as never,
          }),
        component: () => update("ok"),
      }),
    ];
    const own = createRegistry(modules);
    const run = (name: string) => dispatch(parsed(command(name)), { ...deps(), registry: own });
    const mute = await run("mute");
    expect(mute).toMatchObject({ outcome: "invalid_response", response: { data: { flags: 64 } } });
    expect(String(mute.error)).toMatch(/routes to the module for "mute", which exports no `component` handler/);
    expect(String((await run("stray")).error)).toMatch(/routes to no module: its prefix "strya" is no command's name/);
    expect(String((await run("form")).error)).toMatch(
      /a modal with custom_id "form:x" routes to the module for "form", which exports no `modal` handler/,
    );
    expect(await run("fine")).toMatchObject({ outcome: "ok", response: { type: 4 } });
  });

  it("refuses two modules with the same command", () => {
    expect(() => createRegistry([testModules[0]!, testModules[0]!])).toThrow(RegistryError);
  });
});

describe("custom_id", () => {
  it("builds and parses prefix:state", () => {
    expect(customId("chart", "bar", 7)).toBe("chart:bar:7");
    expect(parseCustomId("chart:bar:7")).toEqual({ prefix: "chart", state: "bar:7", args: ["bar", "7"] });
    expect(parseCustomId("plain")).toEqual({ prefix: "plain", state: "", args: [] });
  });

  it("enforces Discord's 100-character cap where ids are built", () => {
    expect(customId("x", "y".repeat(98))).toHaveLength(100);
    expect(() => customId("x", "y".repeat(99))).toThrow(/101 characters; Discord allows 100/);
    expect(() => customId("a:b")).toThrow(CustomIdError);
  });
});

describe("response helpers", () => {
  it("validate Discord's limits as they build", () => {
    expect(() => reply("x".repeat(2001))).toThrow(/2001 characters; Discord allows 2000/);
    expect(reply("x".repeat(2000)).type).toBe(4);
    expect(() =>
      autocompleteChoices(Array.from({ length: 26 }, (_, i) => ({ name: `n${i}`, value: `v${i}` }))),
    ).toThrow(/26 autocomplete choices/);
    const row = { type: 1, components: [{ type: 2, style: 1, label: "b", custom_id: "a:b" }] };
    expect(() => reply({ components: Array(6).fill(row) })).toThrow(/6 action rows/);
    expect(() => reply({ components: [{ type: 1, components: Array(6).fill(row.components[0]) }] } as never)).toThrow(
      /action row holds 6/,
    );
    expect(() =>
      reply({ components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: "x".repeat(101) }] }] } as never),
    ).toThrow(/custom_id/);
    expect(() => showModal({ custom_id: "a:b", title: "t".repeat(46), components: [] })).toThrow(/title/);
  });

  it("make ephemeral replies and keep mentions off", () => {
    expect(ephemeral("hi")).toEqual({ type: 4, data: { content: "hi", flags: 64, allowed_mentions: { parse: [] } } });
  });
});

describe("dispatch guard", () => {
  it("answers validly even when routing itself fails", async () => {
    const broken = {
      ...registry,
      command: () => {
        throw new Error("registry broke");
      },
    };
    const result = await dispatch(parsed(command("boom")), { ...deps(), registry: broken });
    expect(result).toMatchObject({ outcome: "handler_error", response: { type: 4, data: { flags: 64 } } });
    expect(String(result.error)).toContain("registry broke");
    const auto = await dispatch(parsed(interaction({ type: 4, data: { name: "x" } })), { ...deps(), registry: broken });
    expect(auto.response).toEqual({ type: 8, data: { choices: [] } });
  });
});
