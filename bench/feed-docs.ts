// Synthetic feeds for bench:feeds: seeded news items (teasers and full articles of realistic size, generated text)
// rendered as RSS 2.0 or Atom, the way publishers write them (escaped HTML, CDATA, tracking parameters on links).

import { rng, syntheticArticle } from "./corpus.js";

export interface FixtureItem {
  feed: number;
  /** Position in the feed's history: 0..19 at the start, then one more per publication. */
  seq: number;
  title: string;
  /** As written in the feed (some with utm_* parameters); `canonical` is what the store keeps. */
  link: string;
  canonical: string;
  guid: string;
  published: Date;
  /** HTML: a teaser paragraph, or the whole article in paragraphs and subheadings. */
  summary: string;
  content: string | null;
}

export const isAtom = (feed: number): boolean => feed % 2 === 1;
export const feedPath = (feed: number): string => `/feeds/${feed}.${isAtom(feed) ? "atom" : "rss"}`;

const xml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The article text of an item: paragraphs and "Update ..." subheadings, as HTML. */
function articleHtml(text: string): { title: string; html: string; lead: string } {
  const parts = text
    .replace(/^date \d{4}-\d\d-\d\d /, "")
    .trim()
    .split("\n\n");
  const lead = parts[0] ?? "";
  const title = lead.replace(/ in incident number \d+\.$/, "").replace(/ has accused /, " accuses ");
  const html = parts
    .map((p) => (p.startsWith("Update ") ? `<h2>${xml(p)}</h2>` : `<p>${xml(p)}</p>`))
    .join("\n");
  return { title, html, lead };
}

/** Item `seq` of feed `feed`, published at `published`; the same arguments always give the same item. */
export function fixtureItem(feed: number, seq: number, published: Date): FixtureItem {
  const r = rng(feed * 100_003 + seq * 7 + 1);
  // About a third of the items are teasers of 300-600 characters, the rest whole articles of 1.5 to 6 KB.
  const teaser = r() < 0.33;
  const size = teaser ? 300 + Math.floor(r() * 300) : 1500 + Math.floor(r() * 4500);
  const { title, html, lead } = articleHtml(syntheticArticle(feed * 10_000 + seq, size));
  const day = published.toISOString().slice(0, 10).replace(/-/g, "/");
  const canonical = `https://news${feed}.example/${day}/report-${seq}`;
  const link = r() < 0.3 ? `${canonical}?utm_source=rss&utm_medium=feed` : canonical;
  return {
    feed,
    seq,
    title,
    link,
    canonical,
    guid: isAtom(feed) ? `tag:news${feed}.example,2024:post-${seq}` : `news${feed}-${seq}`,
    published,
    summary: teaser ? `${html}\n<p>Read more …</p>` : `<p>${xml(lead)}</p>`,
    content: teaser ? null : html,
  };
}

/** The whole document of a feed, newest item first. */
export function renderFeed(feed: number, items: readonly FixtureItem[], updated: Date): string {
  const name = `News ${feed} Security Desk`;
  return isAtom(feed) ? atom(feed, name, items, updated) : rss(feed, name, items, updated);
}

function rss(feed: number, name: string, items: readonly FixtureItem[], updated: Date): string {
  const body = items.map((i) =>
    [
      "  <item>",
      `    <title>${xml(i.title)}</title>`,
      `    <link>${xml(i.link)}</link>`,
      `    <guid isPermaLink="false">${i.guid}</guid>`,
      `    <pubDate>${i.published.toUTCString()}</pubDate>`,
      `    <dc:creator><![CDATA[Desk ${feed % 7}]]></dc:creator>`,
      "    <category><![CDATA[Threat intelligence]]></category>",
      `    <description>${xml(i.summary)}</description>`,
      i.content ? `    <content:encoded><![CDATA[${i.content}]]></content:encoded>` : "",
      "  </item>",
    ]
      .filter(Boolean)
      .join("\n"),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>${xml(name)}</title>
  <link>https://news${feed}.example/</link>
  <description>State-sponsored hacking, espionage and the response to it.</description>
  <language>en</language>
  <lastBuildDate>${updated.toUTCString()}</lastBuildDate>
${body.join("\n")}
</channel>
</rss>
`;
}

function atom(feed: number, name: string, items: readonly FixtureItem[], updated: Date): string {
  const body = items.map((i) =>
    [
      "  <entry>",
      `    <title type="html">${xml(i.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xml(i.link)}"/>`,
      `    <id>${i.guid}</id>`,
      `    <published>${i.published.toISOString()}</published>`,
      `    <updated>${i.published.toISOString()}</updated>`,
      `    <author><name>Desk ${feed % 7}</name></author>`,
      `    <summary type="html">${xml(i.summary)}</summary>`,
      i.content ? `    <content type="html">${xml(i.content)}</content>` : "",
      "  </entry>",
    ]
      .filter(Boolean)
      .join("\n"),
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>${xml(name)}</title>
  <id>https://news${feed}.example/</id>
  <link rel="alternate" href="https://news${feed}.example/"/>
  <link rel="self" href="https://news${feed}.example/feed.atom"/>
  <updated>${updated.toISOString()}</updated>
${body.join("\n")}
</feed>
`;
}
