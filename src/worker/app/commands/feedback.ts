/**
 * /feedback: opens a form (type 9) with the text, a category (radio group) and an optional screenshot (file
 * upload); the submit thanks the user at once and stores the text, the category and the upload's filename (never
 * its signed URL) in D1 after the response, once per interaction id.
 */
import {
  ephemeral,
  EVERYWHERE,
  fileUpload,
  labelled,
  log,
  modalForm,
  radioGroup,
  showModal,
  slashCommand,
  textInput,
  TextInputStyle,
  type CommandContext,
  type HandlerResult,
  type ModalContext,
  type Translate,
} from "../../kit/index.ts";
import { saveFeedback } from "../storage/feedback.ts";
const MAX_FEEDBACK_LENGTH = 1000;

/** The form's version in its custom_id: a submit of an older form is refused instead of misread. */
const FORM_VERSION = "v1";

/** The form, in the user's language (its keys and inputs are the same in every language: `read` works with any). */
const formIn = (t: Translate) =>
  modalForm({
    text: labelled(
      t("feedbackTextLabel"),
      textInput({
        style: TextInputStyle.Paragraph,
        minLength: 1,
        maxLength: MAX_FEEDBACK_LENGTH,
        required: true,
        placeholder: t("feedbackTextPlaceholder"),
      }),
      t("feedbackTextHint", MAX_FEEDBACK_LENGTH),
    ),
    category: labelled(
      t("feedbackCategory"),
      radioGroup({
        options: [
          { value: "bug", label: t("feedbackBug") },
          { value: "idea", label: t("feedbackIdea") },
          { value: "other", label: t("feedbackOther") },
        ],
      }),
    ),
    screenshot: labelled(
      t("feedbackScreenshot"),
      fileUpload({ required: false, maxValues: 1, fileTypes: ["image"] }),
      t("feedbackScreenshotHint"),
    ),
  });

export const definition = slashCommand({
  name: "feedback",
  name_localizations: { de: "rückmeldung", fr: "avis" },
  description: "Tell the bot's operators what you think",
  description_localizations: {
    de: "Den Betreibern des Bots sagen, was du denkst",
    fr: "Dire aux opérateurs du bot ce que vous en pensez",
  },
  // Feedback is about the bot, not a server: anyone who can run it may send it, from anywhere (stored with a
  // null guild outside servers).
  ...EVERYWHERE,
});

export function command({ customId, t }: CommandContext<typeof definition>): HandlerResult {
  return showModal({ custom_id: customId(FORM_VERSION), title: t("feedbackTitle"), components: formIn(t).components });
}

export function modal({ fields, interaction, env, id, after, t }: ModalContext): HandlerResult {
  const values = id.state === FORM_VERSION ? formIn(t).read(fields) : null;
  if (!values) return ephemeral(t("feedbackOutdated"));
  const text = values.text.trim();
  if (text.length === 0) return ephemeral(t("feedbackEmpty"));
  if (text.length > MAX_FEEDBACK_LENGTH) return ephemeral(t("feedbackTooLong", text.length, MAX_FEEDBACK_LENGTH));
  const db = env.DB;
  if (!db) {
    log("config.missing", {
      route: "feedback:",
      level: "error",
      error: "feedback: the D1 binding DB is not configured",
    });
    return ephemeral(t("feedbackNoStorage"));
  }
  const fileName = values.screenshot[0]?.filename.slice(0, 200) ?? null;
  after("feedback.save", async () => {
    await saveFeedback(db, {
      interactionId: interaction.id,
      userId: interaction.user?.id ?? null,
      guildId: interaction.guildId,
      text,
      category: values.category,
      fileName,
      createdAt: Date.now(),
    });
  });
  return ephemeral(t("feedbackThanks", fileName !== null));
}
