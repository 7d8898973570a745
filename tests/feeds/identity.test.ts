// Item identity: canonical links, keys that survive rewritten GUIDs, dates and order, and in-feed duplicates.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entryArticle } from "../../src/feeds/entry-article.js";
import { canonicalLink, dedupeEntries, entryKey } from "../../src/feeds/identity.js";
import { parseFeedBody } from "../../src/feeds/parse.js";
import type { FeedEntry } from "../../src/feeds/types.js";

const FEED_URL = "https://feeds.example.org/hw/rss";
const entriesOf = (name: string): FeedEntry[] => {
  const result = parseFeedBody(
    readFileSync(join(import.meta.dirname, "../fixtures/feeds", name)),
    null,
    FEED_URL,
  );
  if (result.kind !== "feed") throw new Error(result.reason);
  return result.feed.entries;
};
const entry = (over: Partial<FeedEntry>): FeedEntry => ({
  link: null,
  guid: null,
  title: "",
  published: null,
  html: "",
  ...over,
});

describe("canonicalLink", () => {
  it("lower-cases scheme and host, drops the default port and the fragment", () => {
    expect(canonicalLink("HTTPS://News.Example.ORG:443/Path/Case?x=1#top")).toBe(
      "https://news.example.org/Path/Case?x=1",
    );
    expect(canonicalLink("http://example.org:80/a#")).toBe("http://example.org/a");
    expect(canonicalLink("http://example.org:8080/a")).toBe("http://example.org:8080/a");
  });

  it("strips tracking parameters (utm_* in any case, fbclid, gclid, ...) and keeps the others in order", () => {
    expect(
      canonicalLink(
        "https://e.example/p?b=2&utm_source=rss&UTM_Medium=x&a=1&fbclid=F&gclid=G&dclid=D&msclkid=M&mc_cid=C&mc_eid=E&_hsenc=H&_hsmi=I&igshid=J&yclid=Y&z=%20q",
      ),
    ).toBe("https://e.example/p?b=2&a=1&z=%20q");
    expect(canonicalLink("https://e.example/p?utm_campaign=x&fbclid=y")).toBe("https://e.example/p");
  });

  it("keeps the exact spelling of the parameters it keeps (no re-encoding)", () => {
    expect(canonicalLink("https://e.example/s?q=a+b&r=%2F&flag")).toBe(
      "https://e.example/s?q=a+b&r=%2F&flag",
    );
  });

  it("refuses what is not an absolute http(s) URL", () => {
    for (const bad of [
      "/relative/path",
      "mailto:a@b.example",
      "javascript:alert(1)",
      "ftp://e.example/f",
      "",
      "http://",
    ])
      expect(canonicalLink(bad)).toBeNull();
  });
});

describe("entryKey", () => {
  it("is the canonical link when the item has one", () => {
    expect(entryKey(entry({ link: "https://E.example/a?utm_source=x#c", guid: "g" }), FEED_URL)).toBe(
      "https://e.example/a",
    );
  });

  it("without a link: the feed's URL plus a hash of the normalised title, not the GUID or the date", () => {
    const a = entryKey(
      entry({ title: "Weekly  Bulletin", guid: "1", published: "2024-01-01T00:00:00.000Z" }),
      FEED_URL,
    );
    const b = entryKey(
      entry({ title: "weekly bulletin", guid: "2", published: "2024-02-02T00:00:00.000Z" }),
      FEED_URL,
    );
    expect(a).toBe(b);
    expect(a).toMatch(/^https:\/\/feeds\.example\.org\/hw\/rss#title-[0-9a-f]{24}$/);
    expect(entryKey(entry({ title: "Another bulletin" }), FEED_URL)).not.toBe(a);
  });

  it("without link or title: a hash of the text", () => {
    const a = entryKey(entry({ html: "<p>Only text.</p>", guid: "x" }), FEED_URL);
    expect(a).toBe(entryKey(entry({ html: "Only   text.", guid: "y" }), FEED_URL));
    expect(a).toMatch(/#text-[0-9a-f]{24}$/);
  });

  it("an invalid link counts as no link", () => {
    expect(entryKey(entry({ link: "javascript:void(0)", title: "T" }), FEED_URL)).toMatch(/#title-/);
  });
});

describe("feeds that rewrite themselves", () => {
  const before = dedupeEntries(entriesOf("rss2.xml"), FEED_URL);
  const after = dedupeEntries(entriesOf("rss2-rewritten.xml"), FEED_URL);

  it("duplicate items inside one feed keep the first of each key", () => {
    expect(entriesOf("rss2.xml")).toHaveLength(5);
    expect(before).toHaveLength(4);
    expect(before.map((k) => k.entry.guid)).toContain("hw-0002");
    expect(before.map((k) => k.entry.guid)).not.toContain("hw-0002-copy");
  });

  it("reordered items with rewritten GUIDs, dates and tracking parameters give the same keys", () => {
    expect(new Set(after.map((k) => k.key))).toEqual(new Set(before.map((k) => k.key)));
    expect(after.map((k) => k.key)).not.toEqual(before.map((k) => k.key)); // the order did change
  });

  it("and the same content hashes (a rewritten date changes the article's date, not its text)", () => {
    const hashes = (list: typeof before): Map<string, string> =>
      new Map(
        list.map(({ key, entry: e }) => [
          key,
          entryArticle(e, { key, source: "Harbour Watch", fetchedAt: new Date("2024-06-01T00:00:00Z") })
            .contentHash,
        ]),
      );
    expect(hashes(after)).toEqual(hashes(before));
  });
});
