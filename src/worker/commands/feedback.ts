/**
 * /feedback: opens a form (type 9); the submit thanks the user at once and stores the text in D1 after the
 * response, once per interaction id.
 */
import { slashCommand } from "../dispatch/definitions.ts";
import type { CommandContext, HandlerResult, ModalContext } from "../dispatch/types.ts";
import { labelled, textInput, TextInputStyle } from "../discord/components.ts";
import { ephemeral, modal as modalResponse } from "../discord/responses.ts";
import { saveFeedback } from "../storage/feedback.ts";
import { log } from "../log.ts";
const MAX_FEEDBACK_LENGTH = 1000;

const FIELD = "text";
/** The form's version in its custom_id: a submit of an older form is refused instead of misread. */
const FORM_VERSION = "v1";

export const definition = slashCommand({
  name: "feedback",
  description: "Tell the bot's operators what you think",
});

export function command({ customId }: CommandContext<typeof definition>): HandlerResult {
  return modalResponse({
    custom_id: customId(FORM_VERSION),
    title: "Feedback",
    components: [
      labelled(
        "Your feedback",
        textInput({ customId: FIELD, style: TextInputStyle.Paragraph, minLength: 1, maxLength: MAX_FEEDBACK_LENGTH, required: true, placeholder: "What works, what doesn't, what you'd like…" }),
        `Up to ${MAX_FEEDBACK_LENGTH} characters. Operators read every message.`,
      ),
    ],
  });
}

export function modal({ fields, interaction, env, id, after }: ModalContext): HandlerResult {
  if (id.state !== FORM_VERSION) return ephemeral("This form is out of date. Run `/feedback` again.");
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
