// The linked page of a teaser item, fetched politely and reduced to its article text (never shown as HTML).

import { errorMessage } from "../core/errors.js";
import { decodeFeedBody } from "./encoding.js";
import { fullTextEntry } from "./fulltext.js";
import type { AddressPolicy, FeedEntry, FetchRequest, FetchResult } from "./types.js";

/** What feed polls ask for: every feed format, then anything (some servers answer only to a broad Accept). */
export const FEED_ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1";

export interface FullText {
  /** The item with the page's article as its text, when that is longer than the teaser. */
  entry: FeedEntry | null;
  /** Why the teaser was kept, when it was. */
  error?: string;
}

/** Fetch `entry.link` and extract its article; the teaser stays when anything goes wrong. */
export async function fullTextOf(
  entry: FeedEntry,
  fetcher: { fetch(req: FetchRequest): Promise<FetchResult> },
  policy: AddressPolicy,
  signal?: AbortSignal,
): Promise<FullText> {
  if (!entry.link) return { entry: null, error: "the item has no link" };
  try {
    const got = await fetcher.fetch({ url: entry.link, accept: PAGE_ACCEPT, policy, signal });
    if (got.kind !== "ok") return { entry: null, error: got.kind === "failed" ? got.reason : "not modified" };
    const full = fullTextEntry(entry, { html: decodeFeedBody(got.body, got.contentType).text, url: got.url });
    // fullTextEntry gives the entry itself back when the page holds no longer article text.
    if (full === entry) return { entry: null, error: "no longer article text found on the page" };
    return { entry: full };
  } catch (err) {
    return { entry: null, error: errorMessage(err) };
  }
}
