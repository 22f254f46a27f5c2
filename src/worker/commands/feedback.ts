/**
 * /feedback: opens a form (type 9); the submit thanks the user at once and stores the text in D1 after the
 * response, once per interaction id.
 */
import { customId } from "../dispatch/custom-id.ts";
import type { CommandContext, CommandDefinition, HandlerResult, ModalContext } from "../dispatch/types.ts";
import { ephemeral, modal } from "../discord/responses.ts";
import { saveFeedback } from "../storage/feedback.ts";
import { log } from "../log.ts";

export const MAX_FEEDBACK_LENGTH = 1000;
const FIELD = "text";

export const definition = {
  name: "feedback",
  description: "Tell the bot's operators what you think",
} satisfies CommandDefinition;

export function command(): HandlerResult {
  return modal({
    custom_id: customId("feedback", "v1"),
    title: "Feedback",
    components: [
      {
        type: 18,
        label: "Your feedback",
        description: `Up to ${MAX_FEEDBACK_LENGTH} characters. Operators read every message.`,
        component: { type: 4, custom_id: FIELD, style: 2, min_length: 1, max_length: MAX_FEEDBACK_LENGTH, required: true, placeholder: "What works, what doesn't, what you'd like…" },
      },
    ],
  });
}


export { submit as modal };

function submit({ fields, interaction, env, customId: id, after }: ModalContext): HandlerResult {
  if (id.state !== "v1") return ephemeral("This form is out of date. Run `/feedback` again.");
  const text = fields.get(FIELD)?.trim() ?? "";
  if (text.length === 0) return ephemeral("Your feedback was empty, so nothing was saved. Run `/feedback` to try again.");
  if (text.length > MAX_FEEDBACK_LENGTH) return ephemeral(`Your feedback is ${text.length} characters; the limit is ${MAX_FEEDBACK_LENGTH}. Nothing was saved.`);
  const db = env.DB;
  if (!db) {
    log("config.missing", { route: "feedback:", level: "error", error: "feedback: the D1 binding DB is not configured" });
    return ephemeral("Feedback storage is not set up on this bot, so nothing was saved. The operator has been told.");
  }
  after("feedback.save", async () => {
    await saveFeedback(db, { interactionId: interaction.id, userId: interaction.user?.id ?? null, guildId: interaction.guildId, text, createdAt: Date.now() });
  });
  return ephemeral("Thanks! Your feedback was received. 💌");
}
