// The emulator's own HTTP control surface under /__emulator, for tests that cannot reach the emulator object
// (Worker tests inside workerd, the end-to-end test, the playground): read calls and conversations, script
// faults, post messages in the channel, issue interactions, report inline answers, reset.

import { parsePostInput, TargetError } from "../channel.ts";
import { conversationOf, filterCalls } from "../conversation.ts";
import { buildTimeline } from "../feed.ts";
import { parseFault } from "../faults.ts";
import type { BuildInteractionOptions } from "../signed-interactions.ts";
import type { DiscordEmulator } from "../app.ts";

const json = (value: unknown, status = 200) => Response.json(value, { status });
const problem = (status: number, message: string) => json({ error: message }, status);

async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  try {
    const text = await request.text();
    return { ok: true, value: text ? JSON.parse(text) : undefined };
  } catch {
    return { ok: false, response: problem(400, "emulator(control): the body must be JSON") };
  }
}

export async function handleControl(emulator: DiscordEmulator, request: Request, url: URL): Promise<Response> {
  const path = url.pathname.replace(/^\/__emulator/, "") || "/";
  const method = request.method;
  const state = emulator.state;

  if (path === "/health" && method === "GET") {
    return json({
      ok: true,
      application_id: state.applicationId,
      strict_tokens: state.strictTokens,
      worker_logs: state.workerLogs,
    });
  }

  if (path === "/calls") {
    if (method === "GET") {
      return json(
        filterCalls(state.calls, {
          method: url.searchParams.get("method") ?? undefined,
          path: url.searchParams.get("path") ?? undefined,
        }),
      );
    }
    // Between tests: forget calls, faults and conversations, but keep registered commands (POST /reset drops those too).
    if (method === "DELETE") {
      emulator.reset({ keepCommands: true });
      return new Response(null, { status: 204 });
    }
  }

  if (path === "/rate-limits" && method === "GET") return json(emulator.rateLimits());

  if (path === "/reset" && method === "POST") {
    emulator.reset();
    return new Response(null, { status: 204 });
  }

  if (path === "/faults") {
    if (method === "GET") return json(state.faults);
    if (method === "DELETE") {
      state.faults.length = 0;
      return new Response(null, { status: 204 });
    }
    if (method === "POST") {
      const body = await readJson(request);
      if (!body.ok) return body.response;
      const specs = Array.isArray(body.value) ? body.value : [body.value];
      const parsed = specs.map(parseFault);
      const bad = parsed.find((p) => !p.ok);
      if (bad && !bad.ok) return problem(400, bad.error);
      for (const p of parsed) if (p.ok) state.faults.push(p.fault);
      return json({ queued: parsed.length, faults: state.faults }, 201);
    }
  }

  if (path === "/messages" && method === "GET") {
    const token = url.searchParams.get("token");
    // ?interaction_id=: what a tool that sent through /__emulator/send knows (the outcome names the interaction, not its token).
    const interactionId = url.searchParams.get("interaction_id");
    if (interactionId !== null) {
      const record = [...state.interactions.values()].find((r) => r.id === interactionId);
      return record
        ? json(conversationOf(record, state))
        : problem(404, "emulator(control): no interaction with that id");
    }
    if (token === null) return json([...state.interactions.values()].map((record) => conversationOf(record, state)));
    const conversation = emulator.conversation(token);
    return conversation ? json(conversation) : problem(404, "emulator(control): no interaction with that token");
  }

  if (path === "/commands" && method === "GET") {
    return json(emulator.commands(url.searchParams.get("guild_id") ?? undefined));
  }

  if (path === "/channel/messages") {
    // The channel as Discord's API lists it: every message people see there (ephemeral ones included), oldest first.
    if (method === "GET")
      return json(buildTimeline(state).flatMap((item) => (item.kind === "message" ? [item.message] : [])));
    if (method === "POST") {
      const body = await readJson(request);
      if (!body.ok) return body.response;
      const parsed = parsePostInput(body.value);
      if (!parsed.ok) return problem(400, parsed.error);
      const posted = emulator.postMessage(parsed.input);
      return posted.ok ? json(posted.message, 201) : problem(posted.status, posted.error);
    }
  }

  if (path === "/interactions" && method === "POST") {
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const options = body.value as BuildInteractionOptions | undefined;
    if (typeof options !== "object" || options === null || typeof options.type !== "number") {
      return problem(
        400,
        "emulator(control): POST /__emulator/interactions needs {type, data?, ...} (see BuildInteractionOptions)",
      );
    }
    try {
      return json(emulator.issueInteraction(options), 201);
    } catch (error) {
      if (error instanceof TargetError) return problem(404, error.message);
      throw error;
    }
  }

  const inline = /^\/interactions\/([^/]+)\/response$/.exec(path);
  if (inline && method === "POST") {
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const result = await emulator.recordInlineResponse(decodeURIComponent(inline[1]!), body.value);
    return result.ok ? new Response(null, { status: 204 }) : json(result.error, result.status);
  }

  if (path === "/config" && method === "PATCH") {
    const body = await readJson(request);
    if (!body.ok) return body.response;
    const config = (body.value ?? {}) as { strictTokens?: unknown; botToken?: unknown };
    if (typeof config.strictTokens === "boolean") state.strictTokens = config.strictTokens;
    if (typeof config.botToken === "string" || config.botToken === null) state.botToken = config.botToken ?? undefined;
    return json({ strict_tokens: state.strictTokens, bot_token_set: state.botToken !== undefined });
  }

  return problem(404, `emulator(control): no route ${method} /__emulator${path}`);
}
