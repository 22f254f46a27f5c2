/**
 * The bot's message catalogue, merged with the platform's own sentences by the registry (src/worker/index.ts hands
 * it over): `ctx.t("pong")` in a handler, `task.t(...)` in a job. English is here; German and French are modules of
 * their own in translations/. English is the reference: a key missing in German or French, or one with other
 * parameters, is a compile error, and so is a call of `t` with an unknown key or the wrong arguments (the `Register`
 * declaration below tells the platform its type).
 */
import { defineMessages, type Translation } from "../../kit/index.ts";

export const messages = defineMessages(
  {
    pong: "🏓 Pong!",
    answeredAt: (colo: string) => `Answered at the edge in **${colo}**.`,
    transit: (ms: number) => `Discord → Worker: ${ms} ms.`,
    rateLimited: (route: string | null, seconds: number) =>
      `You're using \`${route}\` faster than I can keep up. Please try again in about ${seconds} seconds.`,
    chartOneSource:
      "Give me exactly one of `values` (numbers like `3,5,8`) or `file` (a CSV), not both and not neither.",
    chartTitleLong: (length: number, max: number) => `\`title\` is ${length} characters; the limit is ${max}.`,
    chartFileLarge: (kib: number) => `\`file\` is ${kib} KiB; the limit is 1 MiB.`,
    chartNotCsv: (name: string) => `\`file\` should be a CSV (.csv or .txt); \`${name}\` is not.`,
    chartBadButton: "This button is not one of mine (its data is malformed), so I ignored it.",
    chartExpired: "This chart's data has expired, so it cannot be redrawn. Run `/chart` again.",
    valuesEmpty: 'values: no numbers found — give numbers separated by commas, e.g. "3, 5, 8"',
    valuesTooMany: (count: number, max: number) =>
      `values: ${count} numbers given; the limit is ${max} — attach a CSV file for more`,
    valuesNoLabel: (entry: string, position: number) =>
      `values: ${entry} at position ${position} has no label before "="`,
    valuesBad: (value: string, position: number, problem: string) =>
      `values: ${value} at position ${position} ${problem}`,
    notANumber: "is not a number",
    notANumberHint: "is not a number (separate numbers with commas)",
    tooLarge: (max: string) => `is too large to chart: the largest size is ${max} (scale the data to a larger unit)`,
    tooSmall: (min: string) =>
      `is too close to zero to chart: give 0 or a number of size ${min} or more (scale the data to a smaller unit)`,
    numbersCannotChart: (problem: string) => `I cannot chart that message's numbers: ${problem}`,
    numbersTooFew: (count: number) =>
      `That message has ${count === 0 ? "no numbers" : "only one number"}, so there is nothing to chart. Pick a message with at least two numbers (like "3, 5, 8").`,
    chartsUnavailable:
      "Charts are not available on this bot yet: its backend is not configured. The operator has been told.",
    adminDenied: (route: string) =>
      `You don't have permission to use \`${route}\`: it needs the Administrator permission (or an operator listing your user id in ADMIN_USER_IDS).`,
    adminNoStorage: "Storage (D1 binding `DB`) is not configured on this bot.",
    scopeAll: "scope: all servers, as an operator",
    scopeServer: "scope: this server only",
    statsTitle: (scope: string) => `**Stats** (${scope})`,
    statsInteractions: (total: number, lastDay: number) => `Interactions: ${total} (${lastDay} in the last 24 h)`,
    statsFeedback: (count: number) => `Feedback messages: ${count}`,
    statsInstallsAll: (installs: number, servers: number, users: number) =>
      `App installs received: ${installs} (${servers} to servers, ${users} to user accounts)`,
    statsRemovals: (count: number) => `Removals (deauthorizations): ${count}`,
    statsInstallsServer: (installs: number) => `App installs to this server received: ${installs}`,
    statsEntitlements: (count: number) => `Active entitlements: ${count}`,
    cacheNone: (days: number) => `Chart cache: no lookups in the last ${days} days`,
    cacheRate: (percent: number, hits: number, lookups: number, days: number) =>
      `Chart cache: ${percent}% hits (${hits} of ${lookups} lookups in the last ${days} days)`,
    feedbackNone: (scope: string) => `No feedback yet (${scope}).`,
    feedbackLatest: (count: number, scope: string) => `**Latest feedback** (${count}; ${scope})`,
    someone: "someone",
    premiumNeeded: (what: string, route: string) =>
      `${what} is a premium feature of \`${route}\`. Get premium with the button below, then run the command again; everything else stays free.`,
    helpTitle: "Commands",
    helpFooter: "`/help command:<name>` explains one command and its options.",
    helpUnknown: (name: string) =>
      `There is no command named \`${name}\`. Run \`/help\` without an argument to see them all.`,
    pollRefused: (problem: string) => `I could not make that poll: ${problem}.`,
    rollCount: (times: number) => `That was ${times} rolls.`,
    rollSaved: (name: string) => `Saved as "${name}".`,
    // The README's /remind example ("Adding a command": how a module's sentences join the catalogue).
    remindNone: "No reminders yet.",
    remindSnoozed: (minutes: string) => `Snoozed for ${minutes} minutes.`,
    // Labels, titles and placeholders the bot shows (buttons, forms, the chart's embed), and the skipped-rows note.
    chartTitle: "Chart",
    chartPoints: "Points",
    chartMin: "Min",
    chartMax: "Max",
    chartMean: "Mean",
    chartFirstLast: "First → last",
    chartLine: "Line",
    chartBar: "Bar",
    chartFooter: (line: boolean): string => (line ? "line chart" : "bar chart"),
    chartAlt: (line: boolean, count: number) => `${line ? "line" : "bar"} chart of ${count} points`,
    skippedRows: (total: number, lines: string, more: number) =>
      `I skipped ${total} row${total === 1 ? "" : "s"} of your file:\n${lines}${more > 0 ? `\n…and ${more} more.` : ""}`,
    skippedLine: (line: number, reason: string) => `• line ${line}: ${reason}`,
    feedbackTitle: "Feedback",
    feedbackTextLabel: "Your feedback",
    feedbackTextPlaceholder: "What works, what doesn't, what you'd like…",
    feedbackTextHint: (max: number) => `Up to ${max} characters. Operators read every message.`,
    feedbackCategory: "Category",
    feedbackBug: "Bug",
    feedbackIdea: "Idea",
    feedbackOther: "Other",
    feedbackScreenshot: "Screenshot",
    feedbackScreenshotHint: "Optional: an image of what you mean.",
    helpOptional: "optional",
    helpUserMenu: "user menu",
    helpMessageMenu: "message menu",
    rollAgain: "Again",
    rollNameIt: "Name it",
    rollNameTitle: "Name this roll",
    rollName: "Name",
    feedbackOutdated: "This form is out of date. Run `/feedback` again.",
    feedbackEmpty: "Your feedback was empty, so nothing was saved. Run `/feedback` to try again.",
    feedbackTooLong: (length: number, max: number) =>
      `Your feedback is ${length} characters; the limit is ${max}. Nothing was saved.`,
    feedbackNoStorage: "Feedback storage is not set up on this bot, so nothing was saved. The operator has been told.",
    feedbackThanks: (screenshot: boolean) =>
      `Thanks! Your feedback was received. 💌${screenshot ? " (with your screenshot)" : ""}`,
  },
  {
    // Each translation is a module of its own, loaded the first time a user in that language needs it (the kit's
    // i18n/messages.ts says why), named by its path under src/worker/. Adding a language: its file in translations/
    // (declaring `@type {import("../messages.ts").BotTranslation}`) and one line here.
    de: "app/i18n/translations/de.js",
    fr: "app/i18n/translations/fr.js",
  },
);

/** What a translation of this catalogue must be: exactly English's keys, each with its parameters. */
export type BotTranslation = Translation<typeof messages.en>;

declare module "../../kit/index.ts" {
  interface Register {
    messages: typeof messages;
  }
}
