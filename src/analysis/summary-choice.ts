// Fitting chosen sentences into a summary (450 characters at most, long sentences shortened at a clause boundary),
// the title test that keeps a summary from repeating the headline, and the fallback when no sentence fits.

import type { Article } from "../core/article.js";
import { clauseCut, cutAtWord, isBoilerplate, trimEnd } from "../core/boilerplate.js";

export const MAX_SUMMARY = 450;

export const MAX_SENTENCES = 3;

/** One chosen sentence. */
export interface Item {
  /** Its position among the article's sentences (article order). */
  index: number;
  text: string;
  /** Where the last entity it names ends, in `text`. */
  last: number;
  /** The sentence cut after `last` at a clause boundary, with "…"; null when no shorter; made when needed. */
  short: string | null | undefined;
}

/**
 * `text` shortened at the first clause boundary after offset `last` (the end of the last entity it names; at
 * least 40 characters in), or at a word boundary when it is longer than a whole summary; null when that would
 * not make it noticeably shorter.
 */
export function shortForm(text: string, last: number): string | null {
  if (text.length <= 120) return null;
  const cut = clauseCut(text, MAX_SUMMARY - 1, Math.max(last, 40), true);
  if (cut > 0 && cut < text.length - 20) return `${trimEnd(text.slice(0, cut))}…`;
  return text.length > MAX_SUMMARY ? cutAtWord(text, MAX_SUMMARY) : null;
}

/**
 * Which of these sentences to shorten (true) so that they fit in MAX_SUMMARY joined by spaces: none if they fit
 * whole, else those that save most first; null when they do not fit even all shortened.
 */
export function fitting(items: Item[]): boolean[] | null {
  const forms = items.map(() => false);
  let length = items.length - 1;
  for (const it of items) length += it.text.length;
  if (length <= MAX_SUMMARY) return forms;
  const savings = items
    .map((it, k) => ({ k, save: shortOf(it) === null ? 0 : it.text.length - (shortOf(it) as string).length }))
    .filter((x) => x.save > 0)
    .sort((a, b) => b.save - a.save || a.k - b.k);
  for (const { k, save } of savings) {
    forms[k] = true;
    length -= save;
    if (length <= MAX_SUMMARY) return forms;
  }
  return null;
}

/** The item's shortened form, made on first use. */
function shortOf(item: Item): string | null {
  if (item.short === undefined) item.short = shortForm(item.text, item.last);
  return item.short;
}

/** The items in article order, each whole or shortened as `forms` says, joined by spaces. */
export function joined(items: Item[], forms: boolean[]): string {
  return items
    .map((item, k) => ({ item, short: forms[k] === true }))
    .sort((a, b) => a.item.index - b.item.index)
    .map((c) => (c.short ? (c.item.short as string) : c.item.text))
    .join(" ");
}

/** The title as it would stand in a sentence: without a closing ellipsis or stop; "" when too short to tell. */
export function titleKey(title: string): string {
  let end = title.length;
  while (end > 0 && trailing(title.charCodeAt(end - 1))) end--;
  return end >= 20 ? title.slice(0, end) : "";
}

/** What `titleKey` drops from the end: a stop, an ellipsis, or white space (the characters of a regex's \s). */
function trailing(c: number): boolean {
  if (c === 46 || c === 0x2026 || c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `text` holds `title` word for word (its first letter in either case: a headline capitalises it). */
export function holds(text: string, title: string): boolean {
  const rest = title.slice(1);
  const first = title.charAt(0).toLowerCase();
  for (let i = text.indexOf(rest, 1); i > 0; i = text.indexOf(rest, i + 1)) {
    if (text.charAt(i - 1).toLowerCase() === first) return true;
  }
  return false;
}

/** No usable sentence: the first paragraph that is not boilerplate (never a heading), cut to length. */
export function fallback(article: Article): string {
  const paragraphs = article.blocks.filter((b) => b.kind === "paragraph");
  const first = paragraphs.find((b) => !isBoilerplate(b.text)) ?? paragraphs[0];
  return first ? cutAtWord(first.text, MAX_SUMMARY) : "";
}
