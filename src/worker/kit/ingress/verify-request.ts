/**
 * The ingress rules every Discord-signed endpoint shares (POST /interactions and POST /events: Discord signs
 * webhook events exactly as it signs interactions, https://discord.com/developers/docs/events/webhook-events
 * "Security"): a checked config (else 503 naming the problem), the 1 MiB body cap (413), then the Ed25519
 * signature over timestamp + raw body (401). Each handler runs the same three steps with these functions:
 *
 *   const config = configOrReject(env, "…");  if (config instanceof Response) return config;
 *   const body = await readLimitedBody(request);  if (!body.ok) return tooLarge();
 *   const failure = await verifySignature(request, config, body.bytes);  if (failure) return badSignature(failure);
 *
 * rather than through one async wrapper: that would add a promise and an await to every interaction's hot path.
 */
import { ConfigError, readConfig, type Config } from "../config.ts";
import type { Env } from "../env.ts";
import { errorResponse } from "../http.ts";
import { log } from "../log.ts";
import { verifyDiscordRequest, type SignatureFailure } from "./discord-signature.ts";
import { MAX_BODY_BYTES } from "./read-body.ts";

/** The checked config, or a 503 saying what is misconfigured (nothing signed can be verified without it). */
export function configOrReject(env: Env, what: string): Config | Response {
  try {
    return readConfig(env);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String(error);
    log("ingress.config_error", { level: "error", error: message });
    return errorResponse(503, "misconfigured", `${message}. ${what} cannot be verified until this is fixed.`);
  }
}

export function tooLarge(): Response {
  return reject(413, "payload_too_large", `body exceeds ${MAX_BODY_BYTES} bytes`);
}

/** Discord's signature headers checked against the raw body; null when genuine. */
export function verifySignature(request: Request, config: Config, body: Uint8Array): Promise<SignatureFailure | null> {
  return verifyDiscordRequest(
    config.publicKeyHex,
    config.publicKey,
    request.headers.get("X-Signature-Ed25519"),
    request.headers.get("X-Signature-Timestamp"),
    body,
  );
}

export function badSignature(failure: SignatureFailure): Response {
  return reject(401, "invalid_request_signature", failure.replaceAll("_", " "));
}

export function reject(status: number, code: string, reason: string): Response {
  log("ingress.rejected", { status, code, reason });
  return errorResponse(status, code, reason);
}
