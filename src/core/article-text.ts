// The one rule for an article's text, shared by the file reader and feeds: collapsing, titles, body and hash.

import { createHash } from "node:crypto";
import type { Block } from "./article.js";
import { clauseCut, cutAtWord, datelineLength, isBoilerplate, trimEnd } from "./boilerplate.js";
import { stripFormat } from "./text.js";

/** Titles longer than this are shortened at a word boundary. */
export const MAX_TITLE = 300;
/** A title made from the body's lead clause is at most this long. */
export const MAX_BODY_TITLE = 90;

/** Collapse runs of whitespace (including NBSP and line breaks) inside one paragraph; format characters go. */
export const collapse = (s: string): string =>
  stripFormat(s)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping stray control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g, "")
    .replace(/\s+/gu, " ")
    .trim();

/** Shorten to at most `max` characters at a word boundary, adding an ellipsis when cut. */
export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  const base = space > max / 2 ? cut.slice(0, space) : cut;
  return `${base.replace(/[\s,;:.-]+$/u, "")}…`;
}

/** Words that end a sentence with their dot only rarely: "Mr. Smith", "Jan. 5", "St. Petersburg". */
const SHORT_FORMS = new Set(
  "mr mrs ms dr prof gen col lt st jr sr inc corp co ltd no vs jan feb mar apr jun jul aug sep sept oct nov dec".split(
    " ",
  ),
);

/** The first sentence of `text`: up to the first . ! or ? followed by a space and a capital, digit or quote. */
export function firstSentence(text: string): string {
  for (let i = 0; i < text.length - 2; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && c !== 33 && c !== 63) continue;
    let j = i + 1;
    while (j < text.length && /["'”’)\]]/u.test(text[j] as string)) j++;
    if (text.charCodeAt(j) !== 32) continue;
    const next = text[j + 1] as string;
    if (!/[\p{Lu}\d"'“‘(]/u.test(next)) continue;
    if (c === 46) {
      const word = /[\p{L}.]*$/u.exec(text.slice(Math.max(0, i - 8), i))?.[0] ?? "";
      if (/^(?:\p{L}\.)*\p{L}$/u.test(word) || SHORT_FORMS.has(word.toLowerCase())) continue;
    }
    return text.slice(0, j);
  }
  return text;
}

// An opening phrase a headline would leave out: "In an unprecedented move, ", "On Tuesday, ".
const INTRO =
  /^(?:In|On|At|After|Earlier|Late|Last|This|Meanwhile|However|According to|Following|Amid|During|Today|Yesterday|Separately|Overnight)\b[^,]{0,40},\s+(?=\S)/u;

/**
 * A headline from the body when the file has no title line: the lead clause of the first paragraph that is not
 * boilerplate (its dateline and an opening phrase such as "On Tuesday," dropped),
 * cut at a clause boundary to at most MAX_BODY_TITLE characters (at a word boundary, with "…", when it has none).
 */
export function titleFromBody(blocks: readonly Block[]): string {
  const paragraphs = blocks.filter((b) => b.kind === "paragraph");
  const first = paragraphs.find((b) => !isBoilerplate(b.text)) ?? paragraphs[0] ?? blocks[0];
  let text = first?.text ?? "";
  text = text.slice(datelineLength(text));
  let lead = firstSentence(text);
  const intro = INTRO.exec(lead);
  if (intro && lead.length - intro[0].length >= 20) {
    const rest = lead.slice(intro[0].length);
    lead = `${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
  }
  if (lead.length <= MAX_BODY_TITLE) return lead;
  // A whole clause ("X said on Tuesday") when one is long enough, else the longest phrase that fits.
  let cut = clauseCut(lead, MAX_BODY_TITLE, 45, false, true);
  if (cut < 0) cut = clauseCut(lead, MAX_BODY_TITLE, 30);
  return cut > 0 ? trimEnd(lead.slice(0, cut)) : cutAtWord(lead, MAX_BODY_TITLE);
}

/**
 * The title, body and content hash of an article from its (already collapsed, NFC) title and blocks: the title
 * shortened to MAX_TITLE (or made from the first sentence when there is none), the blocks joined with a blank
 * line, and sha256 of title, a blank line and body. A file and a feed item with the same text hash the same.
 */
export function articleText(
  title: string | null,
  blocks: readonly Block[],
): { title: string; body: string; contentHash: string } {
  const finalTitle = title ? shorten(title, MAX_TITLE) : titleFromBody(blocks);
  const body = blocks.map((b) => b.text).join("\n\n");
  const contentHash = createHash("sha256").update(finalTitle).update("\n\n").update(body).digest("hex");
  return { title: finalTitle, body, contentHash };
}
