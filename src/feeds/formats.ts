// feedsmith's RSS, Atom, RDF and JSON Feed objects to one ParsedFeed: absolute links, plain titles, ISO dates.

import type { AnyFeed, AtomFeed, JsonFeed, RdfFeed, RssFeed } from "feedsmith";
import { collapse } from "../core/article-text.js";
import { normaliseText } from "../core/text.js";
import { escapeHtml, htmlToText } from "./html-text.js";
import type { FeedEntry, ParsedFeed } from "./types.js";

/** `href` resolved against `base`; null when it is empty or cannot be resolved. */
export function resolveLink(href: string | number | null | undefined, base: string): string | null {
  if (href === null || href === undefined) return null;
  const text = String(href).trim();
  if (!text) return null;
  try {
    return new URL(text, base).href;
  } catch {
    return null;
  }
}

const isWeb = (link: string | null): link is string => link !== null && /^https?:\/\//i.test(link);

/** An `xml:base` applies to what it encloses: resolved against the base around it. */
const withBase = (xmlBase: string | undefined, outer: string): string => resolveLink(xmlBase, outer) ?? outer;

/** An ISO date-time, or null when the value is missing or no real date (years 1970-2200 only). */
export function isoDate(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  const time = Date.parse(String(value).trim());
  if (!Number.isFinite(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= 2200 ? date.toISOString() : null;
}

const firstDate = (...values: Array<string | number | null | undefined>): string | null => {
  for (const v of values) {
    const iso = isoDate(v);
    if (iso) return iso;
  }
  return null;
};

/** Plain text that is not HTML (JSON Feed titles, Atom `type="text"`): only collapsed and normalised. */
const plain = (text: string | undefined): string => collapse(normaliseText(text ?? ""));

/** An Atom text construct: HTML and XHTML are turned to text, text stays as written. */
const atomText = (t: AtomFeed.Text | undefined): string =>
  !t ? "" : t.type === "html" || t.type === "xhtml" ? htmlToText(t.value ?? "") : plain(t.value);

/** An Atom content or summary as HTML (text escaped; out-of-line `src` content has no text here). */
const atomHtml = (c: AtomFeed.Content | AtomFeed.Text | undefined): string | null => {
  if (!c?.value) return null;
  return c.type === "html" || c.type === "xhtml" || /html/i.test(c.type ?? "")
    ? c.value
    : escapeHtml(c.value);
};

/** The alternate (human-readable) link of an Atom entry or feed: rel "alternate" or none, HTML preferred. */
function atomLink(
  links: ReadonlyArray<{ href?: string; rel?: string; type?: string }> | undefined,
): string | null {
  const alternates = (links ?? []).filter((l) => l.href && (!l.rel || l.rel === "alternate"));
  const html = alternates.find((l) => !l.type || /html/i.test(l.type));
  return (html ?? alternates[0])?.href ?? null;
}

function rssEntry(item: RssFeed.Item<string>, base: string): FeedEntry {
  const itemBase = withBase(item.xml?.base, base);
  const guid = item.guid?.value ?? null;
  // A GUID is the item's permalink unless it says isPermaLink="false" (RSS 2.0).
  const permalink = guid && item.guid?.isPermaLink !== false && /^https?:\/\//i.test(guid) ? guid : null;
  return {
    link: resolveLink(item.link ?? permalink, itemBase),
    guid,
    title: htmlToText(item.title ?? ""),
    published: firstDate(item.pubDate, item.dc?.dates?.[0], item.atom?.published, item.atom?.updated),
    html: item.content?.encoded ?? item.description ?? "",
  };
}

function rdfEntry(item: RdfFeed.Item<string>, base: string): FeedEntry {
  return {
    link: resolveLink(item.link ?? item.rdf?.about, withBase(item.xml?.base, base)),
    guid: item.rdf?.about ?? null,
    title: htmlToText(item.title ?? ""),
    published: firstDate(item.dc?.dates?.[0]),
    html: item.content?.encoded ?? item.description ?? "",
  };
}

function atomEntry(entry: AtomFeed.Entry<string>, base: string): FeedEntry {
  return {
    link: resolveLink(atomLink(entry.links), withBase(entry.xml?.base, base)),
    guid: entry.id ?? null,
    title: atomText(entry.title),
    published: firstDate(entry.published, entry.updated, entry.dc?.dates?.[0]),
    html: atomHtml(entry.content) ?? atomHtml(entry.summary) ?? "",
  };
}

function jsonEntry(item: JsonFeed.Item<string>, base: string): FeedEntry {
  const text = item.content_text ?? item.summary;
  return {
    link: resolveLink(item.url ?? item.external_url, base),
    guid: item.id === undefined ? null : String(item.id),
    title: plain(item.title),
    published: firstDate(item.date_published, item.date_modified),
    html: item.content_html ?? (text ? escapeHtml(text) : ""),
  };
}

/** Drops items with nothing to show: no link, no title and no text. */
const something = (e: FeedEntry): boolean => e.link !== null || e.title !== "" || e.html.trim() !== "";

/**
 * One ParsedFeed from any format. Relative links resolve against `xml:base` where the format has it, then (RSS,
 * RDF, JSON Feed) the feed's own site link, then the feed's URL; Atom follows its spec (xml:base, then the URL).
 */
export function mapFeed(parsed: AnyFeed<string>, feedUrl: string): ParsedFeed {
  switch (parsed.format) {
    case "rss": {
      const f = parsed.feed;
      const xmlBase = withBase(f.xml?.base, feedUrl);
      const link = resolveLink(f.link, xmlBase);
      const base = f.xml?.base ? xmlBase : isWeb(link) ? link : feedUrl;
      const entries = (f.items ?? []).map((i) => rssEntry(i, base)).filter(something);
      return { title: htmlToText(f.title ?? "") || null, link, entries };
    }
    case "rdf": {
      const f = parsed.feed;
      const link = resolveLink(f.link, feedUrl);
      const base = isWeb(link) ? link : feedUrl;
      const entries = (f.items ?? []).map((i) => rdfEntry(i, base)).filter(something);
      return { title: htmlToText(f.title ?? "") || null, link, entries };
    }
    case "atom": {
      const f = parsed.feed;
      const base = withBase(f.xml?.base, feedUrl);
      const entries = (f.entries ?? []).map((e) => atomEntry(e, base)).filter(something);
      return { title: atomText(f.title) || null, link: resolveLink(atomLink(f.links), base), entries };
    }
    case "json": {
      const f = parsed.feed;
      const link = resolveLink(f.home_page_url, feedUrl);
      const base = isWeb(link) ? link : feedUrl;
      const entries = (f.items ?? []).map((i) => jsonEntry(i, base)).filter(something);
      return { title: plain(f.title) || null, link, entries };
    }
  }
}
