// The playground's markdown: what Discord formats is formatted, and nothing a bot sends can inject markup.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatTimestamp, markdown } from "../../../src/emulator/playground/markdown.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const md = (text: string) =>
  markdown(text, {
    now: NOW,
    users: { "1000000000000000003": "Tester" },
    channels: { "1000000000000000002": "general" },
  });

describe("markdown", () => {
  it("formats bold, italic, underline, strikethrough and spoilers", () => {
    expect(md("**b** *i* _i2_ __u__ ~~s~~ ||x|| ***bi***")).toBe(
      '<strong>b</strong> <em>i</em> <em>i2</em> <u>u</u> <s>s</s> <span class="md-spoiler" tabindex="0">x</span> <strong><em>bi</em></strong>',
    );
    expect(md("snake_case_name stays")).toBe("snake_case_name stays");
  });

  it("keeps code verbatim and escaped", () => {
    expect(md("run `a **b** <c>` now")).toBe('run <code class="md-code">a **b** &lt;c&gt;</code> now');
    expect(md("```js\nconst a = '<b>';\n```")).toBe(
      '<pre class="md-codeblock" data-lang="js"><code>const a = &#39;&lt;b&gt;&#39;;</code></pre>',
    );
  });

  it("links masked and bare http(s) URLs only", () => {
    expect(md("[docs](https://example.com/a?b=1)")).toBe(
      '<a class="md-link" href="https://example.com/a?b=1" target="_blank" rel="noreferrer noopener" title="https://example.com/a?b=1">docs</a>',
    );
    expect(md("see https://example.com.")).toBe(
      'see <a class="md-link" href="https://example.com" target="_blank" rel="noreferrer noopener">https://example.com</a>.',
    );
    expect(md("[x](javascript:alert(1))")).toBe("[x](javascript:alert(1))");
  });

  it("shows mentions, channels and timestamps as text, custom emoji as the CDN image", () => {
    expect(md("<@1000000000000000003> <@!42424242424242424> in <#1000000000000000002>")).toBe(
      '<span class="md-mention" title="user 1000000000000000003">@Tester</span> <span class="md-mention" title="user 42424242424242424">@42424242424242424</span> in <span class="md-mention" title="channel 1000000000000000002">#general</span>',
    );
    expect(md(`<t:${NOW / 1000 - 180}:R>`)).toMatch(/>3 minutes ago<\/time>$/);
    expect(md("<:party:123456789>")).toBe(
      '<img class="md-emoji" src="/emojis/123456789.png" alt=":party:" title=":party:">',
    );
  });

  it("handles headings, quotes, lists and line breaks", () => {
    expect(md("# Title\n> quoted\n- item\nplain\nnext")).toBe(
      '<div class="md-h1">Title</div><blockquote class="md-quote">quoted</blockquote><div class="md-li" style="margin-left:1em">item</div>plain<br>next',
    );
  });

  it("escapes HTML everywhere", () => {
    expect(md('<img src=x onerror="alert(1)"> & "q"')).toBe(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &quot;q&quot;",
    );
  });
});

describe("markdown: placeholders", () => {
  // What href and title hold: one http(s) URL, never markup.
  const attributes = (html: string) => [...html.matchAll(/\s(?:href|title)="([^"]*)"/g)].map((m) => m[1]!);

  it("shows a NUL-number-NUL in the text as text, never as another piece of the message", () => {
    expect(md("x\u00000\u0000 `c`")).toBe('x\uFFFD0\uFFFD <code class="md-code">c</code>');
  });

  it("ends a URL where a code span or another link begins, so no attribute holds markup", () => {
    expect(md("http://ab`x`")).toBe(
      '<a class="md-link" href="http://ab" target="_blank" rel="noreferrer noopener">http://ab</a><code class="md-code">x</code>',
    );
    const html = md("[l](http://x) http://y[l](http://x) [`c`](https://z)");
    for (const value of attributes(html)) expect(value).toMatch(/^https?:\/\/[^<>"\s]+$/);
    expect(html).toContain('title="https://z"><code class="md-code">c</code></a>');
  });

  // A link made of placeholders of the next link, nested a few levels deep: 130 characters made 77 KB of HTML.
  it("grows the HTML at most linearly with the text", () => {
    const forged = Array.from({ length: 4 }, (_, i) => `http://a${`\u0000${i + 1}\u0000`.repeat(8)}`).join(" ");
    expect(md(forged).length).toBeLessThan(64 * forged.length);
  });

  it("keeps every attribute a single URL and the HTML within 64 times the text, whatever the text (property)", () => {
    const token = fc.constantFrom(
      "`",
      "``",
      "```",
      "http://a",
      "https://b.c/d",
      "[l](http://e)",
      "](",
      "\u0000",
      "0",
      "1",
      "<t:0>",
      "<@1>",
      "<#2>",
      "@here",
      " ",
      "\n",
      "*",
      "_",
      "~~",
      "||",
      "> ",
      "# ",
      "- ",
      "<",
      ">",
      '"',
      "&",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), (tokens) => {
        const text = tokens.join("");
        const html = md(text);
        expect(html.length).toBeLessThanOrEqual(64 * text.length + 1024);
        expect(html).not.toContain("\u0000");
        for (const value of attributes(html)) expect(value).not.toMatch(/[<>]/);
      }),
      { numRuns: 500 },
    );
  });
});

describe("formatTimestamp", () => {
  it("supports Discord's styles", () => {
    const seconds = Date.UTC(2026, 0, 2, 15, 4, 5) / 1000;
    expect(formatTimestamp(seconds, "R", seconds * 1000 + 2 * 3_600_000)).toBe("2 hours ago");
    expect(formatTimestamp(seconds, "R", seconds * 1000 - 30_000)).toBe("in 30 seconds");
    expect(formatTimestamp(seconds, "D", 0)).toMatch(/^January 2, 2026$/);
  });
});
