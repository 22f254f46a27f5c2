/**
 * /admin stats | /admin feedback [limit]: views over D1. default_member_permissions hides the command from
 * non-admins in Discord's UI, but guild admins can change that, so every call checks again. A server's
 * Administrator sees that server's data only; the bot's operators (ADMIN_USER_IDS) see every server's. Each
 * answer names its scope, so nobody mistakes one server's numbers for the bot's.
 */
import type { CommandContext, CommandDefinition, HandlerResult } from "../dispatch/types.ts";
import { OptionType } from "../dispatch/options.ts";
import { ephemeral, Limits } from "../discord/responses.ts";
import { adminScope, Permission, scopeGuild, type AdminScope } from "../discord/permissions.ts";
import { countFeedback, latestFeedback } from "../storage/feedback.ts";
import { countInteractions } from "../storage/interaction-claims.ts";

export const definition = {
  name: "admin",
  description: "Operator tools: usage statistics and the latest feedback",
  default_member_permissions: Permission.Administrator.toString(),
  options: [
    { type: OptionType.Subcommand, name: "stats", description: "How many interactions and feedback messages the bot has seen" },
    {
      type: OptionType.Subcommand,
      name: "feedback",
      description: "Read the latest feedback",
      options: [{ type: OptionType.Integer, name: "limit", description: "How many (1-20, default 5)", min_value: 1, max_value: 20 }],
    },
  ],
} satisfies CommandDefinition;

export async function command({ interaction, options, env }: CommandContext): Promise<HandlerResult> {
  const scope = adminScope(interaction, env);
  if (!scope) {
    return ephemeral("You don't have permission to use `/admin`: it needs the Administrator permission (or an operator listing your user id in ADMIN_USER_IDS).");
  }
  const db = env.DB;
  if (!db) return ephemeral("Storage (D1 binding `DB`) is not configured on this bot.");
  const guildId = scopeGuild(scope);
  switch (options.subcommand) {
    case "stats": {
      const dayAgo = Date.now() - 86_400_000;
      const [total, lastDay, feedback] = await Promise.all([
        countInteractions(db, { guildId }),
        countInteractions(db, { guildId, sinceMs: dayAgo }),
        countFeedback(db, guildId),
      ]);
      return ephemeral(`**Stats** (${scopeLabel(scope)})\nInteractions: ${total} (${lastDay} in the last 24 h)\nFeedback messages: ${feedback}`);
    }
    case "feedback": {
      const limit = Math.min(20, Math.max(1, options.integer("limit") ?? 5));
      const entries = await latestFeedback(db, limit, guildId);
      if (entries.length === 0) return ephemeral(`No feedback yet (${scopeLabel(scope)}).`);
      const lines = entries.map((e) => `• <t:${Math.floor(e.createdAt / 1000)}:R> ${e.userId ? `<@${e.userId}>` : "someone"}: ${e.text.replace(/\s+/g, " ").slice(0, 300)}`);
      let content = `**Latest feedback** (${entries.length}; ${scopeLabel(scope)})\n`;
      for (const line of lines) {
        if (content.length + line.length + 1 > Limits.content) break;
        content += line + "\n";
      }
      return ephemeral(content.trimEnd());
    }
    default:
      return ephemeral("Use `/admin stats` or `/admin feedback`.");
  }
}

function scopeLabel(scope: AdminScope): string {
  return scope.kind === "all" ? "scope: all servers, as an operator" : "scope: this server only";
}
