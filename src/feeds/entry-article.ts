// A feed item as an Article (plain text blocks, the file reader's title and hash rule), and whether it is a teaser.

import type { Article, Block } from "../core/article.js";
import { articleText, collapse } from "../core/article-text.js";
import { normaliseText } from "../core/text.js";
import { htmlToBlocks } from "./html-text.js";
import { canonicalLink } from "./identity.js";
import type { FeedEntry } from "./types.js";

/** Text shorter than this (in characters) is a teaser. */
export const TEASER_CHARS = 500;

/**
 * How teasers end: an ellipsis, "[…]", "More »", or a "read more" link, perhaps naming the post or the site and
 * followed by arrows or guillemets.
 */
const TEASER_END =
  /(?:…|\.\.\.|\[\s*(?:…|\.\.\.)\s*\]|\bmore\s*[»›→]|\b(?:read more|continue reading|keep reading|read (?:the )?(?:full|whole|rest of the) (?:story|article|post))(?:\s+["“'‘][^"”'’]{1,150}["”'’])?(?:\s+(?:on|at)\s+[^.!?]{1,60})?)[\s»›→>.:)\]]*$/iu;
/** The line WordPress adds under every item; it says nothing about whether the text is whole. */
const WORDPRESS_FOOTER = /\s*The post .{1,300} appeared first on .{1,150}$/su;

/** The blocks an Article keeps: paragraphs at least (headings alone become one paragraph, as files do). */
function articleBlocks(html: string, title: string): Block[] {
  const blocks = htmlToBlocks(html);
  if (blocks.some((b) => b.kind === "paragraph")) return blocks;
  if (blocks.length > 0) return [{ kind: "paragraph", text: blocks.map((b) => b.text).join(". ") }];
  // An item with a title only: the title is its text, so analysis and the summary have something to read.
  return title ? [{ kind: "paragraph", text: title }] : [];
}

/**
 * The Article for a feed item: `path` is its identity key, `url` its canonical link, `source` the feed's display
 * name; the title (plain text, else the text's first sentence); the published date, or `fetchedAt`'s (UTC) date
 * marked estimated; blocks from the HTML (no tag or entity survives); body and contentHash by the file reader's
 * rule (core/article-text), so the same title and text hash the same whether they came from a file or a feed.
 */
export function entryArticle(
  entry: FeedEntry,
  opts: { key: string; source: string; fetchedAt: Date },
): Article {
  const title = collapse(normaliseText(entry.title));
  const blocks = articleBlocks(entry.html, title);
  const text = articleText(title || null, blocks);
  const published = entry.published ? new Date(entry.published) : null;
  const dated = published !== null && !Number.isNaN(published.getTime());
  return {
    path: opts.key,
    title: text.title,
    date: (dated ? published : opts.fetchedAt).toISOString().slice(0, 10),
    dateEstimated: !dated,
    url: entry.link ? canonicalLink(entry.link) : null,
    source: opts.source,
    blocks,
    body: text.body,
    contentHash: text.contentHash,
  };
}

/** The item's text, blocks joined as an Article's body is. */
export const entryText = (entry: FeedEntry): string =>
  htmlToBlocks(entry.html)
    .map((b) => b.text)
    .join("\n\n");

/**
 * True when the item's text is only a teaser: under TEASER_CHARS characters, or ending in "…", "...", "[…]",
 * "Read more", "Continue reading" and the like (the full text is then on the linked page).
 */
export function isTeaser(entry: FeedEntry): boolean {
  const text = entryText(entry).replace(WORDPRESS_FOOTER, "");
  return text.length < TEASER_CHARS || TEASER_END.test(text.slice(-240));
}
