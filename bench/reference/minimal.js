/**
 * Reference: the least code that does what the issue asks of the Worker on these paths, written for speed
 * with no structure: the floor's verification, a 300 s skew check, JSON.parse, a type check, a Map lookup
 * of the command, a type-4 reply, one JSON log line. No error handling beyond that, no modules, no
 * dispatch layers: the ceiling any real implementation of /ping can reach on workerd.
 */
import { json, unauthorized, verifiedBody } from "../floor/verify.js";

const decoder = new TextDecoder();
const commands = new Map([
  ["ping", () => ({ type: 4, data: { content: "🏓 Pong!", allowed_mentions: { parse: [] } } })],
]);

export default {
  async fetch(request, env) {
    const timestamp = Number(request.headers.get("X-Signature-Timestamp"));
    if (!(Math.abs(Date.now() / 1000 - timestamp) <= 300)) return unauthorized();
    const body = await verifiedBody(request, env);
    if (!body) return unauthorized();
    let payload;
    try {
      payload = JSON.parse(decoder.decode(body));
    } catch {
      return new Response("body is not JSON", { status: 400 });
    }
    if (typeof payload !== "object" || payload === null || typeof payload.type !== "number")
      return new Response("bad interaction", { status: 400 });
    const name = payload.data?.name;
    const handler = payload.type === 2 ? commands.get(name) : undefined;
    const response =
      payload.type === 1
        ? { type: 1 }
        : handler
          ? handler(payload)
          : { type: 4, data: { content: "Unknown command.", flags: 64 } };
    console.log(
      JSON.stringify({
        event: "interaction",
        interaction_id: payload.id,
        type: payload.type,
        route: name ?? null,
        user_id: payload.member?.user?.id ?? payload.user?.id ?? null,
        guild_id: payload.guild_id ?? null,
        outcome: "ok",
        handler_ms: 0,
      }),
    );
    return json(JSON.stringify(response));
  },
};
