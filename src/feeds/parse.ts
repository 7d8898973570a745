// A feed's bytes to a ParsedFeed (RSS, Atom, RDF or JSON Feed through feedsmith), or one line saying why not.

import { XMLValidator } from "fast-xml-parser";
import { type AnyFeed, DetectError, parseFeed, parseJsonFeed } from "feedsmith";
import { decodeFeedBody } from "./encoding.js";
import { mapFeed } from "./formats.js";
import type { ParseResult } from "./types.js";

/**
 * HTML void elements tolerated unclosed inside a feed's unescaped HTML when checking that the XML is whole (only
 * those no feed format uses as an element of its own: not `link` or `source`).
 */
const VOID_TAGS = ["br", "hr", "img", "wbr"];
/** An ampersand that starts no entity reference: tolerated (sloppy feeds write "Q&A"), the parser keeps it. */
const BARE_AMP = /&(?!#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi;

const SUBSET_END = /\]\s*>/g;

const invalid = (reason: string): ParseResult => ({ kind: "invalid", reason });

/** What comes before an XML document's root element: whether a DOCTYPE declares entities, and the root's name. */
export function readProlog(text: string): { entities: boolean; doctype: string | null; root: string | null } {
  let i = 0;
  let doctype: string | null = null;
  let entities = false;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end === -1) break;
      i = end + 2;
    } else if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end === -1) break;
      i = end + 3;
    } else if (text.slice(i, i + 9).toUpperCase() === "<!DOCTYPE") {
      doctype = /^<!DOCTYPE\s+([^\s[>]+)/i.exec(text.slice(i, i + 200))?.[1]?.toLowerCase() ?? "";
      let end = text.indexOf(">", i);
      const open = text.indexOf("[", i);
      if (open !== -1 && (end === -1 || open < end)) {
        // An internal subset, up to "]>": only it can declare entities (an external DTD is never fetched).
        SUBSET_END.lastIndex = open;
        const close = SUBSET_END.exec(text);
        if (/<!ENTITY/i.test(text.slice(open, close ? close.index : undefined))) entities = true;
        end = close ? close.index + close[0].length - 1 : -1;
      }
      if (end === -1) break;
      i = end + 1;
    } else break;
  }
  const root = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200))?.[1]?.toLowerCase() ?? null;
  return { entities, doctype, root };
}

/** JSON by its first character; by a JSON content type when the body starts with neither `{` nor `<`. */
const looksJson = (text: string, contentType: string | null): boolean =>
  /^\s*[[{]/.test(text) || (!/^\s*</.test(text) && /json/i.test(contentType ?? ""));

/** Root elements of RSS, Atom and RDF: served as text/html by some servers, still feeds. */
const FEED_ROOTS = new Set(["rss", "feed", "rdf:rdf", "rdf"]);

function parseJson(text: string, feedUrl: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return invalid(`invalid JSON: ${(err as Error).message.split("\n")[0]}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return invalid("the JSON is not a JSON Feed (it is not an object)");
  try {
    return { kind: "feed", feed: mapFeed({ format: "json", feed: parseJsonFeed(value) }, feedUrl) };
  } catch {
    return invalid("the JSON is not a JSON Feed (no version or items)");
  }
}

function parseXml(text: string, feedUrl: string): ParseResult {
  const prolog = readProlog(text);
  if (prolog.entities)
    return invalid(
      "the feed declares XML entities in a DOCTYPE (refused: entity expansion can exhaust memory)",
    );
  if (prolog.root === "html" || prolog.doctype === "html")
    return invalid("the URL returns an HTML page, not a feed");
  if (prolog.root === null) return invalid("not a feed: no XML root element");
  const valid = XMLValidator.validate(text.replace(BARE_AMP, "&amp;"), {
    allowBooleanAttributes: true,
    unpairedTags: VOID_TAGS,
  });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    return invalid(`invalid XML at line ${line}, column ${col}: ${msg.replace(/\s+/g, " ")}`);
  }
  let parsed: AnyFeed<string>;
  try {
    parsed = parseFeed<string>(text);
  } catch (err) {
    if (err instanceof DetectError)
      return invalid(`not an RSS, Atom or RDF feed (the root element is <${prolog.root}>)`);
    // feedsmith wraps the XML parser's error (e.g. "Maximum nested tags exceeded") in its own.
    const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error) : (err as Error);
    return invalid(`the feed could not be parsed: ${cause.message.split("\n")[0]}`);
  }
  if (parsed.format === "json") return invalid("not an RSS, Atom or RDF feed");
  return { kind: "feed", feed: mapFeed(parsed, feedUrl) };
}

/**
 * Parses a feed body fetched from `feedUrl` (the URL after redirects: relative links resolve against it). JSON
 * Feed is chosen by a JSON content type or a body that starts with `{`; anything else is read as XML. Refused,
 * with one line saying why: an empty body, a DOCTYPE that declares entities (checked before any XML parser sees
 * the text), an HTML page, XML that is not well formed, and anything feedsmith does not recognise. Never throws.
 */
export function parseFeedBody(body: Buffer, contentType: string | null, feedUrl: string): ParseResult {
  try {
    const { text } = decodeFeedBody(body, contentType);
    if (!text.trim()) return invalid("the feed is empty");
    const root = readProlog(text).root;
    if (/text\/html/i.test(contentType ?? "") && !FEED_ROOTS.has(root ?? "") && !/^\s*[[{]/.test(text))
      return invalid("the URL returns an HTML page, not a feed");
    return looksJson(text, contentType) ? parseJson(text, feedUrl) : parseXml(text, feedUrl);
  } catch (err) {
    return invalid(`the feed could not be read: ${(err as Error).message.split("\n")[0]}`);
  }
}
