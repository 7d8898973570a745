// entryArticle and isTeaser: a feed item as a plain-text Article hashed as the file reader hashes, and teasers.

import { describe, expect, it } from "vitest";
import { entryArticle, isTeaser } from "../../src/feeds/entry-article.js";
import { htmlToBlocks, htmlToText } from "../../src/feeds/html-text.js";
import type { FeedEntry } from "../../src/feeds/types.js";
import { isRejected, parseArticle } from "../../src/ingest/reader.js";

const FETCHED = new Date("2024-06-01T22:30:00Z");
const entry = (over: Partial<FeedEntry>): FeedEntry => ({
  link: "https://News.example.org/a?utm_source=x",
  guid: "g-1",
  title: "A title",
  published: "2024-03-05T09:30:00.000Z",
  html: "<p>Some text.</p>",
  ...over,
});
const build = (e: FeedEntry) =>
  entryArticle(e, { key: "https://news.example.org/a", source: "Harbour Watch", fetchedAt: FETCHED });

const ARTICLE_HTML = `
  <h2>What &amp; why</h2>
  <p>The <b>QuietFern</b> loader came&nbsp;back in a <a href="/x">new wave</a>.</p>
  <script>document.write("<p>tracking</p>")</script><style>p { color: red }</style>
  <nav><a href="/">Home</a></nav><form><input name="q"><button>Go</button></form>
  <ul><li>First stage: a macro.</li><li>Second stage: a DLL &lt;loader.dll&gt;.</li></ul>
  <blockquote>Look for new scheduled tasks.</blockquote>
  <table><tr><td>Cell one</td><td>Cell two</td></tr></table>
  <pre>cmd.exe   /c   run</pre>
  <p>Line one<br>line two<br><br>New paragraph after two breaks.</p>
  <h3>Indicators</h3><!-- a comment -->`;

describe("entryArticle", () => {
  it("an HTML item becomes headings and paragraphs with no tag, script, style, nav or form left", () => {
    const article = build(entry({ html: ARTICLE_HTML }));
    expect(article.blocks).toEqual([
      { kind: "heading", text: "What & why" },
      { kind: "paragraph", text: "The QuietFern loader came back in a new wave." },
      { kind: "paragraph", text: "First stage: a macro." },
      { kind: "paragraph", text: "Second stage: a DLL <loader.dll>." },
      { kind: "paragraph", text: "Look for new scheduled tasks." },
      { kind: "paragraph", text: "Cell one" },
      { kind: "paragraph", text: "Cell two" },
      { kind: "paragraph", text: "cmd.exe /c run" },
      { kind: "paragraph", text: "Line one line two" },
      { kind: "paragraph", text: "New paragraph after two breaks." },
      { kind: "heading", text: "Indicators" },
    ]);
    // The only "<" left is the decoded text "<loader.dll>": no markup survives.
    expect(article.body).not.toMatch(/<(?!loader\.dll>)/);
    expect(JSON.stringify(article)).not.toMatch(/tracking|color: red|Home|<\/?[a-z]+[ >]/);
  });

  it("path is the key, url the canonical link, source the feed's name, date the published day", () => {
    const article = build(entry({}));
    expect(article).toMatchObject({
      path: "https://news.example.org/a",
      url: "https://news.example.org/a",
      source: "Harbour Watch",
      title: "A title",
      date: "2024-03-05",
      dateEstimated: false,
    });
  });

  it("without a published date: the fetch day (UTC), marked estimated; without a valid link: url null", () => {
    const article = build(entry({ published: null, link: "mailto:x@y.example" }));
    expect(article).toMatchObject({ date: "2024-06-01", dateEstimated: true, url: null });
  });

  it("without a title: the first sentence of the text", () => {
    const article = build(entry({ title: "", html: "<p>First sentence here. Second one.</p>" }));
    expect(article.title).toBe("First sentence here.");
  });

  it("a plain-text description is split into paragraphs at blank lines", () => {
    const article = build(entry({ html: "First line\nsame paragraph.\n\nSecond paragraph &amp; more." }));
    expect(article.blocks).toEqual([
      { kind: "paragraph", text: "First line same paragraph." },
      { kind: "paragraph", text: "Second paragraph & more." },
    ]);
  });

  it("an item with a title only has the title as its text", () => {
    const article = build(entry({ html: "" }));
    expect(article.blocks).toEqual([{ kind: "paragraph", text: "A title" }]);
    expect(article.body).toBe("A title");
  });

  it("a file and a feed item with the same title and text have the same contentHash", () => {
    const file = parseArticle(
      "---\ntitle: Loader QuietFern returns\n---\nThe loader came back in a new wave.\n\nIt spreads by invoices.\n",
      { path: "/seeds/quietfern.md", mtimeMs: 0 },
    );
    if (isRejected(file)) throw new Error(file.detail);
    const feed = build(
      entry({
        title: "Loader  QuietFern returns",
        html: "<p>The loader came back\n in a new wave.</p><div>It spreads by <i>invoices</i>.</div>",
      }),
    );
    expect(feed.body).toBe(file.body);
    expect(feed.contentHash).toBe(file.contentHash);
    // And a different text does not.
    expect(build(entry({ title: "Loader QuietFern returns", html: "<p>Other.</p>" })).contentHash).not.toBe(
      file.contentHash,
    );
  });

  it("invisible characters and decomposed accents are normalised as the file reader does", () => {
    const a = build(entry({ title: "Caf\u0065\u0301 ap\u200bt40", html: "<p>R\u0065\u0301sum\u00e9</p>" }));
    expect(a.title).toBe("Café apt40");
    expect(a.body).toBe("Résumé");
  });

  it("deeply nested HTML does not overflow the stack", () => {
    const deep = `${"<div>".repeat(20_000)}<p>Deep text.</p>${"</div>".repeat(20_000)}`;
    expect(htmlToBlocks(deep)).toEqual([{ kind: "paragraph", text: "Deep text." }]);
  });

  it("htmlToText: one line for titles", () => {
    expect(htmlToText("Tom &amp; <b>Jerry</b>\n  return")).toBe("Tom & Jerry return");
    expect(htmlToText("a < b and c > d")).toBe("a < b and c > d");
  });
});

describe("isTeaser", () => {
  const long = (words: number): string => Array.from({ length: words }, (_, i) => `word${i}`).join(" ");

  it("a short text is a teaser; a long one is not", () => {
    expect(isTeaser(entry({ html: "<p>Just a line about the story.</p>" }))).toBe(true);
    expect(isTeaser(entry({ html: "" }))).toBe(true);
    expect(isTeaser(entry({ html: `<p>${long(120)}.</p>` }))).toBe(false);
  });

  it("a long text ending in an ellipsis, [...] or a read-more link is a teaser", () => {
    for (const end of [
      "…",
      "...",
      " [&#8230;]",
      " [...]",
      ' <a href="/x">Read more</a>',
      ' <a href="/x">Read more »</a>',
      ' <a href="/x">Continue reading →</a>',
      ' <a href="/x">Continue reading "The Title"</a>',
      ' <a href="/x">Read the full story on Example News</a>',
      ' <a href="/x">More »</a>',
    ])
      expect(isTeaser(entry({ html: `<p>${long(120)}${end}</p>` })), end).toBe(true);
  });

  it("WordPress's 'The post … appeared first on …' line does not hide the [...] before it", () => {
    const html = `<p>${long(120)} [&#8230;]</p><p>The post <a href="/p">Title</a> appeared first on <a href="/">Site</a>.</p>`;
    expect(isTeaser(entry({ html }))).toBe(true);
  });

  it("a long text that merely ends with 'and more.' is whole", () => {
    expect(isTeaser(entry({ html: `<p>${long(120)} and much more.</p>` }))).toBe(false);
  });
});
