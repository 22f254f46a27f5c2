/**
 * The benchmark floor: the least a correct Discord interactions endpoint must do. It imports the public
 * key once per isolate (a cached promise), verifies Ed25519 over `timestamp + raw body`, answers 401 on
 * any failure and `{"type":1}` otherwise. No routing, no JSON parse, no skew check, no logging: whatever
 * our Worker spends beyond this is the cost of its own features.
 */
const encoder = new TextEncoder();
const PONG = '{"type":1}';
let keyPromise;

function publicKey(hex) {
  if (!keyPromise) {
    keyPromise = crypto.subtle.importKey("raw", fromHex(hex), { name: "Ed25519" }, false, ["verify"]);
    keyPromise.catch(() => (keyPromise = undefined));
  }
  return keyPromise;
}

function fromHex(hex) {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

export default {
  async fetch(request, env) {
    const signature = request.headers.get("X-Signature-Ed25519");
    const timestamp = request.headers.get("X-Signature-Timestamp");
    const body = new Uint8Array(await request.arrayBuffer());
    if (!signature || !timestamp || signature.length !== 128) return new Response("invalid request signature", { status: 401 });
    const prefix = encoder.encode(timestamp);
    const message = new Uint8Array(prefix.length + body.length);
    message.set(prefix);
    message.set(body, prefix.length);
    let valid = false;
    try {
      valid = await crypto.subtle.verify("Ed25519", await publicKey(env.DISCORD_PUBLIC_KEY), fromHex(signature), message);
    } catch {
      valid = false;
    }
    if (!valid) return new Response("invalid request signature", { status: 401 });
    return new Response(PONG, { headers: { "Content-Type": "application/json" } });
  },
};
