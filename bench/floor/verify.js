/**
 * The floor's verification, shared with the reference Workers (bench/reference/) so that all of them verify
 * exactly alike: the public key imported once per isolate (a cached promise), Ed25519 over
 * `timestamp + raw body`. Returns the raw body when the request is genuine, or null.
 */
const encoder = new TextEncoder();
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

export async function verifiedBody(request, env) {
  const signature = request.headers.get("X-Signature-Ed25519");
  const timestamp = request.headers.get("X-Signature-Timestamp");
  const body = new Uint8Array(await request.arrayBuffer());
  if (!signature || !timestamp || signature.length !== 128) return null;
  const prefix = encoder.encode(timestamp);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  try {
    return (await crypto.subtle.verify("Ed25519", await publicKey(env.DISCORD_PUBLIC_KEY), fromHex(signature), message))
      ? body
      : null;
  } catch {
    return null;
  }
}

export const unauthorized = () => new Response("invalid request signature", { status: 401 });
export const json = (text) => new Response(text, { headers: { "Content-Type": "application/json" } });
