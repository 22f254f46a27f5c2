/**
 * The benchmark floor: the least a correct Discord interactions endpoint must do. It imports the public
 * key once per isolate (a cached promise), verifies Ed25519 over `timestamp + raw body`, answers 401 on
 * any failure and `{"type":1}` otherwise. No routing, no JSON parse, no skew check, no logging: whatever
 * our Worker spends beyond this is the cost of its own features.
 */
import { json, unauthorized, verifiedBody } from "./verify.js";

const PONG = '{"type":1}';

export default {
  async fetch(request, env) {
    return (await verifiedBody(request, env)) ? json(PONG) : unauthorized();
  },
};
