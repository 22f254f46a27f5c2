/**
 * Mentions in what the bot says ping no one unless the handler says who may be pinged. Bots echo user text
 * (chart titles, feedback, message content), and Discord parses every `@everyone`, role and user mention in
 * `content` unless `allowed_mentions` narrows it. So every message the bot sends gets `{parse: []}`: the initial
 * answer (the dispatcher applies it to whatever a handler returns) and everything sent later through the REST
 * client (final edits, progress edits, follow-ups). A handler opts in by setting `allowed_mentions` itself, e.g.
 * `{ users: [userId] }` or `{ parse: ["users"] }`; that value is sent as it is.
 */

/** `data` with `allowed_mentions: {parse: []}` unless it says otherwise; the same object when it does. */
export function withDefaultMentions<T extends object>(data: T): T {
  return "allowed_mentions" in data && (data as { allowed_mentions?: unknown }).allowed_mentions !== undefined
    ? data
    : { ...data, allowed_mentions: { parse: [] } };
}
