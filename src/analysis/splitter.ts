// Sentence splitter that survives "U.S.", "Mr.", "Jan. 5", "3.5 per cent" and closing quotes.

import { isLetter } from "./chars.js";

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
