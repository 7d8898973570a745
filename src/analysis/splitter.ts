// Sentence splitter that survives "U.S.", "Mr.", "Jan. 5", "3.5 per cent" and closing quotes.

import type { Block } from "../core/article.js";
import { isLetter } from "./chars.js";
import { codeAt, hashKey } from "./token-keys.js";
import { CAP, NUM, SENT, type Tokens } from "./tokenizer.js";

export interface Sentence {
  text: string;
  /** Offsets into the text that was split. */
  start: number;
  end: number;
}

const ABBREVIATIONS = new Set(
  `mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj st jr sr inc corp co ltd no nos vs fig approx dept
  est mt ft rev hon pres supt jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e cf al`.split(/\s+/),
);
// After "U.S." a new sentence usually opens with one of these; otherwise "U.S. officials" goes on.
const STARTERS = new Set(
  `The This That These Those It Its He She They We I In On At But However A An As After According There Their His
  Her Our Meanwhile While When Last Earlier Officials`.split(/\s+/),
);

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9 || c === 0xa0;
const isCloser = (c: number): boolean =>
  c === 34 || c === 39 || c === 41 || c === 93 || c === 0x201d || c === 0x2019 || c === 0xbb;
const isOpener = (c: number): boolean =>
  c === 34 || c === 39 || c === 40 || c === 0x201c || c === 0x2018 || c === 0xab;
const isUpperOrDigit = (ch: string): boolean =>
  (ch >= "0" && ch <= "9") || (ch !== ch.toLowerCase() && ch === ch.toUpperCase());

/** The word (letters and inner dots) ending just before `i`; "" when longer than any abbreviation. */
function wordBefore(text: string, i: number): string {
  let s = i;
  while (s > 0 && i - s <= 8) {
    const c = text.charCodeAt(s - 1);
    if (c === 46 || isLetter(c)) s--;
    else break;
  }
  return i - s > 8 ? "" : text.slice(s, i);
}

function nextWord(text: string, k: number): string {
  let e = k;
  while (e < text.length && /[\p{L}\p{N}]/u.test(text[e] as string)) e++;
  return text.slice(k, e);
}

function isBoundary(text: string, i: number, next: number): boolean {
  if (text[i] !== ".") return true;
  const word = wordBefore(text, i);
  const lower = word.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return false;
  // Initials and dotted acronyms: "J. Smith", "U.S. officials" (but "in the U.S. The ...").
  if (/^(\p{L}\.)*\p{L}$/u.test(word) && (word.length === 1 || word.includes("."))) {
    return word.includes(".") && STARTERS.has(nextWord(text, next));
  }
  return true;
}

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    while (s < end && isSpace(text.charCodeAt(s))) s++;
    let e = end;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
  };
  // Jump from one candidate mark to the next with the regex engine instead of testing every character.
  const marks = /[.!?\u2026]/g;
  for (let found = marks.exec(text); found !== null; found = marks.exec(text)) {
    const i = found.index;
    let j = i + 1;
    while (
      j < text.length &&
      (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 33 || text.charCodeAt(j) === 63)
    )
      j++;
    while (j < text.length && isCloser(text.charCodeAt(j))) j++;
    if (j >= text.length) break;
    if (!isSpace(text.charCodeAt(j))) continue;
    let k = j;
    while (k < text.length && isSpace(text.charCodeAt(k))) k++;
    if (k < text.length && isOpener(text.charCodeAt(k))) k++;
    if (k >= text.length || !isUpperOrDigit(text[k] as string)) continue;
    if (!isBoundary(text, i, k)) continue;
    push(j);
    start = j;
    marks.lastIndex = j;
  }
  push(text.length);
  return out;
}

/** Sentences of an article's paragraphs as spans of its body and of its tokens (headings left out). */
export interface SentenceSpans {
  n: number;
  /** Body offsets of each sentence's text (an opening quote included, trailing spaces not). */
  start: Int32Array;
  end: Int32Array;
  /** Its tokens: first, and one past the last. */
  first: Int32Array;
  last: Int32Array;
}

export function createSpans(capacity = 64): SentenceSpans {
  const a = () => new Int32Array(capacity);
  return { n: 0, start: a(), end: a(), first: a(), last: a() };
}

function push(s: SentenceSpans, start: number, end: number, first: number, last: number): void {
  if (s.n === s.start.length) {
    for (const key of ["start", "end", "first", "last"] as const) {
      const bigger = new Int32Array(s.n * 2);
      bigger.set(s[key]);
      s[key] = bigger;
    }
  }
  s.start[s.n] = start;
  s.end[s.n] = end;
  s.first[s.n] = first;
  s.last[s.n] = last;
  s.n++;
}

const ABBREVIATION_HASHES = new Set([...ABBREVIATIONS].filter((w) => !w.includes(".")).map(hashKey));
const STARTER_HASHES = new Set([...STARTERS].map((w) => hashKey(w.toLowerCase())));

/**
 * Whether the sentence-start token `k` (the tokenizer's SENT flag: after a . ! or ?) really opens a sentence,
 * by the same rules as splitSentences: a capital or digit follows, and the dot ends no abbreviation or initial.
 */
function opensSentence(t: Tokens, k: number): boolean {
  const flags = t.flags[k] as number;
  if ((flags & (CAP | NUM)) === 0) return false;
  const prevEnd = t.end[k - 1] as number;
  if (codeAt(t, prevEnd) !== 46) return true; // ! ? or a dot after a closing quote or bracket
  const prevStart = t.start[k - 1] as number;
  if (((t.flags[k - 1] as number) & NUM) !== 0) return true;
  if (ABBREVIATION_HASHES.has(t.hash[k - 1] as number)) return false;
  if (prevEnd - prevStart > 1) return true;
  // A single letter: an initial ("J. Smith") unless part of a dotted acronym before a clear opener ("U.S. The").
  const dotted =
    prevStart > 1 &&
    codeAt(t, prevStart - 1) === 46 &&
    k >= 2 &&
    (t.end[k - 2] as number) === prevStart - 1 &&
    (t.end[k - 2] as number) - (t.start[k - 2] as number) === 1;
  return dotted && STARTER_HASHES.has(t.hash[k] as number);
}

/**
 * The sentences of the paragraph blocks of an article whose body tokens are `t`, found from the tokens alone (no
 * second scan of the text). Blocks are the article's, joined by a blank line in `t.text`; the first token of a
 * block and of a sentence carries the tokenizer's SENT flag.
 */
export function tokenSentences(t: Tokens, blocks: readonly Block[], out: SentenceSpans): SentenceSpans {
  out.n = 0;
  const codes = t.codes;
  const length = t.text.length;
  const flags = t.flags;
  const starts = t.start;
  const n = t.n;
  let b = -1;
  let blockStart = 0;
  let blockEnd = -2;
  let paragraph = false;
  let open = -1; // first token of the sentence being read, -1 when none
  let openAt = 0;
  for (let k = 0; k < n; k++) {
    // Only a token the tokenizer marks as opening a sentence or block (SENT) can start one: skip the rest fast.
    if (((flags[k] as number) & SENT) === 0) continue;
    const pos = starts[k] as number;
    if (pos >= blockEnd) {
      if (open >= 0) push(out, openAt, blockEnd, open, k);
      while (pos >= blockEnd && b + 1 < blocks.length) {
        b++;
        blockStart = blockEnd + 2;
        const block = blocks[b] as Block;
        blockEnd = blockStart + block.text.length;
        paragraph = block.kind === "paragraph";
      }
      open = paragraph ? k : -1;
      openAt = paragraph ? openingAt(codes, pos, blockStart) : 0;
    } else if (open >= 0 && opensSentence(t, k)) {
      const at = openingAt(codes, pos, blockStart);
      let e = at;
      while (e > openAt && isSpace(codes[e - 1] as number)) e--;
      push(out, openAt, e, open, k);
      open = k;
      openAt = at;
    }
  }
  if (open >= 0) push(out, openAt, Math.min(blockEnd, length), open, n);
  return out;
}

/** Where a sentence whose first token starts at `pos` begins: with the quote or bracket that opens it. */
function openingAt(codes: Uint16Array, pos: number, blockStart: number): number {
  if (pos > blockStart && isOpener(codes[pos - 1] as number)) {
    if (pos - 1 === blockStart || isSpace(codes[pos - 2] as number)) return pos - 1;
  }
  return pos;
}
