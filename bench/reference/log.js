/**
 * Reference: the floor plus one console.log of a JSON line the size of our per-interaction log line, and
 * nothing else (it still answers PONG to everything). Measures what logging alone costs on workerd.
 */
import { json, unauthorized, verifiedBody } from "../floor/verify.js";

const LINE = JSON.stringify({
  event: "interaction",
  interaction_id: "1574421247649906688",
  type: 2,
  route: "/ping",
  user_id: "400000000000000004",
  guild_id: "200000000000000002",
  outcome: "ok",
  handler_ms: 0,
});

export default {
  async fetch(request, env) {
    if (!(await verifiedBody(request, env))) return unauthorized();
    console.log(LINE);
    return json('{"type":1}');
  },
};
