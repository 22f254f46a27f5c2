/**
 * /admin stats | /admin feedback [limit]: views over D1, behind the admin gate (middleware/admin-only.ts). A
 * server's Administrator sees that server's data only; the bot's operators (ADMIN_USER_IDS) see every server's.
 * Each answer names its scope, so nobody mistakes one server's numbers for the bot's.
 */
import { adminScope, countInteractions, ephemeral, Limits, OptionType, Permission, scopeGuild, SERVER_ONLY, slashCommand, type AdminScope, type BaseContext, type ImmediateResponse, type Subcommands } from "../../kit/index.ts";
import { adminOnly } from "../middleware/admin-only.ts";
import { countFeedback, latestFeedback, type FeedbackEntry } from "../storage/feedback.ts";
import { appEventStats, type AppEventStats } from "../storage/app-events.ts";
import { cacheLookups, type CacheLookups } from "../storage/chart-cache-stats.ts";

/** The window of the chart cache's hit rate, in UTC days (today included). */
const CACHE_STATS_DAYS = 7;

export const definition = slashCommand({
  name: "admin",
  name_localizations: { de: "admin", fr: "admin" },
  description: "Operator tools: usage statistics and the latest feedback",
  description_localizations: { de: "Werkzeuge für Betreiber: Nutzungsstatistik und das neueste Feedback", fr: "Outils d'exploitation : statistiques d'utilisation et derniers avis" },
  default_member_permissions: Permission.Administrator.toString(),
  // A server's data, gated by its Administrator permission: only where the server installed the app, in its channels.
  ...SERVER_ONLY,
  options: [
    { type: OptionType.Subcommand, name: "stats", description: "Interactions, feedback, installs and entitlements the bot has seen" },
    {
      type: OptionType.Subcommand,
      name: "feedback",
      description: "Read the latest feedback",
      options: [{ type: OptionType.Integer, name: "limit", description: "How many (1-20, default 5)", min_value: 1, max_value: 20 }],
    },
  ],
});

export const use = [adminOnly];

export const subcommands = {
  async stats(ctx) {
    const access = storage(ctx);
    if ("type" in access) return access;
    const { db, scope } = access;
    const guildId = scopeGuild(scope);
    const now = Date.now();
    const [total, lastDay, feedback, app, cache] = await Promise.all([
      countInteractions(db, { guildId }),
      countInteractions(db, { guildId, sinceMs: now - 86_400_000 }),
      countFeedback(db, guildId),
      appEventStats(db, guildId, now),
      // The chart cache is shared by every server, so its hit rate is the bot's, not a server's: operators only.
      scope.kind === "all" ? cacheLookups(db, CACHE_STATS_DAYS, now) : null,
    ]);
    const lines = [`**Stats** (${scopeLabel(scope)})`, `Interactions: ${total} (${lastDay} in the last 24 h)`, `Feedback messages: ${feedback}`, ...appEventLines(app, scope)];
    if (cache) lines.push(cacheHitRate(cache));
    return ephemeral(lines.join("\n"));
  },
  async feedback(ctx) {
    const access = storage(ctx);
    if ("type" in access) return access;
    const { db, scope } = access;
    const limit = Math.min(20, Math.max(1, ctx.options.limit ?? 5));
    const entries = await latestFeedback(db, limit, scopeGuild(scope));
    if (entries.length === 0) return ephemeral(`No feedback yet (${scopeLabel(scope)}).`);
    const lines = entries.map((e) => `• <t:${Math.floor(e.createdAt / 1000)}:R> ${e.userId ? `<@${e.userId}>` : "someone"}${tags(e)}: ${e.text.replace(/\s+/g, " ").slice(0, 300)}`);
    let content = `**Latest feedback** (${entries.length}; ${scopeLabel(scope)})\n`;
    for (const line of lines) {
      if (content.length + line.length + 1 > Limits.content) break;
      content += line + "\n";
    }
    return ephemeral(content.trimEnd());
  },
} satisfies Subcommands<typeof definition>;

/** The caller's scope (the gate already let them in) and the database, or the answer saying what is missing. */
function storage({ interaction, env, config }: BaseContext): { db: D1Database; scope: AdminScope } | ImmediateResponse {
  const scope = adminScope(interaction, config);
  if (!scope) return ephemeral("You don't have permission to use `/admin`.");
  const db = env.DB;
  if (!db) return ephemeral("Storage (D1 binding `DB`) is not configured on this bot.");
  return { db, scope };
}

/** The category next to the text, and whether a screenshot came with it (by name: the URL is never stored). */
function tags({ category, fileName }: FeedbackEntry): string {
  return `${category ? ` [${category}]` : ""}${fileName ? ` 📎 \`${fileName.replace(/`/g, "'").slice(0, 60)}\`` : ""}`;
}

/** What webhook events recorded (POST /events): installs, removals, entitlements. */
function appEventLines(app: AppEventStats, scope: AdminScope): string[] {
  const lines = scope.kind === "all"
    ? [`App installs received: ${app.installs} (${app.serverInstalls} to servers, ${app.userInstalls} to user accounts)`, `Removals (deauthorizations): ${app.deauthorizations ?? 0}`]
    : [`App installs to this server received: ${app.installs}`];
  lines.push(`Active entitlements: ${app.activeEntitlements}`);
  return lines;
}

function cacheHitRate({ hits, misses }: CacheLookups): string {
  const lookups = hits + misses;
  if (lookups === 0) return `Chart cache: no lookups in the last ${CACHE_STATS_DAYS} days`;
  return `Chart cache: ${Math.round((hits / lookups) * 100)}% hits (${hits} of ${lookups} lookups in the last ${CACHE_STATS_DAYS} days)`;
}

function scopeLabel(scope: AdminScope): string {
  return scope.kind === "all" ? "scope: all servers, as an operator" : "scope: this server only";
}
