/** /ping: a liveness check that also tells where it ran and how long Discord took to reach us. */
import {
  EVERYWHERE,
  reply,
  slashCommand,
  snowflakeTime,
  type CommandContext,
  type HandlerResult,
} from "../../kit/index.ts";

export const definition = slashCommand({
  name: "ping",
  name_localizations: { de: "ping", fr: "ping" },
  description: "Check that the bot is up, where it answered from, and how fast Discord reached it",
  description_localizations: {
    de: "Prüfen, ob der Bot läuft, wo er geantwortet hat und wie schnell Discord ihn erreicht hat",
    fr: "Vérifier que le bot répond, d'où il a répondu et en combien de temps Discord l'a joint",
  },
  // Works anywhere: servers, the bot's DM and group DMs, installed by a server or by a user.
  ...EVERYWHERE,
});

export function command({ interaction, request, t }: CommandContext<typeof definition>): HandlerResult {
  const colo = (request.cf as { colo?: unknown } | undefined)?.colo;
  const parts = [t("pong")];
  if (typeof colo === "string" && colo) parts.push(t("answeredAt", colo));
  const created = snowflakeTime(interaction.id);
  if (created !== null) {
    const transit = Date.now() - created;
    // Clock skew can make this negative or absurd for hand-made ids; only show plausible values.
    if (transit >= 0 && transit < 60_000) parts.push(t("transit", transit));
  }
  return reply(parts.join(" "));
}
