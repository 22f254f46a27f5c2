/**
 * /admin stats | /admin feedback [limit]: what the bot has seen, behind the admin gate (middleware/admin-only.ts). A
 * server's Administrator sees that server's data only; the bot's operators (ADMIN_USER_IDS) see every server's.
 * Each answer names its scope, so nobody mistakes one server's numbers for the bot's.
 *
 * /admin stats defers: its job reads the usage counters (kit/analytics/) and D1 (feedback, installs, entitlements,
 * the chart cache), and has the backend draw the last 24 hours' traffic and errors (and, for operators, the time to
 * answer) as charts. The caller's scope is decided again inside the job from the interaction itself, so nothing the
 * job's input carries can widen it.
 */
import {
  adminScope,
  ephemeral,
  job,
  Limits,
  OptionType,
  Permission,
  readUsage,
  scopeGuild,
  SERVER_ONLY,
  slashCommand,
  type AdminScope,
  type BaseContext,
  type FinalMessage,
  type Subcommands,
  type TaskContext,
  type Translate,
} from "../../kit/index.ts";
import { adminOnly } from "../middleware/admin-only.ts";
import { countFeedback, latestFeedback, type FeedbackEntry } from "../storage/feedback.ts";
import { appEventStats, type AppEventStats } from "../storage/app-events.ts";
import { cacheLookups, type CacheLookups } from "../storage/chart-cache-stats.ts";
import { drawUsageCharts, hourlyUsage } from "../report/usage-charts.ts";

/** The window of the chart cache's hit rate, in UTC days (today included). */
const CACHE_STATS_DAYS = 7;
const DAY_MS = 86_400_000;

export const definition = slashCommand({
  name: "admin",
  name_localizations: { de: "admin", fr: "admin" },
  description: "Operator tools: usage statistics and the latest feedback",
  description_localizations: {
    de: "Werkzeuge für Betreiber: Nutzungsstatistik und das neueste Feedback",
    fr: "Outils d'exploitation : statistiques d'utilisation et derniers avis",
  },
  default_member_permissions: Permission.Administrator.toString(),
  // A server's data, gated by its Administrator permission: only where the server installed the app, in its channels.
  ...SERVER_ONLY,
  options: [
    {
      type: OptionType.Subcommand,
      name: "stats",
      description: "Interactions, feedback, installs and entitlements the bot has seen",
    },
    {
      type: OptionType.Subcommand,
      name: "feedback",
      description: "Read the latest feedback",
      options: [
        {
          type: OptionType.Integer,
          name: "limit",
          description: "How many (1-20, default 5)",
          min_value: 1,
          max_value: 20,
        },
      ],
    },
  ],
});

export const use = [adminOnly];

export const jobs = {
  stats: job<Record<string, never>>((_input, task) => stats(task)),
};

export const subcommands = {
  stats(ctx) {
    const access = storage(ctx);
    return typeof access === "string" ? ephemeral(access) : ctx.defer("stats", {}, { ephemeral: true });
  },
  async feedback(ctx) {
    const access = storage(ctx);
    if (typeof access === "string") return ephemeral(access);
    const { db, scope } = access;
    const limit = Math.min(20, Math.max(1, ctx.options.limit ?? 5));
    const entries = await latestFeedback(db, limit, scopeGuild(scope));
    const { t } = ctx;
    if (entries.length === 0) return ephemeral(t("feedbackNone", scopeLabel(t, scope)));
    const lines = entries.map(
      (e) =>
        `• <t:${Math.floor(e.createdAt / 1000)}:R> ${e.userId ? `<@${e.userId}>` : t("someone")}${tags(e)}: ${e.text.replace(/\s+/g, " ").slice(0, 300)}`,
    );
    let content = `${t("feedbackLatest", entries.length, scopeLabel(t, scope))}\n`;
    for (const line of lines) {
      if (content.length + line.length + 1 > Limits.content) break;
      content += line + "\n";
    }
    return ephemeral(content.trimEnd());
  },
} satisfies Subcommands<typeof definition, typeof jobs>;

/** The stats job: numbers over the usage counters' retention and the last 24 hours, and the 24 hours as charts. */
async function stats(task: TaskContext): Promise<FinalMessage> {
  const access = storage(task);
  if (typeof access === "string") return { data: { content: access } };
  const { db, scope } = access;
  const guildId = scopeGuild(scope);
  const now = Date.now();
  const lastDay = now - DAY_MS;
  const [usage, feedback, app, cache] = await Promise.all([
    // Hours: the window may be the whole retention, and a row per minute and route would be far more than needed.
    readUsage(task.env.USAGE, now - task.config.interactionRetentionDays * DAY_MS, now, 60, guildId),
    countFeedback(db, guildId),
    appEventStats(db, guildId, now),
    // The chart cache is shared by every server, so its hit rate is the bot's, not a server's: operators only.
    scope.kind === "all" ? cacheLookups(db, CACHE_STATS_DAYS, now) : null,
  ]);
  const total = usage.reduce((sum, row) => sum + row.n, 0);
  const hourly = hourlyUsage(usage, Math.ceil(lastDay / 3_600_000) * 3_600_000, 24);
  const inLastDay = usage.reduce((sum, row) => sum + (row.minute * 60_000 >= lastDay ? row.n : 0), 0);
  const { t } = task;
  const lines = [
    t("statsTitle", scopeLabel(t, scope)),
    t("statsInteractions", total, inLastDay),
    t("statsFeedback", feedback),
    ...appEventLines(t, app, scope),
  ];
  if (cache) lines.push(cacheHitRate(t, cache));
  const charts = await drawUsageCharts(task.config, hourly, `admin-${task.interaction.id}`, task.signal);
  for (const chart of charts) if ("missing" in chart) lines.push(`${chart.name}: chart missing, ${chart.missing}`);
  return {
    data: { content: lines.join("\n"), allowed_mentions: { parse: [] } },
    files: charts.flatMap((chart) => ("file" in chart ? [chart.file] : [])),
  };
}

/** The caller's scope (the gate already let them in) and the database, or the sentence saying what is missing. */
function storage({
  interaction,
  env,
  config,
  t,
}: Pick<BaseContext, "interaction" | "env" | "config" | "t">): { db: D1Database; scope: AdminScope } | string {
  const scope = adminScope(interaction, config);
  if (!scope) return t("adminDenied", "/admin");
  const db = env.DB;
  if (!db) return t("adminNoStorage");
  return { db, scope };
}

/** The category next to the text, and whether a screenshot came with it (by name: the URL is never stored). */
function tags({ category, fileName }: FeedbackEntry): string {
  return `${category ? ` [${category}]` : ""}${fileName ? ` 📎 \`${fileName.replace(/`/g, "'").slice(0, 60)}\`` : ""}`;
}

/** What webhook events recorded (POST /events): installs, removals, entitlements. */
function appEventLines(t: Translate, app: AppEventStats, scope: AdminScope): string[] {
  const lines =
    scope.kind === "all"
      ? [
          t("statsInstallsAll", app.installs, app.serverInstalls, app.userInstalls),
          t("statsRemovals", app.deauthorizations ?? 0),
        ]
      : [t("statsInstallsServer", app.installs)];
  lines.push(t("statsEntitlements", app.activeEntitlements));
  return lines;
}

function cacheHitRate(t: Translate, { hits, misses }: CacheLookups): string {
  const lookups = hits + misses;
  if (lookups === 0) return t("cacheNone", CACHE_STATS_DAYS);
  return t("cacheRate", Math.round((hits / lookups) * 100), hits, lookups, CACHE_STATS_DAYS);
}

function scopeLabel(t: Translate, scope: AdminScope): string {
  return t(scope.kind === "all" ? "scopeAll" : "scopeServer");
}
