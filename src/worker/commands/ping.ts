/** /ping: a liveness check that also tells where it ran and how long Discord took to reach us. */
import { reply } from "../discord/responses.ts";
import { snowflakeTime } from "../discord/snowflake.ts";
import { slashCommand } from "../dispatch/definitions.ts";
import type { CommandContext, HandlerResult } from "../dispatch/types.ts";

export const definition = slashCommand({
  name: "ping",
  description: "Check that the bot is up, where it answered from, and how fast Discord reached it",
});

export function command({ interaction, request }: CommandContext<typeof definition>): HandlerResult {
  const colo = (request.cf as { colo?: unknown } | undefined)?.colo;
  const parts = ["🏓 Pong!"];
  if (typeof colo === "string" && colo) parts.push(`Answered at the edge in **${colo}**.`);
  const created = snowflakeTime(interaction.id);
  if (created !== null) {
    const transit = Date.now() - created;
    // Clock skew can make this negative or absurd for hand-made ids; only show plausible values.
    if (transit >= 0 && transit < 60_000) parts.push(`Discord → Worker: ${transit} ms.`);
  }
  return reply(parts.join(" "));
}
