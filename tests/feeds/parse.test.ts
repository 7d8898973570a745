// parseFeedBody: RSS 2.0, Atom, RDF and JSON Feed fixtures, encodings, titles, links, and the feeds it refuses.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import { decodeFeedBody } from "../../src/feeds/encoding.js";
import { parseFeedBody } from "../../src/feeds/parse.js";
import type { ParsedFeed, ParseResult } from "../../src/feeds/types.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/feeds");
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

function feedOf(result: ParseResult): ParsedFeed {
  if (result.kind !== "feed") throw new Error(`expected a feed, got: ${result.reason}`);
  return result.feed;
}
function reasonOf(result: ParseResult): string {
  if (result.kind !== "invalid") throw new Error("expected a refusal, got a feed");
  return result.reason;
}

describe("formats", () => {
  it("RSS 2.0: title, site link, every item kept (duplicates too), content:encoded preferred to description", () => {
    const feed = feedOf(
      parseFeedBody(fixture("rss2.xml"), "application/rss+xml", "https://feeds.example.org/hw"),
    );
    expect(feed.title).toBe("Harbour Watch & Friends");
    expect(feed.link).toBe("https://news.example.org/");
    expect(feed.entries).toHaveLength(5);
    const [first] = feed.entries;
    expect(first?.guid).toBe("hw-0001");
    expect(first?.published).toBe("2024-03-05T09:30:00.000Z");
    expect(first?.html).toContain("<h2>What happened</h2>");
    expect(first?.html).not.toContain("teaser");
  });

  it("Atom: xml:base on feed and entry, the alternate link (not replies), xhtml content, published date", () => {
    const feed = feedOf(
      parseFeedBody(fixture("atom.xml"), "application/atom+xml", "https://blog.example.net/x"),
    );
    expect(feed.title).toBe("Lantern & Key Research");
    expect(feed.link).toBe("https://blog.example.net/");
    const [one, two] = feed.entries;
    expect(one?.link).toBe("https://blog.example.net/research/glass-otter/");
    expect(one?.published).toBe("2024-04-01T06:15:00.000Z");
    expect(one?.html).toContain("<p>GlassOtter sends crafted messages");
    expect(two?.link).toBe("https://blog.example.net/archive/old-note");
    // No <published>: <updated> stands in.
    expect(two?.published).toBe("2024-03-30T18:00:00.000Z");
  });

  it("RDF (RSS 1.0): items with dc:date and content:encoded", () => {
    const feed = feedOf(
      parseFeedBody(fixture("rdf.xml"), "application/rdf+xml", "https://rdf.example.com/rss"),
    );
    expect(feed.title).toBe("Old Format Desk");
    expect(feed.entries).toEqual([
      {
        link: "https://rdf.example.com/items/1",
        guid: "https://rdf.example.com/items/1",
        title: "Ransom crew RiverMoth renames itself",
        published: "2024-02-20T07:00:00.000Z",
        html: "<p>RiverMoth now calls itself BlueTarn, a desk note says.</p>",
      },
    ]);
  });

  it("JSON Feed: by content type and by shape; content_text is escaped, a JSON title stays literal", () => {
    for (const type of ["application/feed+json", null]) {
      const feed = feedOf(parseFeedBody(fixture("feed.json"), type, "https://json.example.io/feed.json"));
      expect(feed.title).toBe("Signal & Noise");
      expect(feed.entries[0]?.link).toBe("https://json.example.io/posts/kelp-worm");
      expect(feed.entries[0]?.published).toBe("2024-05-06T11:00:00.000Z");
      expect(feed.entries[1]?.title).toBe("A text-only item <not a tag>");
      expect(feed.entries[1]?.html).toBe(
        "Plain text with &lt;angle&gt; brackets &amp; an ampersand.\n\nA second paragraph.",
      );
      expect(feed.entries[1]?.published).toBeNull();
    }
  });
});

describe("encodings", () => {
  it("an ISO-8859-1 prolog decodes accented letters right (even when the Content-Type says UTF-8)", () => {
    const feed = feedOf(
      parseFeedBody(fixture("latin1.xml"), "text/xml; charset=utf-8", "https://latin.example.fr/"),
    );
    expect(feed.title).toBe("Café Sécurité");
    expect(feed.entries[0]?.title).toBe("Zürich naïve résumé ©");
    expect(feed.entries[0]?.html).toBe("Le maître a décidé : à bientôt.");
  });

  it("a Windows-1252 prolog decodes curly quotes, dashes, the ellipsis and the euro sign", () => {
    const feed = feedOf(parseFeedBody(fixture("cp1252.xml"), null, "https://cp.example.com/rss"));
    expect(feed.entries[0]?.title).toBe("“Curly” quotes – it’s €5");
    expect(feed.entries[0]?.html).toBe("She said “hello” — then left…");
  });

  it("the order of rules: BOM, then prolog, then Content-Type charset, else UTF-8", () => {
    const latin = Buffer.from('<?xml version="1.0" encoding="iso-8859-1"?><a>caf\u00e9</a>', "latin1");
    expect(decodeFeedBody(latin, "text/xml; charset=utf-8")).toMatchObject({ from: "prolog" });
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<?xml version="1.0"?><a>é</a>'),
    ]);
    expect(decodeFeedBody(bom, "text/xml; charset=iso-8859-1")).toMatchObject({
      from: "bom",
      text: expect.stringMatching(/^<\?xml/),
    });
    expect(
      decodeFeedBody(Buffer.from("<a>caf\u00e9</a>", "latin1"), 'text/xml; charset="ISO-8859-1"'),
    ).toMatchObject({
      from: "content-type",
      text: "<a>café</a>",
    });
    expect(decodeFeedBody(Buffer.from("<a>café</a>"), null)).toMatchObject({
      from: "default",
      text: "<a>café</a>",
    });
    // An unknown label falls through to the next rule.
    const odd = Buffer.from('<?xml version="1.0" encoding="x-no-such"?><a>é</a>');
    expect(decodeFeedBody(odd, null)).toMatchObject({ from: "default" });
  });
});

describe("titles and links", () => {
  const feed = feedOf(parseFeedBody(fixture("rss2.xml"), null, "https://feeds.example.org/hw"));

  it("a CDATA title with HTML becomes plain text", () => {
    expect(feed.entries[0]?.title).toBe("Loader QuietFern returns & spreads");
  });

  it("an escaped-HTML title with entities becomes plain text (tags stripped, entities decoded)", () => {
    expect(feed.entries[1]?.title).toBe("Patch now: router flaw & fix");
  });

  it("an Atom title of type text keeps its angle brackets as text; type html is stripped", () => {
    const atom = feedOf(parseFeedBody(fixture("atom.xml"), null, "https://blog.example.net/x"));
    expect(atom.entries[0]?.title).toBe("GlassOtter targets mail servers");
    expect(atom.entries[1]?.title).toBe("Plain title with a <tag> in it");
  });

  it("relative links resolve against the feed's site link (RSS has no xml:base here)", () => {
    expect(feed.entries[1]?.link).toBe("https://news.example.org/2024/router-flaw");
    expect(feed.entries[2]?.link).toBe("https://news.example.org/notes/plain");
  });

  it("without a site link, relative links resolve against the feed URL", () => {
    const body = Buffer.from(
      '<rss version="2.0"><channel><title>T</title><item><title>x</title><link>../p/1</link></item></channel></rss>',
    );
    const parsed = feedOf(parseFeedBody(body, null, "https://host.example/feeds/main.xml"));
    expect(parsed.entries[0]?.link).toBe("https://host.example/p/1");
  });

  it("items without GUID or date are kept, with null guid and published", () => {
    expect(feed.entries[2]).toMatchObject({
      guid: null,
      published: null,
      title: "Notes without a date or guid",
    });
    expect(feed.entries[4]).toMatchObject({ guid: null, published: null, link: null });
  });

  it("a permalink GUID stands in for a missing link; isPermaLink=false does not", () => {
    const body = Buffer.from(
      '<rss version="2.0"><channel><title>T</title>' +
        "<item><title>a</title><guid>https://host.example/a</guid></item>" +
        '<item><title>b</title><guid isPermaLink="false">https://host.example/b</guid></item></channel></rss>',
    );
    const parsed = feedOf(parseFeedBody(body, null, "https://host.example/rss"));
    expect(parsed.entries.map((e) => e.link)).toEqual(["https://host.example/a", null]);
  });

  it("an unparseable or absurd date is null, never a guess", () => {
    const body = Buffer.from(
      '<rss version="2.0"><channel><title>T</title>' +
        "<item><title>a</title><link>https://h.example/a</link><pubDate>not a date</pubDate></item>" +
        "<item><title>b</title><link>https://h.example/b</link><pubDate>0001-01-01T00:00:00Z</pubDate></item>" +
        "</channel></rss>",
    );
    const parsed = feedOf(parseFeedBody(body, null, "https://h.example/rss"));
    expect(parsed.entries.map((e) => e.published)).toEqual([null, null]);
  });
});

describe("refusals (never a throw)", () => {
  it("an entity bomb is refused with a reason before any XML parser expands it", () => {
    const reason = reasonOf(
      parseFeedBody(fixture("bomb.xml"), "application/rss+xml", "https://bomb.example/rss"),
    );
    expect(reason).toMatch(/declares XML entities/);
  });

  it("behind that check, feedsmith's XML parser would not expand the bomb either (entities are left as text)", () => {
    // Defence in depth: feedsmith configures fast-xml-parser with processEntities off. If an update changed
    // that, this test says so; the DOCTYPE check above still refuses the feed first.
    const parsed = parseFeed(fixture("bomb.xml").toString("utf8"));
    expect(parsed.format).toBe("rss");
    expect(parsed.feed.title).toBe("&i;");
  });

  it("a single external entity (XXE) is refused the same way", () => {
    const xxe = Buffer.from(
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title></channel></rss>',
    );
    expect(reasonOf(parseFeedBody(xxe, null, "https://x.example/"))).toMatch(/declares XML entities/);
  });

  it("an old RSS 0.91 DOCTYPE without entities is still read", () => {
    const body = Buffer.from(
      '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n' +
        '<rss version="0.91"><channel><title>Old</title><link>https://old.example/</link><item><title>a</title><link>https://old.example/a</link></item></channel></rss>',
    );
    expect(feedOf(parseFeedBody(body, null, "https://old.example/rss")).entries).toHaveLength(1);
  });

  it("an article about XXE quoting a DOCTYPE in CDATA is not refused", () => {
    const body = Buffer.from(
      '<rss version="2.0"><channel><title>T</title><item><title>XXE explained</title><link>https://t.example/x</link>' +
        '<description><![CDATA[<pre><!DOCTYPE r [<!ENTITY e SYSTEM "file:///">]></pre>]]></description></item></channel></rss>',
    );
    expect(feedOf(parseFeedBody(body, null, "https://t.example/rss")).entries[0]?.title).toBe(
      "XXE explained",
    );
  });

  it("an HTML page is refused as an HTML page, whatever its Content-Type", () => {
    for (const type of ["text/html; charset=utf-8", "application/rss+xml", null]) {
      expect(reasonOf(parseFeedBody(fixture("page.html"), type, "https://x.example/"))).toBe(
        "the URL returns an HTML page, not a feed",
      );
    }
    // Served as text/html, a broken HTML fragment is still "an HTML page".
    expect(reasonOf(parseFeedBody(Buffer.from("<div>Oops</p>"), "text/html", "https://x.example/"))).toBe(
      "the URL returns an HTML page, not a feed",
    );
  });

  it("an RSS feed served as text/html is still read", () => {
    expect(
      feedOf(parseFeedBody(fixture("rss2.xml"), "text/html", "https://feeds.example.org/hw")).entries,
    ).toHaveLength(5);
  });

  it("invalid XML is refused with the line and what is wrong", () => {
    const reason = reasonOf(
      parseFeedBody(fixture("invalid.xml"), "application/rss+xml", "https://broken.example/"),
    );
    expect(reason).toMatch(/^invalid XML at line 3, column \d+: .*closing tag/);
  });

  it("a truncated feed is refused rather than read in part", () => {
    const whole = fixture("rss2.xml").toString("utf8");
    const cut = Buffer.from(whole.slice(0, whole.indexOf("</item>") + 7));
    expect(reasonOf(parseFeedBody(cut, null, "https://feeds.example.org/hw"))).toMatch(/^invalid XML/);
  });

  it("a bare ampersand (a common slip) does not make a feed invalid", () => {
    const body = Buffer.from(
      '<rss version="2.0"><channel><title>Q&A</title><item><title>R&D news</title><link>https://q.example/1</link></item></channel></rss>',
    );
    const feed = feedOf(parseFeedBody(body, null, "https://q.example/rss"));
    expect([feed.title, feed.entries[0]?.title]).toEqual(["Q&A", "R&D news"]);
  });

  it("empty, whitespace-only, non-feed XML, and broken or foreign JSON are refused with a reason", () => {
    const url = "https://e.example/";
    expect(reasonOf(parseFeedBody(Buffer.alloc(0), null, url))).toBe("the feed is empty");
    expect(reasonOf(parseFeedBody(Buffer.from(" \n\t "), null, url))).toBe("the feed is empty");
    expect(reasonOf(parseFeedBody(Buffer.from("<note><to>x</to></note>"), null, url))).toMatch(
      /not an RSS, Atom or RDF feed/,
    );
    expect(reasonOf(parseFeedBody(Buffer.from('{"version": '), "application/json", url))).toMatch(
      /^invalid JSON/,
    );
    expect(reasonOf(parseFeedBody(Buffer.from('{"hello": "world"}'), null, url))).toMatch(/not a JSON Feed/);
    expect(reasonOf(parseFeedBody(Buffer.from("[1, 2]"), null, url))).toMatch(/not a JSON Feed/);
    expect(reasonOf(parseFeedBody(Buffer.from("just words"), null, url))).toMatch(/no XML root element/);
  });

  it("random bytes never throw", () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 200; n++) {
      const bytes = Buffer.from(Array.from({ length: next() % 300 }, () => next() % 256));
      const prefixed = Buffer.concat([Buffer.from('<rss version="2.0"><channel>'), bytes]);
      expect(() => parseFeedBody(bytes, null, "https://r.example/")).not.toThrow();
      expect(() => parseFeedBody(prefixed, null, "https://r.example/")).not.toThrow();
    }
  });
});

describe("hostile shapes", () => {
  it("absurdly deep nesting is refused with a reason, not a crash", () => {
    const n = 100_000;
    const body = Buffer.from(
      `<rss version="2.0"><channel><title>T</title>${"<y>".repeat(n)}${"</y>".repeat(n)}</channel></rss>`,
    );
    expect(reasonOf(parseFeedBody(body, null, "https://x.example/"))).toMatch(
      /^the feed could not be parsed: /,
    );
  });
});
