/**
 * Reference: the floor plus `JSON.parse` of the verified body, and nothing else (it still answers PONG to
 * everything). Measures what parsing alone costs on workerd, next to the floor and our Worker.
 */
import { json, unauthorized, verifiedBody } from "../floor/verify.js";

const decoder = new TextDecoder();

export default {
  async fetch(request, env) {
    const body = await verifiedBody(request, env);
    if (!body) return unauthorized();
    globalThis.parsed = JSON.parse(decoder.decode(body)); // kept reachable, so the parse cannot be optimised away
    return json('{"type":1}');
  },
};
