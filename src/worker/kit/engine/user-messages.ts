/**
 * The one place that decides what a user reads when deferred work does not end as planned: the error of a job, the
 * text that replaces a result Discord refused, the status shown while the queue retries, the dead-letter message.
 * Everything else in the engine asks here.
 *
 * After a type-6 defer (`keepMessage`), @original is the message the component is on (e.g. a chart): the text
 * replaces only its text, so the user keeps what they had. After type 5 it replaces the "thinking…" message. On a
 * Components V2 message (`v2`) there is no text to replace, and content is refused: the text becomes its one text
 * display.
 */
import { ConfigError } from "../config.ts";
import { MessageFlags } from "../discord/responses.ts";
import type { FinalMessage, MessageData } from "../discord/messages.ts";
import type { Translate } from "../i18n/messages.ts";
import { platformTranslator } from "../i18n/translators.ts";
import { UnrunnableJobError, type UserFacingFacts } from "./errors.ts";

export function errorMessage(
  error: unknown,
  ref: string,
  timedOut: boolean,
  keepMessage: boolean,
  v2 = false,
  locale?: string | null,
): FinalMessage {
  const t = platformTranslator(locale);
  let text: string;
  const facts = error as UserFacingFacts | null;
  if (typeof facts?.userText === "function") text = (facts.userText as (t: Translate) => string)(t);
  else if (typeof facts?.userMessage === "string") text = facts.userMessage;
  else if (error instanceof ConfigError) text = t("jobNotSetUp");
  else if (error instanceof UnrunnableJobError) text = t("jobChanged");
  else if (timedOut) text = t("jobTimedOut");
  else text = t("jobFailed");
  return textMessage(t("withRef", text, ref), keepMessage, v2);
}

/** Discord refused the job's message (too large, invalid): the user is told rather than left waiting. */
export function fallbackMessage(ref: string, keepMessage: boolean, v2: boolean, locale?: string | null): FinalMessage {
  return textMessage(platformTranslator(locale)("resultRefused", ref), keepMessage, v2);
}

/**
 * The one status edit while the queue retries (issue 21), in the user's language. It never looks like a result: an
 * hourglass, what is happening, and when the final answer will come at the latest.
 */
export function statusMessage(
  locale: string | null | undefined,
  withinSeconds: number,
  keepMessage: boolean,
  v2: boolean,
): FinalMessage {
  return textMessage(
    platformTranslator(locale)("stillTrying", Math.max(1, Math.ceil(withinSeconds / 60))),
    keepMessage,
    v2,
  );
}

function textMessage(content: string, keepMessage: boolean, v2: boolean): FinalMessage {
  if (v2) return { data: { flags: MessageFlags.ComponentsV2, components: [{ type: 10, content }], attachments: [] } };
  return { data: keepMessage ? { content } : { content, embeds: [], components: [], attachments: [] } };
}

/** A handler's late answer that cannot be delivered after the auto-deferral (a modal, for one). */
export function lateAnswer(locale: string | null | undefined): MessageData {
  return { content: platformTranslator(locale)("lateAnswer"), flags: MessageFlags.Ephemeral };
}
