/**
 * Create Interaction Response over REST (POST /interactions/{id}/{token}/callback), for an answer whose result the
 * caller needs back: with `?with_response=true` Discord returns the interaction callback response — the message it
 * created (`resource.message`) or, for LAUNCH_ACTIVITY, the Activity instance (`resource.activity_instance`)
 * (discord.com/developers/docs/interactions/receiving-and-responding#create-interaction-response). It is the
 * interaction's one initial response, so it is for code that has not answered Discord's HTTP request with a body;
 * like every call to Discord here it has a deadline, and it needs no bot token (the interaction's token authorises it).
 */
import type { APIInteractionResponse, RESTPostAPIInteractionCallbackWithResponseResult } from "discord-api-types/v10";
import { USER_AGENT } from "./rest.ts";

const TIMEOUT_MS = 2_000;

/** Discord refused or did not answer the callback; `status` 0 for no answer. @public */
export class InteractionCallbackError extends Error {
  override readonly name = "InteractionCallbackError";
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

export async function createInteractionResponse(
  options: { readonly apiBase: string; readonly fetch?: typeof fetch; readonly timeoutMs?: number },
  interaction: { readonly id: string; readonly token: string },
  response: APIInteractionResponse,
): Promise<RESTPostAPIInteractionCallbackWithResponseResult> {
  const path = `/interactions/${interaction.id}/${encodeURIComponent(interaction.token)}/callback?with_response=true`;
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  let answer: Response;
  try {
    answer = await fetcher(options.apiBase + path, {
      method: "POST",
      headers: { "User-Agent": USER_AGENT, "Content-Type": "application/json" },
      body: JSON.stringify(response),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new InteractionCallbackError(
      `discord(callback): POST /interactions/${interaction.id}/:token/callback: ${(error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : "network error"}`,
      0,
    );
  }
  const text = await answer.text();
  if (!answer.ok)
    throw new InteractionCallbackError(
      `discord(callback): POST /interactions/${interaction.id}/:token/callback answered ${answer.status}: ${text.slice(0, 200)}`,
      answer.status,
    );
  return JSON.parse(text) as RESTPostAPIInteractionCallbackWithResponseResult;
}
