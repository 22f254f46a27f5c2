/**
 * The bot's message catalogue (English, German, French), merged with the platform's own sentences by the registry
 * (src/worker/index.ts hands it over): `ctx.t("pong")` in a handler, `task.t(...)` in a job. English is the
 * reference: a key missing in German or French, or one with other parameters, is a compile error, and so is a call
 * of `t` with an unknown key or the wrong arguments (the `Register` declaration below tells the platform its type).
 */
import { defineMessages } from "../../kit/index.ts";

export const messages = defineMessages(
  {
    pong: "🏓 Pong!",
    answeredAt: (colo: string) => `Answered at the edge in **${colo}**.`,
    transit: (ms: number) => `Discord → Worker: ${ms} ms.`,
    rateLimited: (route: string | null, seconds: number) => `You're using \`${route}\` faster than I can keep up. Please try again in about ${seconds} seconds.`,
    chartOneSource: "Give me exactly one of `values` (numbers like `3,5,8`) or `file` (a CSV), not both and not neither.",
    chartTitleLong: (length: number, max: number) => `\`title\` is ${length} characters; the limit is ${max}.`,
    chartFileLarge: (kib: number) => `\`file\` is ${kib} KiB; the limit is 1 MiB.`,
    chartNotCsv: (name: string) => `\`file\` should be a CSV (.csv or .txt); \`${name}\` is not.`,
    chartBadButton: "This button is not one of mine (its data is malformed), so I ignored it.",
    chartExpired: "This chart's data has expired, so it cannot be redrawn. Run `/chart` again.",
  },
  {
    // Translations say the same as English, shorter where English explains at length: every byte here ships in the
    // Worker, whose bundle has a size budget.
    de: {
      pong: "🏓 Pong!",
      answeredAt: (colo) => `Geantwortet am Edge-Standort **${colo}**.`,
      transit: (ms) => `Von Discord zum Worker: ${ms} ms.`,
      rateLimited: (route, seconds) => `Du nutzt \`${route}\` schneller, als ich mitkomme. Bitte in etwa ${seconds} Sekunden erneut versuchen.`,
      chartOneSource: "Gib genau eines an: `values` (Zahlen wie `3,5,8`) oder `file` (eine CSV).",
      chartTitleLong: (length, max) => `\`title\` hat ${length} Zeichen; erlaubt sind ${max}.`,
      chartFileLarge: (kib) => `\`file\` hat ${kib} KiB; erlaubt ist 1 MiB.`,
      chartNotCsv: (name) => `\`file\` muss eine CSV sein (.csv oder .txt); \`${name}\` ist keine.`,
      chartBadButton: "Dieser Button ist nicht von mir (seine Daten sind fehlerhaft); ignoriert.",
      chartExpired: "Die Daten dieses Diagramms sind abgelaufen. Führe `/chart` erneut aus.",
    },
    fr: {
      pong: "🏓 Pong !",
      answeredAt: (colo) => `Réponse depuis la périphérie du réseau à **${colo}**.`,
      transit: (ms) => `De Discord au Worker : ${ms} ms.`,
      rateLimited: (route, seconds) => `Vous utilisez \`${route}\` plus vite que je ne peux suivre. Réessayez dans environ ${seconds} secondes.`,
      chartOneSource: "Donnez exactement un de `values` (des nombres comme `3,5,8`) ou `file` (un CSV).",
      chartTitleLong: (length, max) => `\`title\` fait ${length} caractères ; la limite est ${max}.`,
      chartFileLarge: (kib) => `\`file\` fait ${kib} Kio ; la limite est 1 Mio.`,
      chartNotCsv: (name) => `\`file\` doit être un CSV (.csv ou .txt) ; \`${name}\` n'en est pas un.`,
      chartBadButton: "Ce bouton n'est pas le mien (ses données sont invalides) ; ignoré.",
      chartExpired: "Les données de ce graphique ont expiré. Relancez `/chart`.",
    },
  },
);

declare module "../../kit/index.ts" {
  interface Register {
    messages: typeof messages;
  }
}
