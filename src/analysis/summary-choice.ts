// Fitting chosen sentences into a summary: 450 characters at most, long sentences shortened at a clause boundary.

import { clauseCut, cutAtWord, trimEnd } from "../core/boilerplate.js";

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
