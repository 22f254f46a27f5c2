// Discord's message markdown, as HTML, for the playground: bold, italic, underline, strikethrough, spoilers,
// inline code and code blocks, headings, quotes, lists, links (masked and bare, http(s) only), <t:…> timestamps,
// and mentions shown as text. Everything else is escaped, so a bot's text can never inject markup into the page.
// Pure string work (no DOM), so the Node tests check it directly.

export interface MarkdownContext {
  /** ms epoch "now", for relative timestamps. */
  now: number;
  /** Display names for user ids (<@id>); unknown ids show as the id. */
  users?: Record<string, string>;
  /** Names for channel ids (<#id>). */
  channels?: Record<string, string>;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const LOCALE = "en-US";

/** Discord's timestamp styles: t, T, d, D, f (default), F, R. */
export function formatTimestamp(seconds: number, style: string, now: number): string {
  const date = new Date(seconds * 1000);
  const time = (withSeconds: boolean) =>
    date.toLocaleTimeString(LOCALE, {
      hour: "numeric",
      minute: "2-digit",
      ...(withSeconds ? { second: "2-digit" } : {}),
    });
  const longDate = date.toLocaleDateString(LOCALE, { year: "numeric", month: "long", day: "numeric" });
  switch (style) {
    case "t":
      return time(false);
    case "T":
      return time(true);
    case "d":
      return date.toLocaleDateString(LOCALE);
    case "D":
      return longDate;
    case "F":
      return `${date.toLocaleDateString(LOCALE, { weekday: "long" })}, ${longDate} ${time(false)}`;
    case "R":
      return relative(seconds * 1000 - now);
    default:
      return `${longDate} ${time(false)}`;
  }
}

function relative(deltaMs: number): string {
  const format = new Intl.RelativeTimeFormat(LOCALE, { numeric: "always" });
  const seconds = Math.round(deltaMs / 1000);
  const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(seconds, "second");
}

const SAFE_URL = /^https?:\/\/[^\s<>"]+$/i;

// Formatted pieces (code, links, mentions…) are set aside as placeholders while the rest is escaped and styled, then
// put back. A placeholder is NUL, a number, NUL: the source's own NULs become U+FFFD first, so no text can forge one,
// and no pattern that builds an attribute (a URL) can match across one, so a placeholder only ever stands in text.
// Each is put back once, so the HTML grows linearly with the text (a 308-character message once became 27.6 MB:
// placeholders copied into href and title attributes, expanded again at every pass).
const MARK = "\u0000";
const PLACEHOLDER = /\u0000(\d+)\u0000/g;

/** Discord markdown → HTML. `inline` skips block syntax (headings, quotes, lists), as in embed titles. */
export function markdown(text: string, ctx: MarkdownContext, options: { inline?: boolean } = {}): string {
  const held: string[] = [];
  const hold = (html: string) => `${MARK}${held.push(html) - 1}${MARK}`;
  let source = text.replaceAll(MARK, "\uFFFD");

  source = source.replace(/```(?:([\w+#-]+)\n)?\n?([\s\S]*?)```/g, (_, lang: string | undefined, code: string) =>
    hold(
      `<pre class="md-codeblock"${lang ? ` data-lang="${escapeHtml(lang)}"` : ""}><code>${escapeHtml(code.replace(/\n$/, ""))}</code></pre>`,
    ),
  );
  source = source.replace(/``([^`]|`(?!`))+``|`[^`\n]+`/g, (match) =>
    hold(`<code class="md-code">${escapeHtml(match.replace(/^``?|``?$/g, "").trim() || match)}</code>`),
  );
  source = source.replace(/\[([^\]\n]+)\]\(<?(https?:\/\/[^)\s>\u0000]+)>?\)/g, (match, label: string, url: string) =>
    SAFE_URL.test(url)
      ? hold(
          `<a class="md-link" href="${escapeHtml(url)}" target="_blank" rel="noreferrer noopener" title="${escapeHtml(url)}">${escapeHtml(label)}</a>`,
        )
      : match,
  );
  source = source.replace(/<?(https?:\/\/[^\s<>\u0000]+[^\s<>.,:;"')\]\u0000])>?/g, (_, url: string) =>
    hold(
      `<a class="md-link" href="${escapeHtml(url)}" target="_blank" rel="noreferrer noopener">${escapeHtml(url)}</a>`,
    ),
  );
  source = source.replace(/<t:(-?\d{1,13})(?::([tTdDfFR]))?>/g, (_, seconds: string, style: string | undefined) => {
    const value = Number(seconds);
    const full = formatTimestamp(value, "F", ctx.now);
    return hold(
      `<time class="md-timestamp" datetime="${new Date(value * 1000).toISOString()}" title="${escapeHtml(full)}">${escapeHtml(formatTimestamp(value, style ?? "f", ctx.now))}</time>`,
    );
  });
  source = source.replace(/<@!?(\d{1,20})>/g, (_, id: string) =>
    hold(`<span class="md-mention" title="user ${id}">@${escapeHtml(ctx.users?.[id] ?? id)}</span>`),
  );
  source = source.replace(/<@&(\d{1,20})>/g, (_, id: string) =>
    hold(`<span class="md-mention" title="role ${id}">@role ${id}</span>`),
  );
  source = source.replace(/<#(\d{1,20})>/g, (_, id: string) =>
    hold(`<span class="md-mention" title="channel ${id}">#${escapeHtml(ctx.channels?.[id] ?? id)}</span>`),
  );
  source = source.replace(/<\/([-_\p{L}\p{N} ]{1,100}):(\d{1,20})>/gu, (_, name: string) =>
    hold(`<span class="md-mention">/${escapeHtml(name)}</span>`),
  );
  // Custom emojis as Discord's CDN serves them; the emulator serves application emojis at the same path.
  source = source.replace(/<(a?):(\w{1,32}):(\d{1,20})>/g, (_, animated: string, name: string, id: string) =>
    hold(
      `<img class="md-emoji" src="/emojis/${id}.${animated ? "gif" : "png"}" alt=":${escapeHtml(name)}:" title=":${escapeHtml(name)}:">`,
    ),
  );
  source = source.replace(/@(everyone|here)\b/g, (_, who: string) => hold(`<span class="md-mention">@${who}</span>`));

  let html = escapeHtml(source);
  if (!options.inline) html = blocks(html);
  html = inlineStyles(html).replace(/\n/g, "<br>");
  return restore(html, held);
}

/** Puts the held pieces back; one may hold others in its text (a code span in a link's label), each used once. */
function restore(html: string, held: readonly string[]): string {
  const used = new Set<number>();
  const expand = (piece: string): string =>
    piece.replace(PLACEHOLDER, (_, n: string) => {
      const index = Number(n);
      if (used.has(index)) return "";
      used.add(index);
      return expand(held[index] ?? "");
    });
  return expand(html);
}

function inlineStyles(html: string): string {
  return html
    .replace(/\*\*\*(?!\s)([\s\S]+?)\*\*\*/g, "<strong><em>$1</em></strong>")
    .replace(/\*\*(?!\s)([\s\S]+?)\*\*/g, "<strong>$1</strong>")
    .replace(/__(?!\s)([\s\S]+?)__/g, "<u>$1</u>")
    .replace(/\*(?![\s*])([\s\S]+?)\*/g, "<em>$1</em>")
    .replace(/(^|[^\w])_(?![\s_])([\s\S]+?)_(?!\w)/g, "$1<em>$2</em>")
    .replace(/~~([\s\S]+?)~~/g, "<s>$1</s>")
    .replace(/\|\|([\s\S]+?)\|\|/g, '<span class="md-spoiler" tabindex="0">$1</span>');
}

/** Line syntax on escaped text: "&gt; " quotes (and "&gt;&gt;&gt; " for the rest), #/##/### headings, -# subtext, lists. */
function blocks(html: string): string {
  const lines = html.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("&gt;&gt;&gt; ")) {
      out.push(`<blockquote class="md-quote">${[line.slice(13), ...lines.slice(i + 1)].join("\n")}</blockquote>`);
      break;
    }
    const quote = /^&gt; ?(.*)$/.exec(line);
    if (quote) {
      out.push(`<blockquote class="md-quote">${quote[1]}</blockquote>`);
      continue;
    }
    const heading = /^(#{1,3}) (.+)$/.exec(line);
    if (heading) {
      out.push(`<div class="md-h${heading[1]!.length}">${heading[2]}</div>`);
      continue;
    }
    const subtext = /^-# (.+)$/.exec(line);
    if (subtext) {
      out.push(`<div class="md-subtext">${subtext[1]}</div>`);
      continue;
    }
    const item = /^(\s*)[-*] (.+)$/.exec(line);
    if (item) {
      out.push(`<div class="md-li" style="margin-left:${1 + item[1]!.length / 2}em">${item[2]}</div>`);
      continue;
    }
    out.push(line + (i < lines.length - 1 ? "\n" : ""));
  }
  // Block elements end their own line; drop the newline that followed one so it does not add a <br>.
  return out.join("").replace(/(<\/(blockquote|div)>)\n/g, "$1");
}
