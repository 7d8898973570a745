// extractFullText and fullTextEntry: the article of a page with navigation, ads and comments, as plain blocks.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { entryArticle } from "../../src/feeds/entry-article.js";
import {
  extractFullText,
  fullTextEntry,
  MAX_PAGE_CHARS,
  MAX_PAGE_ELEMENTS,
} from "../../src/feeds/fulltext.js";
import { htmlToBlocks } from "../../src/feeds/html-text.js";
import type { FeedEntry } from "../../src/feeds/types.js";

const PAGE = readFileSync(join(import.meta.dirname, "../fixtures/feeds/article-page.html"), "utf8");
const PAGE_URL = "https://news.example.org/2024/marshlynx";
const teaser: FeedEntry = {
  link: PAGE_URL,
  guid: "m-1",
  title: "MarshLynx phishing kit reaches port authorities",
  published: "2024-05-01T10:00:00.000Z",
  html: "<p>A phishing kit reaches port authorities […]</p>",
};

describe("extractFullText", () => {
  it("keeps the article's text and leaves out navigation, search form, ads, related links, comments and footer", () => {
    const found = extractFullText(PAGE, PAGE_URL);
    expect(found).not.toBeNull();
    expect(found?.title).toBe("MarshLynx phishing kit reaches port authorities");
    const text = htmlToBlocks(found?.html ?? "")
      .map((b) => b.text)
      .join("\n");
    for (const kept of [
      "A phishing kit the researchers call MarshLynx",
      "pretend to be customs clearance notices",
      "How the kit works",
      "reuse the same hosting accounts",
      "Defenders should look for sign-ins",
      "turn on multi-factor sign-in",
    ])
      expect(text).toContain(kept);
    for (const dropped of [
      "About us",
      "Search the site",
      "BUY CHEAP FIREWALLS",
      "Related stories",
      "Another unrelated headline",
      "42 comments",
      "First! Great article",
      "All rights reserved",
      "window.tracker",
    ])
      expect(text).not.toContain(dropped);
  });

  it("returns null when the page has no article", () => {
    const page = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>";
    expect(extractFullText(page, PAGE_URL)).toBeNull();
    expect(extractFullText("", PAGE_URL)).toBeNull();
    expect(
      extractFullText("<html><body><script>run()</script><form><input></form></body></html>", PAGE_URL),
    ).toBeNull();
  });

  it("gives up (null) on a page with more than MAX_PAGE_ELEMENTS elements", () => {
    const crowded = PAGE.replace("</body>", `${"<i>x</i>".repeat(MAX_PAGE_ELEMENTS + 1)}</body>`);
    expect(extractFullText(crowded, PAGE_URL)).toBeNull();
  });

  it("reads at most MAX_PAGE_CHARS of a page and still finds an article at its start", () => {
    const huge = PAGE.replace("</body>", `<div>${"x".repeat(MAX_PAGE_CHARS)}</div></body>`);
    const found = extractFullText(huge, PAGE_URL);
    expect(found?.html).toContain("customs clearance notices");
  });
});

describe("fullTextEntry", () => {
  it("replaces a teaser's text with the page's article; the Article built from it is plain blocks", () => {
    const full = fullTextEntry(teaser, { html: PAGE, url: PAGE_URL });
    expect(full.html).not.toBe(teaser.html);
    const article = entryArticle(full, { key: PAGE_URL, source: "Harbour Watch", fetchedAt: new Date(0) });
    expect(article.blocks.length).toBeGreaterThan(4);
    expect(article.blocks).toContainEqual({ kind: "heading", text: "How the kit works" });
    expect(article.body).not.toMatch(/<\/?[a-z][^>]*>/i);
    expect(article.body).not.toContain("First! Great article");
  });

  it("keeps the entry as it is when the page has no article or less text than the entry", () => {
    expect(fullTextEntry(teaser, { html: "<nav>Home</nav>", url: PAGE_URL })).toBe(teaser);
    const long: FeedEntry = { ...teaser, html: `<p>${"Longer text than the page has. ".repeat(200)}</p>` };
    expect(fullTextEntry(long, { html: PAGE, url: PAGE_URL })).toBe(long);
  });
});
