/**
 * The bot's application emojis (discord.com/developers/docs/resources/emoji, "Application Emojis"): image files in
 * this folder, declared here by name. `npm run register` syncs them to the application (scripts/lib/emoji-sync.ts)
 * and prints EMOJI_IDS, the var that gives each name its id; `emoji(config, "chart")` then writes `<:chart:id>`
 * (`<a:name:id>` for a GIF), and a name that is not declared does not compile. Before the sync (EMOJI_IDS unset or
 * without the name) it writes nothing, so a message never shows a broken `:chart:`.
 */
/** Name → file in this folder (PNG, GIF or WebP, ≤ 256 KiB; names 2-32 letters, digits or _). */
export const appEmojis = {
  chart: "chart.png",
} as const satisfies Readonly<Record<string, `${string}.${"png" | "gif" | "webp"}`>>;

export type AppEmojiName = keyof typeof appEmojis;

/** `config`: the Worker's checked config (its `emojiIds` come from EMOJI_IDS). */
export function emoji(config: { readonly emojiIds: ReadonlyMap<string, string> }, name: AppEmojiName): string {
  const id = config.emojiIds.get(name);
  return id ? `<${(appEmojis[name] as string).endsWith(".gif") ? "a" : ""}:${name}:${id}>` : "";
}
