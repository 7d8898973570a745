// Full text for teaser items: the linked page's article found by @mozilla/readability on a linkedom document.

import { Readability } from "@mozilla/readability";
import { entryText } from "./entry-article.js";
import { htmlDocument, htmlToBlocks } from "./html-text.js";
import type { FeedEntry } from "./types.js";

/**
 * At most this many characters of a page are read (2 MB of text: far more than any article; the fetcher's body
 * cap bounds the bytes before this). A longer page is cut, which HTML parsing tolerates.
 */
export const MAX_PAGE_CHARS = 2_000_000;
/** Pages with more elements than this are not read (Readability would score every one of them). */
export const MAX_PAGE_ELEMENTS = 30_000;

/**
 * The main article of a web page: its title and its content as HTML (Readability's output: turn it into text with
 * `htmlToBlocks`, as `entryArticle` does; it is never shown as HTML). Navigation, ads, comments and other page
 * furniture are left out. Null when Readability finds no article (or one without text), or the page cannot be
 * parsed.
 * `pageUrl` is the page's address after redirects (Readability resolves the links in its output against it).
 */
export function extractFullText(
  html: string,
  pageUrl: string,
): { title: string | null; html: string } | null {
  const page = html.length > MAX_PAGE_CHARS ? html.slice(0, MAX_PAGE_CHARS) : html;
  try {
    const { document } = htmlDocument(page);
    // linkedom leaves the document's address empty; Readability reads these to make links absolute.
    for (const key of ["documentURI", "baseURI"])
      Object.defineProperty(document, key, { value: pageUrl, configurable: true });
    // Readability's own maxElemsToParse counts getElementsByTagName("*"), which linkedom answers with 0.
    const elements = (
      document as unknown as { querySelectorAll(s: string): { length: number } }
    ).querySelectorAll("*");
    if (elements.length > MAX_PAGE_ELEMENTS) return null;
    const reader = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]);
    const article = reader.parse();
    // With nothing to score Readability returns the whole body: no text left after dropping menus is no article.
    if (!article?.content || htmlToBlocks(article.content).length === 0) return null;
    return { title: article.title?.trim() || null, html: article.content };
  } catch {
    return null;
  }
}

/**
 * The entry with its text replaced by the article extracted from its linked page, when that article holds more
 * text than the entry; otherwise the entry unchanged. `page` is the fetched page (its URL after redirects).
 */
export function fullTextEntry(entry: FeedEntry, page: { html: string; url: string }): FeedEntry {
  const extracted = extractFullText(page.html, page.url);
  if (!extracted) return entry;
  const candidate: FeedEntry = { ...entry, html: extracted.html };
  return entryText(candidate).length > entryText(entry).length ? candidate : entry;
}
