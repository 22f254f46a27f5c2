/** The one log line per interaction, as an after-step every interaction passes (listed in src/worker/index.ts). */
import { defineMiddleware, errorFields, log, type LogFields } from "../../kit/index.ts";

export const interactionLog = defineMiddleware({
  name: "interaction-log",
  after({ interaction, dispatched, handlerMs, ackLateMs }) {
    const fields: LogFields = {
      interaction_id: interaction.id,
      type: interaction.type,
      route: dispatched.route,
      user_id: interaction.user?.id ?? null,
      guild_id: interaction.guildId,
      outcome: dispatched.outcome,
      handler_ms: handlerMs,
      // Only when the answer left late (src/worker/kit/engine/ack-watch.ts); JSON drops it otherwise.
      ack_late_ms: ackLateMs,
    };
    if (dispatched.answeredBy) fields.answered_by = dispatched.answeredBy;
    if (dispatched.deferred) fields.job = dispatched.deferred.job;
    if (dispatched.ref) {
      fields.ref = dispatched.ref;
      fields.level = "error";
    }
    if (dispatched.error !== undefined) Object.assign(fields, errorFields(dispatched.error));
    log("interaction", fields);
  },
});
