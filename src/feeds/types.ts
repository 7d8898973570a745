// The feed source's inner seams: what the polite fetcher returns and what the parser makes of a feed's bytes.

/** Who may be reached: "any" for operator feeds (CLI, config/feeds.yaml), "public" for URLs typed in chat. */
export type AddressPolicy = "any" | "public";

export interface FetchRequest {
  url: string;
  /** Validators from the last 200 answer. */
  etag?: string | null;
  lastModified?: string | null;
  /** The Accept header (feeds and pages ask for different types). */
  accept: string;
  policy: AddressPolicy;
  signal?: AbortSignal;
}

export type FetchResult =
  | {
      kind: "ok";
      /** The URL after redirects (relative links in the body resolve against it). */
      url: string;
      status: number;
      body: Buffer;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      /** From Cache-Control max-age: do not ask again sooner. */
      maxAgeMs: number | null;
    }
  | {
      kind: "not-modified";
      url: string;
      etag: string | null;
      lastModified: string | null;
      maxAgeMs: number | null;
    }
  | {
      kind: "failed";
      /** One line: what went wrong, e.g. "HTTP 503", "body over the 5 MB limit", "redirect loop". */
      reason: string;
      status: number | null;
      /** From Retry-After on 429 and 503. */
      retryAfterMs: number | null;
    };

/** One item of a parsed feed, whatever its format (RSS, Atom, RDF, JSON Feed). */
export interface FeedEntry {
  /** Absolute (relative links resolved against the feed's URL), not yet canonical. */
  link: string | null;
  guid: string | null;
  /** Plain text: HTML tags removed, entities decoded, whitespace collapsed. */
  title: string;
  /** ISO date-time when the item carries a valid one. */
  published: string | null;
  /** The item's text as HTML (content if present, else description/summary); may be empty. */
  html: string;
}

export interface ParsedFeed {
  title: string | null;
  /** The site's link, when given. */
  link: string | null;
  entries: FeedEntry[];
}

export type ParseResult = { kind: "feed"; feed: ParsedFeed } | { kind: "invalid"; reason: string };
