// An item's identity: its canonical link, or (without one) its feed plus a hash of its title; never GUID or date.

import { createHash } from "node:crypto";
import { collapse } from "../core/article-text.js";
import { normaliseText } from "../core/text.js";
import { htmlToBlocks } from "./html-text.js";
import type { FeedEntry } from "./types.js";

/** Query parameters that only track a click, compared lower-cased; any `utm_*` parameter is one too. */
const TRACKING = new Set([
  "fbclid",
  "gclid",
  "gclsrc",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "mc_cid",
  "mc_eid",
  "_hsenc",
  "_hsmi",
  "__hstc",
  "__hssc",
  "__hsfp",
  "hsctatracking",
  "igshid",
  "yclid",
  "ysclid",
  "twclid",
  "ttclid",
  "li_fat_id",
  "mkt_tok",
  "oly_anon_id",
  "oly_enc_id",
  "_openstat",
  "vero_id",
  "vero_conv",
  "wickedid",
  "rb_clickid",
  "s_cid",
]);

/** True for a query parameter name that only tracks (`utm_*` in any case, `fbclid`, `gclid`, ...). */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("utm_") || TRACKING.has(lower);
}

function paramName(pair: string): string {
  const raw = pair.split("=", 1)[0] ?? "";
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

/**
 * The canonical form of a link, or null when it is not an absolute http(s) URL. The WHATWG URL parser lower-cases
 * scheme and host and drops a default port; the fragment and tracking parameters go; other parameters keep
 * their order and their exact spelling. No network: redirects are never followed for identity.
 */
export function canonicalLink(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  url.hash = "";
  if (url.search) {
    const kept = url.search
      .slice(1)
      .split("&")
      .filter((pair) => pair !== "" && !isTrackingParam(paramName(pair)));
    url.search = kept.length > 0 ? `?${kept.join("&")}` : "";
  }
  return url.href;
}

const digest = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 24);

/** Title or text as compared for identity: NFC, no invisible characters, whitespace collapsed, lower case. */
const normalised = (text: string): string => collapse(normaliseText(text)).toLowerCase();

/**
 * The key an item is known by: its canonical link; without a valid link, the feed's canonical URL plus a hash of
 * the item's normalised title (`#title-…`), or of its text when it has no title (`#text-…`). Never the GUID, never
 * the date: publishers rewrite both, and an item must not come back as new when they do.
 */
export function entryKey(entry: FeedEntry, feedUrl: string): string {
  const link = entry.link ? canonicalLink(entry.link) : null;
  if (link) return link;
  const feed = canonicalLink(feedUrl) ?? feedUrl.trim();
  if (entry.title) return `${feed}#title-${digest(normalised(entry.title))}`;
  const text = htmlToBlocks(entry.html)
    .map((b) => b.text)
    .join("\n\n");
  return `${feed}#text-${digest(normalised(text))}`;
}

/** The feed's items with their keys, the first of each key kept (a feed may list an item twice). */
export function dedupeEntries(
  entries: readonly FeedEntry[],
  feedUrl: string,
): Array<{ key: string; entry: FeedEntry }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; entry: FeedEntry }> = [];
  for (const entry of entries) {
    const key = entryKey(entry, feedUrl);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ key, entry });
  }
  return out;
}
